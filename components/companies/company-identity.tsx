import { Fragment, type ReactNode } from "react";
import type { CompanyDetail } from "@/db/types";

/** Where a company is, what it does and how other registers know it: the company page's identity block. */
export function CompanyIdentity({ company }: { company: CompanyDetail }) {
  const rows: { label: string; value: ReactNode }[] = [];
  if (company.country)
    rows.push({
      label: "Country",
      value: (
        <>
          {company.countryName ?? company.country}
          {company.region && <span className="muted"> ({company.region})</span>}
        </>
      ),
    });
  if (company.sector)
    rows.push({
      label: "Sector",
      value: (
        <>
          {company.sectorName ?? company.sector} <span className="muted">(NAICS {company.sector})</span>
        </>
      ),
    });
  if (company.lei)
    rows.push({
      label: "LEI",
      value: (
        <a
          href={`https://search.gleif.org/#/record/${company.lei}`}
          rel="noopener noreferrer nofollow"
          target="_blank"
        >
          <code>{company.lei}</code>
        </a>
      ),
    });
  if (company.wikidataId)
    rows.push({
      label: "Wikidata",
      value: (
        <a
          href={`https://www.wikidata.org/wiki/${company.wikidataId}`}
          rel="noopener noreferrer nofollow"
          target="_blank"
        >
          {company.wikidataId}
        </a>
      ),
    });
  if (company.ticker) rows.push({ label: "Ticker", value: company.ticker });
  if (company.website)
    rows.push({
      label: "Website",
      value: (
        <a href={company.website} rel="noopener noreferrer nofollow" target="_blank">
          {new URL(company.website).hostname}
        </a>
      ),
    });
  return (
    <div className="card">
      <h2 className="small muted">Identity</h2>
      {rows.length ? (
        <dl className="facts">
          {rows.map(({ label, value }) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      ) : (
        <p className="muted small">No country, sector or identifiers recorded.</p>
      )}
    </div>
  );
}
