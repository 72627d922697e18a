import Link from "next/link";
import { getOverview, listDeals } from "@/db/queries";
import { DealsTable } from "@/components/deals/deals-table";
import { defaultFilters } from "@/lib/filters";
import { formatDealDate } from "@/lib/dates";
import { requirePrincipal } from "@/lib/auth/page";

export default async function OverviewPage() {
  await requirePrincipal();
  const overview = getOverview();
  const recent = listDeals({ ...defaultFilters, pageSize: 8 });
  const maxCompany = overview.topCompanies[0]?.dealCount ?? 1;
  const maxTech = overview.topTechnologies[0]?.dealCount ?? 1;
  const share = overview.deals ? Math.round((overview.nonBinding / overview.deals) * 100) : 0;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>The partnership landscape at a glance.</p>
        </div>
      </div>
      <div className="grid cols-4">
        <div className="card stat">
          <div className="label">Deals</div>
          <div className="value">{overview.deals.toLocaleString("en")}</div>
          <div className="hint">
            {overview.latest ? `latest announced ${formatDealDate(overview.latest)}` : "none recorded yet"}
          </div>
        </div>
        <div className="card stat">
          <div className="label">Companies</div>
          <div className="value">{overview.companies.toLocaleString("en")}</div>
        </div>
        <div className="card stat">
          <div className="label">Technology areas</div>
          <div className="value">{overview.technologies.toLocaleString("en")}</div>
        </div>
        <div className="card stat">
          <div className="label">Non-binding</div>
          <div className="value">{share}%</div>
          <div className="hint">of deals are explicitly non-binding</div>
        </div>
      </div>
      <div className="grid cols-2 section-gap">
        <section className="card" aria-labelledby="top-companies-h">
          <h2 id="top-companies-h">Most active companies</h2>
          <ul className="plain rank-list">
            {overview.topCompanies.map((c) => (
              <li key={c.id}>
                <Link href={`/companies/${c.slug}`}>{c.name}</Link>
                <span className="small muted" style={{ textAlign: "right" }}>
                  {c.dealCount}
                </span>
                <div className="bar" aria-hidden="true">
                  <span style={{ width: `${(c.dealCount / maxCompany) * 100}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="top-tech-h">
          <h2 id="top-tech-h">Top technology areas</h2>
          <ul className="plain rank-list">
            {overview.topTechnologies.map((t) => (
              <li key={t.id}>
                <Link href={`/deals?technology=${encodeURIComponent(t.slug)}`}>{t.name}</Link>
                <span className="small muted" style={{ textAlign: "right" }}>
                  {t.dealCount}
                </span>
                <div className="bar" aria-hidden="true">
                  <span style={{ width: `${(t.dealCount / maxTech) * 100}%` }} />
                </div>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="section-gap" aria-labelledby="recent-h">
        <div className="page-head" style={{ marginBottom: "0.5rem" }}>
          <h2 id="recent-h">Latest announcements</h2>
          <Link href="/deals">All deals →</Link>
        </div>
        {recent.items.length ? (
          <DealsTable deals={recent.items} filters={{ ...defaultFilters, pageSize: 8 }} />
        ) : (
          <div className="card empty">
            No deals yet. <Link href="/deals/new">Add the first one</Link>.
          </div>
        )}
      </section>
    </>
  );
}
