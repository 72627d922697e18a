import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { listApiTokens, listUsers } from "@/db/accounts/auth";
import { listActivity } from "@/db/audit/activity";
import { getDb } from "@/db/core/index";
import { RevisionDiff, RevisionSummary } from "@/components/deals/revision-list";
import { FilterErrors } from "@/components/ui/filter-errors";
import { requirePrincipal } from "@/server/auth/page";
import { searchText } from "@/lib/filters";
import { listRecordRevisions } from "@/db/directory/merges";
import { findCompanyId } from "@/db/directory/lookups";
import { UndoMergeButton } from "@/components/companies/undo-merge-button";
import { hasRole } from "@/lib/roles";
import { undoMergeAction } from "../companies/actions";
import { plural } from "@/lib/plural";
import { NewerOlder } from "@/components/ui/newer-older";

export const metadata: Metadata = { title: "Activity" };

const PAGE_SIZE = 50;
const date = z.iso.date({ error: "Use a real date as YYYY-MM-DD" });
const params = z.object({
  who: z
    .string()
    .regex(/^(user:[\w-]+|token:\d+)$/, { error: "Pick someone from the list" })
    .optional(),
  deal: z.coerce.number({ error: "Use a deal id" }).int().positive().optional(),
  company: z.optional(searchText(200, "Keep the company under 200 characters")),
  from: date.optional(),
  to: date.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export default async function ActivityPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
  const editor = hasRole(principal.role, "editor");
  const raw = Object.fromEntries(
    Object.entries(await searchParams).flatMap(([k, v]) =>
      typeof v === "string" && v.trim() ? [[k, v]] : [],
    ),
  );
  const parsed = params.safeParse(raw);
  const errors: Record<string, string[]> = {};
  if (!parsed.success)
    for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
  const f = parsed.success ? parsed.data : params.parse({});
  const [kind, id] = f.who?.split(":") ?? [];
  const { items, total } = await listActivity(
    {
      user: kind === "user" ? id : undefined,
      token: kind === "token" ? Number(id) : undefined,
      deal: f.deal,
      company: f.company,
      from: f.from,
      to: f.to,
      page: f.page,
      pageSize: PAGE_SIZE,
    },
    principal.viewer,
  );
  const companyId = f.company ? await findCompanyId(getDb(), f.company) : undefined;
  // Company and area changes: shown unless the view is about one deal or one person.
  const recordChanges =
    f.deal || f.who || f.from || f.to || (f.company && !companyId)
      ? []
      : await listRecordRevisions(companyId ? { entity: "company", entityId: companyId } : { limit: 30 });
  const users = await listUsers();
  const tokens = await listApiTokens();
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (page: number) =>
    `/activity?${new URLSearchParams({ ...(raw as Record<string, string>), page: String(page) })}`;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Activity</h1>
          <p>Every change to every deal, newest first: who made it, when, and what it changed.</p>
        </div>
      </div>
      <FilterErrors errors={errors} />
      <form method="get" className="card" role="search" aria-label="Filter activity">
        <div className="filters">
          <div>
            <label htmlFor="a-who">Who</label>
            <select id="a-who" name="who" defaultValue={f.who ?? ""}>
              <option value="">Anyone</option>
              {users.map((u) => (
                <option key={u.id} value={`user:${u.id}`}>
                  {u.name}
                </option>
              ))}
              {tokens.map((t) => (
                <option key={t.id} value={`token:${t.id}`}>
                  Token: {t.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="a-deal">Deal id</label>
            <input id="a-deal" name="deal" inputMode="numeric" defaultValue={f.deal ?? ""} />
          </div>
          <div>
            <label htmlFor="a-company">Company</label>
            <input id="a-company" name="company" defaultValue={f.company ?? ""} placeholder="Name or alias" />
          </div>
          <div>
            <label htmlFor="a-from">From</label>
            <input id="a-from" type="date" name="from" defaultValue={f.from ?? ""} />
          </div>
          <div>
            <label htmlFor="a-to">To</label>
            <input id="a-to" type="date" name="to" defaultValue={f.to ?? ""} />
          </div>
          <div className="actions">
            <button type="submit" className="button primary">
              Apply filters
            </button>
            <Link className="button" href="/activity">
              Clear
            </Link>
          </div>
        </div>
      </form>
      {recordChanges.length > 0 && (
        <section className="card section-gap" aria-label="Company and technology changes">
          <h2>Companies and technology areas</h2>
          <ul className="plain">
            {recordChanges.map((entry) => (
              // As for deals below: the record's link sits beside its summary, not inside it.
              <li key={entry.id} className="activity-entry">
                {entry.entitySlug ? (
                  <Link
                    href={`/${entry.entity === "company" ? "companies" : "technologies"}/${entry.entitySlug}`}
                  >
                    {entry.entityName}
                  </Link>
                ) : (
                  <span>{entry.entityName}</span>
                )}
                <details className="revision">
                  <summary>
                    <RevisionSummary revision={entry} />
                    {entry.merge && (
                      <span className="small muted">
                        {" "}
                        · {entry.merge.sourceName} into {entry.merge.targetName}
                        {entry.merge.undone ? " (undone)" : ""}
                      </span>
                    )}
                  </summary>
                  <RevisionDiff revision={entry} />
                </details>
                {editor && entry.merge && entry.action === "merge" && entry.after !== null && (
                  <UndoMergeButton
                    mergeId={entry.merge.id}
                    undone={entry.merge.undone}
                    undo={undoMergeAction}
                  />
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="card section-gap" aria-label="Changes">
        {items.length === 0 && <p className="muted">No changes match.</p>}
        {items.map((entry) => (
          // The deal's link sits beside the summary: a link inside a summary is a control in a control.
          <div key={entry.id} className="activity-entry">
            <Link href={`/deals/${entry.dealId}`}>{entry.dealTitle}</Link>
            <details className="revision">
              <summary>
                <RevisionSummary revision={entry} />
              </summary>
              <RevisionDiff revision={entry} />
            </details>
          </div>
        ))}
      </section>
      <NewerOlder summary={plural(total, "change")} page={f.page} pages={pages} href={href} />
    </>
  );
}
