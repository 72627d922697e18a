import type { DealPage } from "@/db/types";
import { DealsTable } from "@/components/deals/deals-table";
import { defaultFilters } from "@/lib/filters";
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
      <DealsTable deals={page.items} filters={defaultFilters} readOnly />
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
