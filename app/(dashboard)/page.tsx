import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { listTechnologyChoices } from "@/db/queries";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  technologiesOverTime,
  technologyCounts,
  topCompanies,
} from "@/db/stats";
import {
  ChartDealsOverTime,
  ChartDealTypes,
  ChartTechnologies,
  ChartTechnologiesOverTime,
  ChartTopCompanies,
} from "@/components/charts/lazy-charts";
import { HeadlineFigures } from "@/components/charts/headline-figures";
import { FilterBar } from "@/components/charts/filter-bar";
import { ExportMenu } from "@/components/ui/export-menu";
import { requirePrincipal } from "@/lib/auth/page";
import type { Interval } from "@/lib/buckets";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { intervalOption } from "@/lib/stats-options";
import { prefetchStats } from "@/lib/stats-prefetch";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePrincipal();
  const params = await searchParams;
  const { filters } = parseDealFiltersLenient(params);
  const parsedInterval = intervalOption.safeParse({ interval: params.interval });
  const interval: Interval | "auto" = parsedInterval.success ? parsedInterval.data.interval : "auto";
  const intervalExtra: Record<string, string> = interval === "auto" ? {} : { interval };
  const byPartners = params.rankBy === "partners";
  // What the widgets below will ask for, computed here so the first render is complete.
  const state = prefetchStats(filters, [
    { endpoint: "stats/summary", compute: () => getSummary(filters) },
    {
      endpoint: "stats/deals-over-time",
      extra: intervalExtra,
      compute: () => dealsOverTime(filters, interval),
    },
    {
      endpoint: "stats/top-companies",
      extra: byPartners ? { by: "partners" } : {},
      compute: () => topCompanies(filters, { by: byPartners ? "partners" : "deals" }),
    },
    { endpoint: "stats/technologies", compute: () => technologyCounts(filters) },
    {
      endpoint: "stats/technologies-over-time",
      extra: intervalExtra,
      compute: () => technologiesOverTime(filters, interval),
    },
    { endpoint: "stats/deal-types", compute: () => dealTypeBreakdown(filters) },
  ]);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p>The partnership landscape at a glance. Click any bar or slice to see its deals.</p>
        </div>
        <ExportMenu />
      </div>
      <FilterBar technologies={listTechnologyChoices()} />
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
      </HydrationBoundary>
    </>
  );
}
