import type { Metadata } from "next";
import Link from "next/link";
import { listUsers } from "@/db/accounts/auth";
import { listAuditEvents } from "@/db/audit/events";
import { AccessDenied } from "@/components/ui/access-denied";
import { FilterErrors } from "@/components/ui/filter-errors";
import { auditQuery } from "@/lib/audit-query";
import { formatTimestamp } from "@/lib/dates";
import { AUDIT_KIND_LABELS, AUDIT_KINDS } from "@/lib/enums";
import { plural } from "@/lib/plural";
import { NewerOlder } from "@/components/ui/newer-older";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";

export const metadata: Metadata = { title: "Security audit log" };

const PAGE_SIZE = 50;

/** A detail object in words: `key: value` pairs, lists of names comma-separated, the rest as JSON. */
function detailText(detail: Record<string, unknown>): string {
  const words = (value: unknown) =>
    typeof value === "string"
      ? value
      : Array.isArray(value) && value.every((v) => typeof v === "string")
        ? value.join(", ") || "none"
        : JSON.stringify(value);
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${words(value)}`)
    .join(" · ");
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "admin")) return <AccessDenied need="admin" />;
  const raw = Object.fromEntries(
    Object.entries(await searchParams).flatMap(([k, v]) =>
      typeof v === "string" && v.trim() && ["kind", "user", "from", "to", "page"].includes(k) ? [[k, v]] : [],
    ),
  );
  const parsed = auditQuery.safeParse({ ...raw, pageSize: PAGE_SIZE });
  const errors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  const q = parsed.success ? parsed.data : auditQuery.parse({ pageSize: PAGE_SIZE });
  const [{ items, total }, users] = await Promise.all([listAuditEvents(q), listUsers()]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filters = Object.fromEntries(
    Object.entries({ kind: q.kind, user: q.user, from: q.from, to: q.to }).flatMap(([k, v]) =>
      v ? [[k, v]] : [],
    ),
  );
  const href = (page: number) => `/settings/audit?${new URLSearchParams({ ...filters, page: String(page) })}`;
  const csv = `/api/export/audit.csv${Object.keys(filters).length ? `?${new URLSearchParams(filters)}` : ""}`;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Security audit log</h1>
          <p>
            Sign-ins, sign-outs, role and team changes, API tokens, share links, exports and backups, newest
            first. Events are kept for a configured period (AUDIT_RETENTION_DAYS, a year by default).
          </p>
        </div>
        <a className="button" href={csv} download>
          Download CSV
        </a>
      </div>
      <FilterErrors errors={errors} />
      <form method="get" className="card" role="search" aria-label="Filter the audit log">
        <div className="filters">
          <div>
            <label htmlFor="au-user">User</label>
            <select id="au-user" name="user" defaultValue={q.user ?? ""}>
              <option value="">Anyone</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="au-kind">Kind</label>
            <select id="au-kind" name="kind" defaultValue={q.kind ?? ""}>
              <option value="">Any kind</option>
              {AUDIT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {AUDIT_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="au-from">From</label>
            <input id="au-from" type="date" name="from" defaultValue={q.from ?? ""} />
          </div>
          <div>
            <label htmlFor="au-to">To</label>
            <input id="au-to" type="date" name="to" defaultValue={q.to ?? ""} />
          </div>
          <div className="actions">
            <button type="submit" className="button primary">
              Apply filters
            </button>
            <Link className="button" href="/settings/audit">
              Clear
            </Link>
          </div>
        </div>
      </form>
      <div className="table-wrap section-gap" role="region" aria-label="Audit events table" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Detail</th>
              <th>IP address</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={5} className="empty">
                  No events match.
                </td>
              </tr>
            )}
            {items.map((e, i) => (
              <tr key={`${e.at.getTime()}-${i}`}>
                <td className="small">{formatTimestamp(e.at.toISOString())}</td>
                <td>{e.actor}</td>
                <td>{AUDIT_KIND_LABELS[e.kind]}</td>
                <td className="small">{detailText(e.detail)}</td>
                <td className="small">{e.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NewerOlder summary={plural(total, "event")} page={q.page} pages={pages} href={href} />
    </>
  );
}
