import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { previewCompanyMerge, resolveCompanySlug } from "@/db/companies";
import { InputError } from "@/db/errors";
import { getCompanyBySlug } from "@/db/queries";
import type { MergePreview } from "@/db/types";
import { MergeConfirm } from "@/components/companies/merge-confirm";
import { MergePreviewView } from "@/components/companies/merge-preview";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { mergeCompanyAction } from "../../actions";

export const metadata: Metadata = { title: "Merge company" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MergeCompanyPage({ params, searchParams }: Props) {
  if (!hasRole((await requirePrincipal()).role, "editor")) return <AccessDenied need="editor" />;
  const found = resolveCompanySlug((await params).slug);
  if (!found) notFound();
  if (found.redirect) redirect(`/companies/${found.redirect}/merge`);
  const company = getCompanyBySlug(found.slug)!;
  const raw = (await searchParams).into;
  const into = typeof raw === "string" ? raw.trim().slice(0, 200) : "";
  let preview: MergePreview | null = null;
  let error: string | null = null;
  if (into) {
    try {
      preview = previewCompanyMerge(company.slug, into);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      error = Object.values(e.fieldErrors).flat().join(" ");
    }
  }
  return (
    <>
      <div className="crumbs">
        <Link href="/companies">Companies</Link> /{" "}
        <Link href={`/companies/${company.slug}`}>{company.name}</Link> / Merge
      </div>
      <div className="page-head">
        <div>
          <h1>Merge {company.name} into another company</h1>
          <p>
            {company.name} disappears; its deals, aliases and subsidiaries move to the company you choose.
          </p>
        </div>
      </div>
      <form method="get" className="card" aria-label="Choose the survivor">
        <div className="actions" style={{ alignItems: "flex-end" }}>
          <div className="field" style={{ flex: "1 1 320px" }}>
            <label htmlFor="merge-into">Merge into</label>
            <input
              id="merge-into"
              name="into"
              defaultValue={into}
              placeholder="Name, alias or slug of the company that stays"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "merge-into-error" : undefined}
            />
            {error && (
              <div id="merge-into-error" className="field-error">
                {error}
              </div>
            )}
          </div>
          <button type="submit" className="button">
            Preview merge
          </button>
        </div>
      </form>
      {preview && (
        <>
          <MergePreviewView preview={preview} />
          <div className="section-gap">
            <MergeConfirm
              slug={company.slug}
              into={preview.target.slug}
              label="Merge companies"
              disabled={!preview.canMerge}
              merge={mergeCompanyAction}
            />
          </div>
        </>
      )}
    </>
  );
}
