import Link from "next/link";
import type { DealBrief, MergePreview } from "@/db/types";

function DealList({ deals, empty }: { deals: DealBrief[]; empty: string }) {
  if (!deals.length) return <p className="muted small">{empty}</p>;
  return (
    <ul>
      {deals.map((d) => (
        <li key={d.id}>
          <Link href={`/deals/${d.id}`}>
            #{d.id} {d.title}
          </Link>{" "}
          <span className="muted small">{d.announcedOn}</span>
        </li>
      ))}
    </ul>
  );
}

/** What a merge would move, before the analyst confirms it. */
export function MergePreviewView({ preview }: { preview: MergePreview }) {
  const company = preview.kind === "company";
  const base = company ? "/companies" : "/technologies";
  return (
    <section className="card section-gap" aria-labelledby="preview-h">
      <h2 id="preview-h">
        Merge {preview.source.name} into{" "}
        <Link href={`${base}/${preview.target.slug}`}>{preview.target.name}</Link>
      </h2>
      {!preview.canMerge && preview.blockingDeals.length === 0 && (
        <p className="alert error" role="alert">
          This merge would leave a deal with fewer than two parties; an administrator can fix it first.
        </p>
      )}
      {preview.blockingDeals.length > 0 && (
        <div className="alert error" role="alert">
          <p>
            These deals would be left with fewer than two parties, so the merge is blocked until they are
            fixed:
          </p>
          <DealList deals={preview.blockingDeals} empty="" />
        </div>
      )}
      <h3>Deals that move to {preview.target.name}</h3>
      <DealList deals={preview.movedDeals} empty="None." />
      <h3>Deals where both are {company ? "parties and become one party" : "areas and become one"}</h3>
      <DealList deals={preview.sharedDeals} empty="None." />
      {company && (
        <>
          <h3>Names that become aliases of {preview.target.name}</h3>
          <p>{[preview.nameBecomesAlias, ...preview.aliases].filter(Boolean).join(", ")}</p>
        </>
      )}
      <h3>{company ? "Subsidiaries" : "Narrower areas"} that move</h3>
      <p>{preview.children.map((c) => c.name).join(", ") || "None."}</p>
      <p className="small muted">
        The old address redirects to the survivor. Activity keeps an undo for this merge.
      </p>
    </section>
  );
}
