import type { Metadata } from "next";
import Link from "next/link";
import { listDuplicates } from "@/db/directory/duplicates";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { dismissDuplicateAction } from "../actions";

export const metadata: Metadata = { title: "Possible duplicate companies" };

export default async function DuplicatesPage() {
  const principal = await requirePrincipal();
  const editor = hasRole(principal.role, "editor");
  const pairs = await listDuplicates({ limit: 200 });
  return (
    <>
      <div className="crumbs">
        <Link href="/companies">Companies</Link> / Duplicates
      </div>
      <div className="page-head">
        <div>
          <h1>Possible duplicate companies</h1>
          <p>
            Pairs that may be one company, strongest first. Close spelling is only a suggestion: check before
            merging.
          </p>
        </div>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Company</th>
              <th>Possible duplicate</th>
              <th style={{ textAlign: "right" }}>Score</th>
              <th>Why</th>
              {editor && <th>Decide</th>}
            </tr>
          </thead>
          <tbody>
            {pairs.map((p) => (
              <tr key={`${p.a.id}-${p.b.id}`}>
                <td>
                  <Link href={`/companies/${p.a.slug}`}>{p.a.name}</Link>
                </td>
                <td>
                  <Link href={`/companies/${p.b.slug}`}>{p.b.name}</Link>
                </td>
                <td style={{ textAlign: "right" }}>{Math.round(p.score * 100)}%</td>
                <td className="small">{p.reasons.map((r) => r.label).join("; ")}</td>
                {editor && (
                  <td>
                    <div className="actions">
                      <Link
                        className="button small"
                        href={`/companies/${p.b.slug}/merge?into=${encodeURIComponent(p.a.slug)}`}
                      >
                        Merge
                      </Link>
                      <form action={dismissDuplicateAction}>
                        <input type="hidden" name="a" value={p.a.slug} />
                        <input type="hidden" name="b" value={p.b.slug} />
                        <button type="submit" className="button small">
                          Not a duplicate
                        </button>
                      </form>
                    </div>
                  </td>
                )}
              </tr>
            ))}
            {pairs.length === 0 && (
              <tr>
                <td colSpan={editor ? 5 : 4} className="empty">
                  No likely duplicates.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
