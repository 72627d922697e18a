import "server-only";
import { QueryClient, dehydrate } from "@tanstack/react-query";
import { NextResponse } from "next/server";
import { z } from "zod";
import { extend, type ZodMiniObject } from "zod/mini";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  partnerNetwork,
  technologiesOverTime,
  technologyCounts,
  timeline,
  topCompanies,
} from "@/db/stats/stats";
import { countryCounts, countryPairs, partnerMix, sectorCounts, sectorTechnologies } from "@/db/stats/geo";
import { memoStats } from "@/db/stats/stats-cache";
import { compareDeals } from "@/db/stats/compare";
import type { Comparison } from "@/db/types";
import type { Interval } from "@/lib/buckets";
import type { ChartFigure } from "@/lib/chart-figure";
import { audienceKey, dealFilters, filtersQuery, type DealFilters, type SearchParams } from "@/lib/filters";
import { forPrincipal } from "./auth/principal";
import { queryKeys } from "@/lib/query-keys";
import {
  DASHBOARD_WIDGETS,
  WIDGETS,
  widgetOptionsFromUrl,
  widgetSearch,
  type CsvTable,
  type WidgetData,
  type WidgetName,
  type WidgetOptions,
} from "@/lib/widgets";
import { authorize, handle, parseQuery } from "./api";

/** The whole comparison once per question: every compare panel, the API and the CSV share it. */
export function comparison(f: DealFilters, interval: Interval | "auto" = "auto"): Promise<Comparison> {
  return memoStats(`compare${filtersQuery(f, { interval })}${audienceKey(f.audience)}`, () =>
    compareDeals(f, interval),
  );
}

const panel =
  (key: "overTime" | "types" | "mix" | "countries" | "sectors" | "partners" | "shared") =>
  async (f: DealFilters, o: { interval?: Interval | "auto" }) => {
    const c = await comparison(f, o.interval);
    return { kind: c.kind, items: c.items, rows: c[key] };
  };

// The server half of the widget registry (lib/widgets.ts): how each widget's answer is computed.
// The type below makes a widget without a compute function a compile error.
const COMPUTE: { [N in WidgetName]: (f: DealFilters, o: WidgetOptions<N>) => Promise<WidgetData<N>> } = {
  summary: (f) => getSummary(f),
  "deals-over-time": (f, o) => dealsOverTime(f, o.interval),
  "top-companies": (f, o) => topCompanies(f, o),
  technologies: (f) => technologyCounts(f),
  "technologies-over-time": (f, o) => technologiesOverTime(f, o.interval),
  "deal-types": (f) => dealTypeBreakdown(f),
  countries: (f) => countryCounts(f),
  "country-pairs": (f, o) => countryPairs(f, o.limit),
  sectors: (f) => sectorCounts(f),
  "sector-technologies": (f) => sectorTechnologies(f),
  "partner-mix": (f) => partnerMix(f),
  timeline: (f, o) => timeline(f, o.groupBy),
  network: (f) => partnerNetwork(f),
  "compare-over-time": panel("overTime"),
  "compare-types": panel("types"),
  "compare-mix": panel("mix"),
  "compare-countries": panel("countries"),
  "compare-sectors": panel("sectors"),
  "compare-partners": panel("partners"),
  "compare-shared": panel("shared"),
};

/** One widget's answer, cached until the data changes under the same key for page and API. */
function computeWidget<N extends WidgetName>(
  name: N,
  filters: DealFilters,
  options: WidgetOptions<N>,
): Promise<WidgetData<N>> {
  // The audience is part of the key: a member's answer (with their team's deals) is never another's.
  const key = `${name}${widgetSearch(name, filters, options)}${audienceKey(filters.audience)}`;
  return memoStats(key, () => COMPUTE[name](filters, options));
}

export async function widgetTable<N extends WidgetName>(
  name: N,
  filters: DealFilters,
  options: WidgetOptions<N>,
): Promise<CsvTable> {
  const table = WIDGETS[name].table as (data: WidgetData<N>, options: WidgetOptions<N>) => CsvTable;
  return table(await computeWidget(name, filters, options), options);
}

/** What a widget's image draws (lib/chart-figure.ts), from the same cached answer as its route. */
export async function widgetFigure<N extends WidgetName>(
  name: N,
  filters: DealFilters,
  options: WidgetOptions<N>,
): Promise<ChartFigure> {
  const image = WIDGETS[name].image as (data: WidgetData<N>, options: WidgetOptions<N>) => ChartFigure;
  return image(await computeWidget(name, filters, options), options);
}

/** How many deals the filters select, for an image's source line (the summary's cached count). */
export async function countFilteredDeals(filters: DealFilters): Promise<number> {
  return (await computeWidget("summary", filters, {})).deals;
}

/** A widget's query parameters: the shared filters plus its own options, strictly (typos are 400s). */
export function parseWidgetQuery<
  N extends WidgetName,
  E extends z.ZodObject = z.ZodObject<Record<never, never>>,
>(name: N, request: Request, extra?: E) {
  const own = WIDGETS[name].options as ZodMiniObject;
  const schema = extra ? extend(own, extra.shape) : own;
  return parseQuery(request, schema) as {
    filters: DealFilters;
    options: WidgetOptions<N> & z.output<E>;
  };
}

/** The GET handler of a widget's JSON route: viewer access, strict parameters, cached answer. */
export function widgetRoute(name: WidgetName) {
  return async function GET(request: Request): Promise<Response> {
    return handle(async () => {
      const principal = await authorize(request, "stats:read");
      const { filters, options } = parseWidgetQuery(name, request);
      return NextResponse.json(await computeWidget(name, await forPrincipal(filters, principal), options));
    });
  };
}

/**
 * Computes the unfiltered dashboard into the stats cache, so the first analyst after a start gets it
 * at once (it also prepares the statements every other view shares). Errors are left to the requests.
 */
export async function warmDashboard(): Promise<void> {
  await prefetchWidgets(dealFilters.parse({}), DASHBOARD_WIDGETS).catch((error: unknown) =>
    console.error(`Warming the dashboard failed: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/**
 * What a page's widgets will ask for, computed here under the client's own keys so the first render
 * needs no fetch. Options come from the page URL by the same rule the client hook applies.
 */
export async function prefetchWidgets(filters: DealFilters, names: WidgetName[], params: SearchParams = {}) {
  const get = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const widgets = names.map((name) => ({ name, options: widgetOptionsFromUrl(name, get) }));
  // Side by side: on PostgreSQL each widget's queries run on their own pooled connections.
  const answers = await Promise.all(
    widgets.map(({ name, options }) => computeWidget(name, filters, options)),
  );
  const client = new QueryClient();
  widgets.forEach(({ name, options }, i) =>
    client.setQueryData(queryKeys.widget(name, widgetSearch(name, filters, options)), answers[i]),
  );
  return dehydrate(client);
}
