import { HydrationBoundary } from "@tanstack/react-query";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import type { Metadata } from "next";
import { listTechnologyChoices } from "@/db/directory/directory";
import { FilterBar } from "@/components/charts/filter-bar";
import { NetworkView } from "@/components/network/network-view";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { prefetchWidgets } from "@/server/widgets";

export const metadata: Metadata = { title: "Network" };

export default async function NetworkPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  const filters = await forPrincipal(parseDealFiltersLenient(params).filters, principal);
  const state = await prefetchWidgets(filters, ["network"], params);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Partner network</h1>
          <p>The 60 most active companies in the filtered deals; a line joins companies that share deals.</p>
        </div>
        <SaveViewForm saveView={saveViewAction} />
      </div>
      <FilterBar technologies={await listTechnologyChoices()} />
      <HydrationBoundary state={state}>
        <div className="section-gap">
          <NetworkView />
        </div>
      </HydrationBoundary>
    </>
  );
}
