import type { DealPage } from "@/db/types";
import { StatusBadge, TypeBadges } from "@/components/deals/deal-badges";
import { formatDealDate } from "@/lib/dates";
import { plural } from "@/lib/plural";

/** A shared deals list: the deals as text (no links into Atlas), page by page within the share. */
export function SharedDeals({ page, base }: { page: DealPage; base: string }) {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const first = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const last = Math.min(page.total, page.page * page.pageSize);
  if (page.items.length === 0)
    return (
      <div className="card empty">
        <p>
          <strong>No deals match this view{page.page > 1 ? " on this page" : ""}.</strong>
        </p>
      </div>
    );
  return (
    <>
      <div className="table-wrap" role="region" aria-label="Deals table" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Deals</caption>
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Announced</th>
              <th scope="col">Parties</th>
              <th scope="col">Types</th>
              <th scope="col">Technologies</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((deal) => (
              <tr key={deal.id}>
                <td className="title-cell">{deal.title}</td>
                <td className="date-cell">
                  <time dateTime={deal.announcedOn}>
                    {formatDealDate(deal.announcedOn, deal.datePrecision)}
                  </time>
                </td>
                <td>{deal.parties.map((p) => p.company.name).join(", ")}</td>
                <td>
                  <TypeBadges types={deal.types} />
                </td>
                <td className="small">{deal.technologies.map((t) => t.name).join(", ")}</td>
                <td>
                  <StatusBadge status={deal.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pagination" aria-label="Pages">
        <span className="muted">
          {`Showing ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${plural(page.total, "deal")}`}
        </span>
        <span className="actions">
          {page.page > 1 && (
            <a className="button small" href={`${base}?page=${page.page - 1}`} rel="prev">
              ← Previous
            </a>
          )}
          <span className="small muted">
            Page {page.page} of {pages.toLocaleString("en")}
          </span>
          {page.page < pages && (
            <a className="button small" href={`${base}?page=${page.page + 1}`} rel="next">
              Next →
            </a>
          )}
        </span>
      </nav>
    </>
  );
}
