import type { Metadata } from "next";
import Link from "next/link";
import { listDeals, listTechnologies } from "@/db/queries";
import { ActiveFilters, DealFilterForm } from "@/components/deals/deal-filters";
import { DealsTable, Pagination } from "@/components/deals/deals-table";
import { FilterErrors } from "@/components/ui/filter-errors";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";

export const metadata: Metadata = { title: "Deals" };

export default async function DealsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { filters, errors } = parseDealFiltersLenient(await searchParams);
  const page = listDeals(filters);
  const technologies = listTechnologies();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deals</h1>
          <p>
            {page.total.toLocaleString("en")} {page.total === 1 ? "deal" : "deals"} match
          </p>
        </div>
        <div className="actions">
          <Link className="button" href="/deals/deleted">
            Deleted deals
          </Link>
          <Link className="button primary" href="/deals/new">
            Add deal
          </Link>
        </div>
      </div>
      <FilterErrors errors={errors} />
      <DealFilterForm filters={filters} technologies={technologies} />
      <ActiveFilters filters={filters} />
      {page.items.length ? (
        <div className="section-gap">
          <DealsTable deals={page.items} filters={filters} />
        </div>
      ) : (
        <div className="card empty" style={{ marginTop: "1rem" }}>
          <p>
            <strong>No deals match these filters.</strong>
          </p>
          <p>
            <Link href="/deals">Clear the filters</Link> or <Link href="/deals/new">add a deal</Link>.
          </p>
        </div>
      )}
      <Pagination filters={filters} total={page.total} />
    </>
  );
}
