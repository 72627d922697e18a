import Link from "next/link";
import type { ReactNode } from "react";
import type { DealRecord, OverTime, Summary } from "@/db/types";
import { TypeBadges } from "@/components/deals/deal-badges";
import { DealQuote } from "@/components/deals/deal-quote";
import { formatDealDate } from "@/lib/dates";
import { plural } from "@/lib/plural";
import { BriefDealsOverTime } from "./brief-chart";
import { PrintButton } from "./print-button";

export type BriefRanking = {
  id: string;
  title: string;
  /** What the count column counts. */
  unit: string;
  rows: { key: string | number; name: string; href: string; deals: number }[];
  empty: string;
};

const pct = (x: number) => `${Math.round(x * 100)}%`;

/**
 * A one-to-two-page profile of a company or a technology area, for the screen and for paper: the
 * same markup, with the print rules in globals.css dropping the controls and the page chrome.
 */
export function BriefView({
  kind,
  name,
  back,
  scope,
  asOf,
  identity,
  figures,
  overTime,
  rankings,
  latest,
}: {
  kind: "Company" | "Technology area";
  name: string;
  /** The record's full page. */
  back: { href: string; label: string };
  /** The filters in words ("Deals of Samsung"). */
  scope: string;
  /** ISO date the figures were read. */
  asOf: string;
  identity: { term: string; details: ReactNode }[];
  figures: Summary;
  overTime: OverTime;
  rankings: BriefRanking[];
  latest: { total: number; items: DealRecord[] };
}) {
  const sources = [
    ...new Map(
      latest.items.flatMap((d) => d.sources).map((s) => [s.url ?? `${s.publisher}:${s.title}`, s] as const),
    ).values(),
  ];
  return (
    <article className="brief" aria-labelledby="brief-h">
      <div className="crumbs">
        <Link href={back.href}>{back.label}</Link> / Brief
      </div>
      <header className="page-head">
        <div>
          <p className="brief-kind">{kind} brief</p>
          <h1 id="brief-h">{name}</h1>
          <p>
            {scope} · figures as of {formatDealDate(asOf)}
          </p>
        </div>
        <div className="actions">
          <PrintButton />
        </div>
      </header>

      <section className="brief-section" aria-labelledby="identity-h">
        <h2 id="identity-h">Identity</h2>
        <dl className="facts">
          {identity.map(({ term, details }) => (
            <div key={term} className="brief-fact">
              <dt>{term}</dt>
              <dd>{details}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="brief-section" aria-labelledby="figures-h">
        <h2 id="figures-h">Headline figures</h2>
        <dl className="headline brief-figures">
          {[
            ["Deals", figures.deals.toLocaleString("en")],
            ["Companies involved", figures.companies.toLocaleString("en")],
            ["Technology areas", figures.technologies.toLocaleString("en")],
            ["Last 12 months", figures.last12Months.toLocaleString("en")],
            ["Non-binding MoUs", figures.knownBinding ? pct(figures.nonBindingMouShare) : "–"],
          ].map(([label, value]) => (
            <div key={label} className="stat">
              <dt className="label">{label}</dt>
              <dd className="value">{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="brief-section" aria-labelledby="over-time-h">
        <h2 id="over-time-h">Deals over time</h2>
        {overTime.buckets.length ? (
          <BriefDealsOverTime data={overTime} />
        ) : (
          <p className="muted">No deals recorded yet.</p>
        )}
      </section>

      <div className="brief-columns">
        {rankings.map((ranking) => (
          <section key={ranking.id} className="brief-section" aria-labelledby={`${ranking.id}-h`}>
            <h2 id={`${ranking.id}-h`}>{ranking.title}</h2>
            {ranking.rows.length ? (
              <table className="brief-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col" className="num">
                      {ranking.unit}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ranking.rows.map((row) => (
                    <tr key={row.key}>
                      <td>
                        <Link href={row.href}>{row.name}</Link>
                      </td>
                      <td className="num">{row.deals}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">{ranking.empty}</p>
            )}
          </section>
        ))}
      </div>

      <section className="brief-section" aria-labelledby="latest-h">
        <h2 id="latest-h">Latest deals</h2>
        {latest.items.length === 0 && <p className="muted">No deals recorded yet.</p>}
        {latest.total > latest.items.length && (
          <p className="small muted">
            The {latest.items.length} most recent of {plural(latest.total, "deal")}.
          </p>
        )}
        <ol className="plain brief-deals">
          {latest.items.map((deal) => (
            <li key={deal.id}>
              <p className="brief-deal-head">
                <Link href={`/deals/${deal.id}`}>{deal.title}</Link>{" "}
                <span className="small muted">
                  {formatDealDate(deal.announcedOn, deal.datePrecision)} ·{" "}
                  {deal.parties.map((p) => p.company.name).join(", ")}
                </span>{" "}
                <TypeBadges types={deal.types} />
              </p>
              {deal.quotes[0] && <DealQuote quote={deal.quotes[0]} />}
            </li>
          ))}
        </ol>
      </section>

      <section className="brief-section" aria-labelledby="sources-h">
        <h2 id="sources-h">Sources</h2>
        {sources.length === 0 && <p className="muted">No sources recorded for these deals.</p>}
        <ol className="brief-sources small">
          {sources.map((s) => (
            <li key={s.url ?? `${s.publisher}:${s.title}`}>
              {[s.publisher, s.title, s.publishedOn && formatDealDate(s.publishedOn)]
                .filter(Boolean)
                .join(" · ")}
              {s.url && (
                <>
                  {(s.publisher || s.title) && " — "}
                  {/* The address written out, so it survives on paper. */}
                  <a href={s.url} rel="noopener noreferrer nofollow">
                    {s.url}
                  </a>
                </>
              )}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
