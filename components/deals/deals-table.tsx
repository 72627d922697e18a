import Link from "next/link";
import type { DealRecord } from "@/db/types";
import { formatDealDate } from "@/lib/dates";
import { filtersToSearch, type DealFilters, type DealSort } from "@/lib/filters";
import { ConfidentialBadge, StatusBadge, TypeBadges } from "./deal-badges";
import { plural } from "@/lib/plural";

function SortHeader({
  filters,
  label,
  asc,
  desc,
}: {
  filters: DealFilters;
  label: string;
  asc: DealSort;
  desc?: DealSort;
}) {
  const active = filters.sort === asc || filters.sort === desc;
  const next = desc && filters.sort === desc ? asc : (desc ?? asc);
  const direction = filters.sort === asc ? "ascending" : filters.sort === desc ? "descending" : undefined;
  return (
    <th aria-sort={active ? direction : undefined}>
      <Link href={`/deals${filtersToSearch({ ...filters, sort: next, page: 1 })}`}>
        {label}
        {active && (
          <span className="sort-indicator" aria-hidden="true">
            {direction === "ascending" ? "▲" : "▼"}
          </span>
        )}
      </Link>
    </th>
  );
}

/**
 * The deals as a table. `readOnly` (a share link): plain text, no sorting and no links into Atlas.
 */
export function DealsTable({
  deals,
  filters,
  readOnly = false,
}: {
  deals: DealRecord[];
  filters: DealFilters;
  readOnly?: boolean;
}) {
  const header = (label: string, asc: DealSort, desc?: DealSort) =>
    readOnly ? (
      <th scope="col">{label}</th>
    ) : (
      <SortHeader filters={filters} label={label} asc={asc} desc={desc} />
    );
  return (
    <div className="table-wrap" role="region" aria-label="Deals table" tabIndex={0}>
      <table>
        <caption className="visually-hidden">Deals</caption>
        <thead>
          <tr>
            {header("Title", "title")}
            {header("Announced", "announcedOn", "-announcedOn")}
            <th>Parties</th>
            <th>Types</th>
            <th>Technologies</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {deals.map((deal) => (
            <tr key={deal.id}>
              <td className="title-cell">
                {readOnly ? deal.title : <Link href={`/deals/${deal.id}`}>{deal.title}</Link>}
                {deal.demo && (
                  <span className="badge demo" style={{ marginLeft: 6 }}>
                    Generated
                  </span>
                )}
              </td>
              <td className="date-cell">
                <time dateTime={deal.announcedOn}>
                  {formatDealDate(deal.announcedOn, deal.datePrecision)}
                </time>
              </td>
              <td>
                {deal.parties.map((p, i) => (
                  <span key={p.company.id}>
                    {i > 0 && ", "}
                    {readOnly ? (
                      p.company.name
                    ) : (
                      <Link href={`/companies/${p.company.slug}`}>{p.company.name}</Link>
                    )}
                  </span>
                ))}
              </td>
              <td>
                <TypeBadges types={deal.types} />
              </td>
              <td className="small">{deal.technologies.map((t) => t.name).join(", ")}</td>
              <td>
                <StatusBadge status={deal.status} /> <ConfidentialBadge visibility={deal.visibility} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pagination({
  filters,
  total,
  basePath = "/deals",
}: {
  filters: DealFilters;
  total: number;
  basePath?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / filters.pageSize));
  const first = total === 0 ? 0 : (filters.page - 1) * filters.pageSize + 1;
  const last = Math.min(total, filters.page * filters.pageSize);
  const href = (page: number) => `${basePath}${filtersToSearch({ ...filters, page })}`;
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted" aria-live="polite">
        {total === 0
          ? "No deals"
          : `Showing ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${plural(total, "deal")}`}
      </span>
      <span className="actions">
        {filters.page > 1 ? (
          <Link className="button small" href={href(filters.page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : null}
        <span className="small muted">
          Page {filters.page} of {pages.toLocaleString("en")}
        </span>
        {filters.page < pages ? (
          <Link className="button small" href={href(filters.page + 1)} rel="next">
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
