import { HydrationBoundary } from "@tanstack/react-query";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction, watchAction } from "@/app/(dashboard)/views/actions";
import { WatchButton } from "@/components/follow/watch-button";
import { isWatching } from "@/db/follow/views";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { listRecordRevisions } from "@/db/directory/merges";
import { getTechnology } from "@/db/directory/technologies";
import { RevisionDiff, RevisionSummary } from "@/components/deals/revision-list";
import { hasRole } from "@/lib/roles";
import { listTechnologies } from "@/db/directory/directory";
import { CompareWith } from "@/components/compare/compare-with";
import { relatedTechnologies, topPairs } from "@/db/stats/stats";
import { ChartDealsOverTime, ChartPartnerMix, ChartTopCompanies } from "@/components/charts/lazy-charts";
import { FixedFiltersProvider } from "@/components/charts/stats-client";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { prefetchWidgets } from "@/server/widgets";
import { ExportMenu } from "@/components/ui/export-menu";
import { plural } from "@/lib/plural";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePrincipal();
  const { slug } = await params;
  return { title: (await listTechnologies()).find((t) => t.slug === slug)?.name ?? "Technology not found" };
}

export default async function TechnologyPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  const editor = hasRole(principal.role, "editor");
  const record = await getTechnology((await params).slug);
  if (!record) notFound();
  // An old slug (before a rename or a merge) keeps working.
  if (record.redirect) redirect(`/technologies/${record.redirect}`);
  const area = (await listTechnologies()).find((t) => t.id === record.id)!;
  const history = await listRecordRevisions({ entity: "technology", entityId: area.id, limit: 20 });
  const fixed = { technology: [area.slug] };
  const query = await searchParams;
  const filters = await forPrincipal({ ...parseDealFiltersLenient(query).filters, ...fixed }, principal);
  const state = await prefetchWidgets(filters, ["deals-over-time", "top-companies", "partner-mix"], query);
  const related = await relatedTechnologies(area.id, filters.audience);
  const pairs = await topPairs(filters);
  return (
    <>
      <div className="crumbs">
        <Link href="/technologies">Technologies</Link> / {area.name}
      </div>
      <div className="page-head">
        <div>
          <h1>{area.name}</h1>
          <p>
            {plural(area.dealCount, "deal")}
            {record.parent && (
              <>
                {" "}
                · narrower than <Link href={`/technologies/${record.parent.slug}`}>{record.parent.name}</Link>
              </>
            )}
          </p>
          {record.synonyms.length > 0 && (
            <p className="small muted">
              Named in articles as {record.synonyms.map((w) => `“${w}”`).join(", ")}
            </p>
          )}
        </div>
        <div className="actions">
          <WatchButton
            kind="technology"
            id={area.id}
            watching={await isWatching(principal.id, { kind: "technology", id: area.id })}
            watchAction={watchAction}
          />
          <SaveViewForm saveView={saveViewAction} />
          <FixedFiltersProvider value={fixed}>
            <ExportMenu />
          </FixedFiltersProvider>
          <Link className="button" href={`/technologies/${area.slug}/brief`}>
            Brief
          </Link>
          <Link className="button" href={`/deals?technology=${encodeURIComponent(area.slug)}`}>
            List its deals
          </Link>
          {editor && (
            <>
              <Link className="button" href={`/technologies/${area.slug}/edit`}>
                Edit area
              </Link>
              <Link className="button" href={`/technologies/${area.slug}/merge`}>
                Merge into another area…
              </Link>
            </>
          )}
        </div>
      </div>
      <div className="card section-gap compare-with-card">
        <CompareWith
          id="compare-with"
          kind="technology"
          chosen={[area.slug]}
          choices={await listTechnologies()}
          label={`Compare ${area.name} with…`}
        />
      </div>
      <FixedFiltersProvider value={fixed}>
        <HydrationBoundary state={state}>
          <ChartDealsOverTime title={`${area.name} deals over time, by type`} />
          <div className="grid cols-2 section-gap">
            <ChartTopCompanies />
            <section className="card" aria-labelledby="pairs-h">
              <h2 id="pairs-h">Most active pairs</h2>
              {pairs.length === 0 && <p className="muted">No pairs yet.</p>}
              <ul className="plain">
                {pairs.map((p) => (
                  <li
                    key={`${p.a.id}-${p.b.id}`}
                    className="actions"
                    style={{ justifyContent: "space-between" }}
                  >
                    <Link
                      href={`/deals?technology=${encodeURIComponent(area.slug)}&company=${encodeURIComponent(p.a.slug)}&partner=${encodeURIComponent(p.b.slug)}`}
                    >
                      {p.a.name} × {p.b.name}
                    </Link>
                    <span className="small muted">{p.deals}</span>
                  </li>
                ))}
              </ul>
            </section>
          </div>
          <div className="section-gap">
            <ChartPartnerMix title="Companies in this area by country and sector" />
          </div>
        </HydrationBoundary>
      </FixedFiltersProvider>
      <section className="card section-gap" aria-labelledby="narrower-h">
        <h2 id="narrower-h">Narrower areas</h2>
        <p className="small muted">With Roll up on, their deals count under {area.name} too.</p>
        <div className="chips">
          {record.narrower.map((r) => (
            <Link key={r.id} className="chip" href={`/technologies/${r.slug}`}>
              {r.name}
            </Link>
          ))}
          {record.narrower.length === 0 && <span className="muted">None.</span>}
        </div>
      </section>
      <section className="card section-gap" aria-labelledby="related-h">
        <h2 id="related-h">Related areas</h2>
        <p className="small muted">Areas that appear in the same deals as {area.name}.</p>
        <div className="chips">
          {related.map((r) => (
            <Link key={r.id} className="chip" href={`/technologies/${r.slug}`}>
              {r.name} · {r.deals}
            </Link>
          ))}
          {related.length === 0 && <span className="muted">None yet.</span>}
        </div>
      </section>
      <section className="card section-gap" aria-labelledby="area-history-h">
        <h2 id="area-history-h">History</h2>
        {history.length === 0 && <p className="muted">No changes recorded yet.</p>}
        {history.map((rev) => (
          <details key={rev.id} className="revision">
            <summary>
              <RevisionSummary revision={rev} />
            </summary>
            <RevisionDiff revision={rev} />
          </details>
        ))}
      </section>
    </>
  );
}
