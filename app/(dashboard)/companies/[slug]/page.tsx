import type { Metadata } from "next";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction, watchAction } from "@/app/(dashboard)/views/actions";
import { WatchButton } from "@/components/follow/watch-button";
import { isWatching } from "@/db/follow/views";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { resolveCompanySlug } from "@/db/directory/companies";
import { listRecordRevisions } from "@/db/directory/merges";
import { RevisionDiff, RevisionSummary } from "@/components/deals/revision-list";
import { hasRole } from "@/lib/roles";
import { getCompanyBySlug, searchCompanies } from "@/db/directory/directory";
import { CompareWith } from "@/components/compare/compare-with";
import { listDeals } from "@/db/deals/deals";
import { DealsTable, Pagination } from "@/components/deals/deals-table";
import { parseDealFiltersLenient } from "@/lib/filters";
import { HydrationBoundary } from "@tanstack/react-query";
import { ChartDealsOverTime, ChartPartnerMix, ChartTechnologies } from "@/components/charts/lazy-charts";
import { FixedFiltersProvider } from "@/components/charts/stats-client";
import { prefetchWidgets } from "@/server/widgets";
import { ExportMenu } from "@/components/ui/export-menu";
import { requirePrincipal } from "@/server/auth/page";
import { CompanyIdentity } from "@/components/companies/company-identity";
import { audienceOf } from "@/db/accounts/visibility";

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePrincipal();
  return { title: (await getCompanyBySlug((await params).slug))?.name ?? "Company not found" };
}

export default async function CompanyPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  const found = await resolveCompanySlug((await params).slug);
  if (!found) notFound();
  // An old slug (before a rename or a merge) keeps working.
  if (found.redirect) redirect(`/companies/${found.redirect}`);
  // One audience for the company's counts and its deals below (one query, not two).
  const audience = await audienceOf(principal.viewer);
  const company = (await getCompanyBySlug(found.slug, audience))!;
  const editor = hasRole(principal.role, "editor");
  const history = await listRecordRevisions({ entity: "company", entityId: company.id, limit: 20 });
  const query = await searchParams;
  const { page, rollup } = parseDealFiltersLenient(query).filters;
  const filters = {
    ...parseDealFiltersLenient({ company: company.slug, page: String(page), rollup: rollup ? "1" : "0" })
      .filters,
    audience,
  };
  const deals = await listDeals(filters);
  const fixed = { company: [company.slug], rollup };
  const chartFilters = { ...filters, page: 1 };
  const state = await prefetchWidgets(
    chartFilters,
    ["deals-over-time", "technologies", "partner-mix"],
    query,
  );
  return (
    <>
      <div className="crumbs">
        <Link href="/companies">Companies</Link> / {company.name}
      </div>
      <div className="page-head">
        <div>
          <h1>{company.name}</h1>
          <p>
            {[company.countryName, company.sectorName].filter(Boolean).join(" · ")}
            {company.parent && (
              <>
                {company.countryName || company.sectorName ? " · " : ""}part of{" "}
                <Link href={`/companies/${company.parent.slug}`}>{company.parent.name}</Link>
              </>
            )}
          </p>
        </div>
        <div className="actions">
          <WatchButton
            kind="company"
            id={company.id}
            watching={await isWatching(principal.id, { kind: "company", id: company.id })}
            watchAction={watchAction}
          />
          <SaveViewForm saveView={saveViewAction} />
          <FixedFiltersProvider value={fixed}>
            <ExportMenu />
          </FixedFiltersProvider>
          <Link className="button" href={`/companies/${company.slug}/brief${rollup ? "?rollup=1" : ""}`}>
            Brief
          </Link>
          <Link className="button" href={`/deals?company=${encodeURIComponent(company.slug)}`}>
            Filter deals by {company.name}
          </Link>
          {editor && (
            <>
              <Link className="button" href={`/companies/${company.slug}/edit`}>
                Edit company
              </Link>
              <Link className="button" href={`/companies/${company.slug}/merge`}>
                Merge into another company…
              </Link>
            </>
          )}
        </div>
      </div>
      <div className="card section-gap compare-with-card">
        <CompareWith
          id="compare-with"
          kind="company"
          chosen={[company.slug]}
          choices={[...company.partners, ...(await searchCompanies({ limit: 100 })).items]}
          keep={rollup ? [["rollup", "1"]] : []}
          label={`Compare ${company.name} with…`}
        />
      </div>
      {query.saved && (
        <p className="alert success" role="status">
          Company saved.
        </p>
      )}
      {query.merged && (
        <p className="alert success" role="status">
          Companies merged. <Link href="/activity">Activity</Link> can undo it.
        </p>
      )}
      <div className="grid cols-4">
        <div className="card stat">
          <div className="label">Deals</div>
          <div className="value">{company.dealCount}</div>
        </div>
        <div className="card stat">
          <div className="label">Partners</div>
          <div className="value">{company.partners.length}</div>
        </div>
        <div className="card">
          <h2 className="small muted">Also known as</h2>
          {company.aliases.length ? (
            <div className="chips">
              {company.aliases.map((a) => (
                <span key={a} className="chip">
                  {a}
                </span>
              ))}
            </div>
          ) : (
            <p className="muted small">No aliases recorded.</p>
          )}
        </div>
        <CompanyIdentity company={company} />
        {company.subsidiaries.length > 0 && (
          <div className="card">
            <h2 className="small muted">Subsidiaries</h2>
            <div className="chips">
              {company.subsidiaries.map((s) => (
                <Link key={s.id} className="chip" href={`/companies/${s.slug}`}>
                  {s.name}
                </Link>
              ))}
            </div>
          </div>
        )}
      </div>
      {company.subsidiaries.length > 0 && (
        <p className="section-gap">
          <Link className="button small" href={`/companies/${company.slug}${rollup ? "" : "?rollup=1"}`}>
            {rollup ? "Show only this company's own deals" : "Include its subsidiaries' deals"}
          </Link>
        </p>
      )}
      <FixedFiltersProvider value={fixed}>
        <HydrationBoundary state={state}>
          <div className="grid cols-2 section-gap">
            <ChartDealsOverTime title="Deals over time, by type" />
            <ChartTechnologies title="Technology mix" />
          </div>
          <div className="section-gap">
            <ChartPartnerMix title="Partners by country and sector" />
          </div>
        </HydrationBoundary>
      </FixedFiltersProvider>
      <div className="detail-grid section-gap">
        <section aria-labelledby="deals-h">
          <h2 id="deals-h">Deals</h2>
          {deals.items.length ? (
            <DealsTable deals={deals.items} filters={filters} />
          ) : (
            <div className="card empty">No deals recorded for {company.name} yet.</div>
          )}
          <Pagination filters={filters} total={deals.total} basePath={`/companies/${company.slug}`} />
        </section>
        <section className="card" aria-labelledby="partners-h">
          <h2 id="partners-h">Partners</h2>
          <p className="small muted">Ranked by deals together; each opens that pair&apos;s history.</p>
          {company.partners.length === 0 && <p className="muted">No partners yet.</p>}
          <ul className="plain rank-list">
            {company.partners.map((p) => (
              <li key={p.id}>
                <Link
                  href={`/deals?company=${encodeURIComponent(company.slug)}&partner=${encodeURIComponent(p.slug)}`}
                  title={`Deals of ${company.name} with ${p.name}`}
                >
                  {p.name}
                </Link>
                <span className="small muted" style={{ textAlign: "right" }}>
                  {p.dealCount}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card section-gap" aria-labelledby="company-history-h">
        <h2 id="company-history-h">History</h2>
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
