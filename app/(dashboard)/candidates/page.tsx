import type { Metadata } from "next";
import { CandidateQueue } from "@/components/candidates/candidate-queue";
import { AccessDenied } from "@/components/ui/access-denied";
import { listCandidateSources, listCandidates } from "@/db/news/candidates";
import { CANDIDATE_STATUSES, type CandidateStatus } from "@/lib/enums";
import { candidateQuery } from "@/lib/news/schemas";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { decideCandidatesAction } from "./actions";

export const metadata: Metadata = { title: "Candidates" };

const STATUS_LABELS: Record<CandidateStatus, string> = {
  waiting: "Waiting",
  accepted: "Accepted",
  dismissed: "Dismissed",
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The triage queue: what the news feeds drafted, for an editor's decision. */
export default async function CandidatesPage({ searchParams }: Props) {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  const raw = await searchParams;
  const one = (key: string) => (typeof raw[key] === "string" && raw[key] ? raw[key] : undefined);
  // A bad filter in the address falls back to the queue's default rather than an error page.
  const parsed = candidateQuery.safeParse({
    status: one("status"),
    source: one("source"),
    page: one("page"),
  });
  const query = parsed.success ? parsed.data : candidateQuery.parse({});
  const [page, sources] = await Promise.all([
    listCandidates(query, principal.viewer),
    listCandidateSources(),
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Candidates</h1>
          <p>
            Deals drafted from the news sources Atlas follows, one per announcement, newest first. Nothing
            becomes a deal until you accept it.
          </p>
        </div>
      </div>
      <form className="card candidate-filters" method="get" aria-label="Filter candidates">
        <label>
          Status{" "}
          <select name="status" defaultValue={query.status}>
            {CANDIDATE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source{" "}
          <select name="source" defaultValue={query.source ?? ""}>
            <option value="">Every source</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          Show
        </button>
      </form>
      <p className="muted" role="status">
        {page.total} {STATUS_LABELS[query.status].toLowerCase()} candidate{page.total === 1 ? "" : "s"}
      </p>
      <CandidateQueue candidates={page.items} decide={decideCandidatesAction} />
    </>
  );
}
