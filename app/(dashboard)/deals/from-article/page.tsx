import type { Metadata } from "next";
import Link from "next/link";
import { listTechnologies } from "@/db/directory/directory";
import { ArticleDraftFlow } from "@/components/extract/article-draft";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { teamChoices } from "@/db/accounts/visibility";
import { requirePrincipal } from "@/server/auth/page";
import { prepareExtraction } from "@/server/extract-pool";
import { addArticleToDealAction, draftArticleAction, saveDeal } from "../actions";

export const metadata: Metadata = { title: "Add from article" };

export default async function FromArticlePage() {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  prepareExtraction();
  return (
    <>
      <div className="crumbs">
        <Link href="/deals">Deals</Link> / From an article
      </div>
      <div className="page-head">
        <div>
          <h1>Add from article</h1>
          <p>
            Atlas drafts the deal from the article — parties, date, type, areas, quotes, source — and shows
            where each value came from. Check it, correct it, then save.
          </p>
        </div>
      </div>
      <ArticleDraftFlow
        draftArticle={draftArticleAction}
        save={saveDeal}
        addToDeal={addArticleToDealAction}
        teams={await teamChoices(principal.viewer)}
        technologyNames={(await listTechnologies()).map((t) => t.name)}
      />
    </>
  );
}
