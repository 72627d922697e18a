import type { Metadata } from "next";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import Link from "next/link";
import { listDeals } from "@/db/deals/deals";
import { listTechnologies } from "@/db/directory/directory";
import { ActiveFilters, DealFilterForm } from "@/components/deals/deal-filters";
import { DealsTable, Pagination } from "@/components/deals/deals-table";
import { FilterErrors } from "@/components/ui/filter-errors";
import { restoreDealAction } from "./actions";
import { ExportMenu } from "@/components/ui/export-menu";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { canSeeDeletedDeals, hasRole } from "@/lib/roles";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { plural } from "@/lib/plural";
import { PrintFilters } from "@/components/brief/print-filters";

export const metadata: Metadata = { title: "Deals" };

export default async function DealsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const canEdit = hasRole(principal.role, "editor");
  const params = await searchParams;
  const parsed = parseDealFiltersLenient(params);
  const { errors } = parsed;
  const filters = await forPrincipal(parsed.filters, principal);
  const deletedId =
    typeof params.deleted === "string" && /^\d+$/.test(params.deleted) ? params.deleted : null;
  const [page, technologies] = await Promise.all([listDeals(filters), listTechnologies()]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Deals</h1>
          <p>{plural(page.total, "deal")} match</p>
        </div>
        <div className="actions">
          <SaveViewForm saveView={saveViewAction} />
          <ExportMenu />
          {canSeeDeletedDeals(principal.role) && (
            <Link className="button" href="/deals/deleted">
              Deleted deals
            </Link>
          )}
          {canEdit && (
            <Link className="button" href="/deals/from-article">
              Add from article
            </Link>
          )}
          {canEdit && (
            <Link className="button primary" href="/deals/new">
              Add deal
            </Link>
          )}
        </div>
      </div>
      {deletedId && canEdit && (
        <div className="alert success" role="status">
          <form action={restoreDealAction} className="actions" style={{ justifyContent: "space-between" }}>
            <span>Deal deleted. It can be restored at any time from Deleted deals.</span>
            <input type="hidden" name="id" value={deletedId} />
            <button type="submit" className="button small">
              Undo
            </button>
          </form>
        </div>
      )}
      <FilterErrors errors={errors} />
      <PrintFilters filters={filters} technologies={technologies} />
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
