import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { listTechnologyChoices } from "@/db/queries";
import { timeline } from "@/db/stats";
import { FilterBar } from "@/components/charts/filter-bar";
import { ExportMenu } from "@/components/ui/export-menu";
import { TimelineView } from "@/components/timeline/timeline-view";
import { requirePrincipal } from "@/lib/auth/page";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { prefetchStats } from "@/lib/stats-prefetch";

export const metadata: Metadata = { title: "Timeline" };

export default async function TimelinePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePrincipal();
  const params = await searchParams;
  const { filters } = parseDealFiltersLenient(params);
  const groupBy = params.groupBy === "technology" ? "technology" : "company";
  const state = prefetchStats(filters, [
    {
      endpoint: "timeline",
      extra: groupBy === "technology" ? { groupBy } : {},
      compute: () => timeline(filters, groupBy),
    },
  ]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Timeline</h1>
          <p>
            When each company or technology area&apos;s deals were announced. Hover or focus a mark for
            details.
          </p>
        </div>
        <ExportMenu />
      </div>
      <FilterBar technologies={listTechnologyChoices()} />
      <HydrationBoundary state={state}>
        <div className="section-gap">
          <TimelineView />
        </div>
      </HydrationBoundary>
    </>
  );
}
