import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DraftReview } from "@/components/extract/draft-review";
import { AccessDenied } from "@/components/ui/access-denied";
import { listTechnologies } from "@/db/directory/directory";
import { getCandidate } from "@/db/news/candidates";
import type { ArticleDraft } from "@/lib/extract/draft";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { addArticleToDealAction } from "../../../deals/actions";
import { acceptCandidateAction } from "../../actions";

export const metadata: Metadata = { title: "Accept candidate" };

type Props = { params: Promise<{ id: string }> };

/** "Accept": the deal form pre-filled from the candidate's draft, every source attached, as "Add from article" shows it. */
export default async function AcceptCandidatePage({ params }: Props) {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  const id = Number((await params).id);
  const candidate = Number.isSafeInteger(id) && id > 0 ? await getCandidate(id, principal.viewer) : null;
  const stored = candidate?.draft;
  if (!candidate || !stored?.draft) notFound();
  const sources = candidate.items.flatMap((i) =>
    i.url
      ? [
          {
            url: i.url,
            title: i.title,
            publisher: i.source,
            publishedOn: i.publishedAt?.slice(0, 10) ?? null,
          },
        ]
      : [],
  );
  const known = new Set(stored.draft.sources.map((s) => s.url));
  const draft: ArticleDraft = {
    draft: {
      ...stored.draft,
      title: stored.draft.title ?? candidate.items[0]?.title ?? null,
      sources: [...stored.draft.sources.filter((s) => s.url), ...sources.filter((s) => !known.has(s.url))],
    },
    evidence: stored.evidence ?? {},
    companies: stored.companies ?? [],
    newAreas: stored.newAreas ?? [],
    warnings: stored.warnings ?? [],
    duplicates: [],
    article: stored.article ?? { text: "", title: null, url: null },
  };
  return (
    <>
      <div className="crumbs">
        <Link href="/candidates">Candidates</Link> / Accept #{candidate.id}
      </div>
      <div className="page-head">
        <div>
          <h1>Accept candidate #{candidate.id}</h1>
          <p>
            The draft from {candidate.items.length} item{candidate.items.length === 1 ? "" : "s"}, with every
            source attached. Check it, correct it, then save: the candidate is linked to the saved deal.
          </p>
          {candidate.status !== "waiting" && (
            <p className="alert warn" role="status">
              This candidate was already {candidate.status}; saving will be refused.
            </p>
          )}
        </div>
      </div>
      <DraftReview
        result={draft}
        technologyNames={(await listTechnologies()).map((t) => t.name)}
        save={acceptCandidateAction.bind(null, candidate.id)}
        addToDeal={addArticleToDealAction}
      />
    </>
  );
}
