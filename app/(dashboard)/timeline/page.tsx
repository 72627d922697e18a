import { HydrationBoundary } from "@tanstack/react-query";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import type { Metadata } from "next";
import { listTechnologyChoices } from "@/db/directory/directory";
import { FilterBar } from "@/components/charts/filter-bar";
import { ExportMenu } from "@/components/ui/export-menu";
import { TimelineView } from "@/components/timeline/timeline-view";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { prefetchWidgets } from "@/server/widgets";

export const metadata: Metadata = { title: "Timeline" };

export default async function TimelinePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const principal = await requirePrincipal();
  const params = await searchParams;
  const filters = await forPrincipal(parseDealFiltersLenient(params).filters, principal);
  const state = await prefetchWidgets(filters, ["timeline"], params);
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
        <div className="actions">
          <SaveViewForm saveView={saveViewAction} />
          <ExportMenu />
        </div>
      </div>
      <FilterBar technologies={await listTechnologyChoices()} />
      <HydrationBoundary state={state}>
        <div className="section-gap">
          <TimelineView />
        </div>
      </HydrationBoundary>
    </>
  );
}
