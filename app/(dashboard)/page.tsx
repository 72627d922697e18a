import { HydrationBoundary } from "@tanstack/react-query";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import type { Metadata } from "next";
import { listTechnologyChoices } from "@/db/directory/directory";
import {
  ChartCountries,
  ChartCountryPairs,
  ChartDealsOverTime,
  ChartDealTypes,
  ChartSectors,
  ChartSectorTechnologies,
  ChartTechnologies,
  ChartTechnologiesOverTime,
  ChartTopCompanies,
} from "@/components/charts/lazy-charts";
import { HeadlineFigures } from "@/components/charts/headline-figures";
import { FilterBar } from "@/components/charts/filter-bar";
import { ExportMenu } from "@/components/ui/export-menu";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { DASHBOARD_WIDGETS } from "@/lib/widgets";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { prefetchWidgets } from "@/server/widgets";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  const filters = await forPrincipal(parseDealFiltersLenient(params).filters, principal);
  // What the widgets below will ask for, computed here so the first render is complete.
  const state = await prefetchWidgets(filters, DASHBOARD_WIDGETS, params);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>The partnership landscape at a glance. Click any bar or slice to see its deals.</p>
        </div>
        <div className="actions">
          <SaveViewForm saveView={saveViewAction} />
          <ExportMenu />
        </div>
      </div>
      <FilterBar technologies={await listTechnologyChoices()} />
      <HydrationBoundary state={state}>
        <div className="section-gap">
          <HeadlineFigures />
        </div>
        <div className="section-gap">
          <ChartDealsOverTime />
        </div>
        <div className="grid cols-2 section-gap">
          <ChartTopCompanies />
          <ChartTechnologies />
        </div>
        <div className="grid cols-2 section-gap">
          <ChartTechnologiesOverTime />
          <ChartDealTypes />
        </div>
        <div className="section-gap">
          <ChartCountries />
        </div>
        <div className="grid cols-2 section-gap">
          <ChartCountryPairs />
          <ChartSectors />
        </div>
        <div className="section-gap">
          <ChartSectorTechnologies />
        </div>
      </HydrationBoundary>
    </>
  );
}
