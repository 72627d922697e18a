import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getTechnology, previewTechnologyMerge } from "@/db/companies";
import { InputError } from "@/db/errors";
import type { MergePreview } from "@/db/types";
import { MergeConfirm } from "@/components/companies/merge-confirm";
import { MergePreviewView } from "@/components/companies/merge-preview";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { mergeTechnologyAction } from "../../actions";

export const metadata: Metadata = { title: "Merge technology area" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MergeTechnologyPage({ params, searchParams }: Props) {
  if (!hasRole((await requirePrincipal()).role, "editor")) return <AccessDenied need="editor" />;
  const area = getTechnology((await params).slug);
  if (!area) notFound();
  if (area.redirect) redirect(`/technologies/${area.redirect}/merge`);
  const raw = (await searchParams).into;
  const into = typeof raw === "string" ? raw.trim().slice(0, 200) : "";
  let preview: MergePreview | null = null;
  let error: string | null = null;
  if (into) {
    try {
      preview = previewTechnologyMerge(area.slug, into);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      error = Object.values(e.fieldErrors).flat().join(" ");
    }
  }
  return (
    <>
      <div className="crumbs">
        <Link href="/technologies">Technologies</Link> /{" "}
        <Link href={`/technologies/${area.slug}`}>{area.name}</Link> / Merge
      </div>
      <div className="page-head">
        <div>
          <h1>Merge {area.name} into another area</h1>
          <p>{area.name} disappears; its deals and narrower areas move to the area you choose.</p>
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
              placeholder="Name or slug of the area that stays"
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
              slug={area.slug}
              into={preview.target.slug}
              label="Merge technology areas"
              merge={mergeTechnologyAction}
            />
          </div>
        </>
      )}
    </>
  );
}
