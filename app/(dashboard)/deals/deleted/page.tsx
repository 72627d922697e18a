import type { Metadata } from "next";
import Link from "next/link";
import { listDeletedDeals } from "@/db/audit/activity";
import { formatTimestamp } from "@/lib/dates";
import { restoreDealAction } from "../actions";
import { requirePrincipal } from "@/server/auth/page";
import { canSeeDeletedDeals, hasRole } from "@/lib/roles";
import { AccessDenied } from "@/components/ui/access-denied";

export const metadata: Metadata = { title: "Deleted deals" };

export default async function DeletedDealsPage() {
  const { role, viewer } = await requirePrincipal();
  if (!canSeeDeletedDeals(role)) return <AccessDenied need="editor" />;
  const canEdit = hasRole(role, "editor");
  const deleted = await listDeletedDeals(viewer);
  return (
    <>
      <div className="crumbs">
        <Link href="/deals">Deals</Link> / Deleted
      </div>
      <div className="page-head">
        <div>
          <h1>Deleted deals</h1>
          <p>Deleting keeps a deal&apos;s data and history; restore it to put it back in every list.</p>
        </div>
      </div>
      {deleted.length === 0 ? (
        <div className="card empty">Nothing has been deleted.</div>
      ) : (
        <div className="table-wrap" role="region" aria-label="Deleted deals table" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>Title</th>
                <th>Announced</th>
                <th>Deleted</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deleted.map((d) => (
                <tr key={d.id}>
                  <td className="title-cell">
                    <Link href={`/deals/${d.id}`}>{d.title}</Link>
                  </td>
                  <td className="date-cell">{d.announcedOn}</td>
                  <td className="date-cell">
                    {d.deletedAt ? formatTimestamp(d.deletedAt.toISOString()) : ""}
                  </td>
                  <td>
                    {canEdit && (
                      <form action={restoreDealAction}>
                        <input type="hidden" name="id" value={d.id} />
                        <button type="submit" className="button small" aria-label={`Restore ${d.title}`}>
                          Restore
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
