import { z } from "zod";
import { COMPARE_WIDGETS, DASHBOARD_WIDGETS, type WidgetName } from "./widgets";
import type { DealFilters } from "./filters";
import type { ViewPage } from "./saved-views";

// Share links (issue 24): a read-only address of one saved view for people without an account.

/** The charts a shared view shows (a deals list shows its table instead), as its page does. */
export const SHARE_PAGE_CHARTS: Record<Exclude<ViewPage, "deals">, readonly WidgetName[]> = {
  dashboard: DASHBOARD_WIDGETS.filter((name) => name !== "summary"),
  company: ["deals-over-time", "technologies", "partner-mix"],
  technology: ["deals-over-time", "top-companies", "partner-mix"],
  timeline: ["timeline"],
  network: ["network"],
  compare: COMPARE_WIDGETS,
};

/** The shared pages that open with their headline figures ("At a glance"), as their pages do. */
export const SHARE_SUMMARY_PAGES: readonly ViewPage[] = ["dashboard", "company", "technology"];

/** Whether a comparison compares technology areas (its page then has no "Top partners" panel). */
const comparesAreas = (page: ViewPage, filters: DealFilters) => page === "compare" && !filters.company.length;

/** The charts of a shared view: each also an image and an embed. As its page shows them. */
export const shareCharts = (page: ViewPage, filters: DealFilters): readonly WidgetName[] =>
  page === "deals"
    ? []
    : comparesAreas(page, filters)
      ? SHARE_PAGE_CHARTS.compare.filter((name) => name !== "compare-partners")
      : SHARE_PAGE_CHARTS[page];

/** A shared chart's title: a comparison of areas names two of its panels as its page does. */
export function shareChartTitle(name: WidgetName, page: ViewPage, filters: DealFilters): string {
  if (comparesAreas(page, filters)) {
    if (name === "compare-mix") return "Top companies, compared";
    if (name === "compare-shared") return "Companies in several of these areas";
  }
  return SHARE_CHART_TITLES[name] ?? name;
}

/** What a chart is called on a shared page, its image's alternative text and its embed's title. */
export const SHARE_CHART_TITLES: Partial<Record<WidgetName, string>> = {
  "deals-over-time": "Deals over time",
  "top-companies": "Top companies",
  technologies: "Technology areas",
  "technologies-over-time": "Technology areas over time",
  "deal-types": "Deal types",
  countries: "Deals by country",
  "country-pairs": "Cross-border corridors",
  sectors: "Deals by sector",
  "sector-technologies": "Sectors × technology areas",
  "partner-mix": "Partners by country and sector",
  timeline: "Timeline",
  network: "Partner network",
  "compare-over-time": "Deals over time, compared",
  "compare-types": "Deal types, compared",
  "compare-mix": "Technology areas, compared",
  "compare-countries": "Partner countries, compared",
  "compare-sectors": "Partner sectors, compared",
  "compare-partners": "Top partners, compared",
  "compare-shared": "Shared partners",
};

/** A link's token as issued: 32 random bytes, base64url (43 characters). Anything else is no link. */
export const SHARE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const shareLinkInput = z
  .object({
    expiresAt: z.iso
      .datetime({ offset: true, error: "Use a date and time such as 2030-01-31T17:00:00Z" })
      .refine((at) => Date.parse(at) > Date.now(), { error: "Choose a time in the future" })
      .optional()
      .meta({ description: "When the link ends (ISO date-time in the future); left out: never" }),
    allowExport: z
      .boolean({ error: "Use true or false" })
      .default(false)
      .meta({ description: "Whether visitors may download the view's data as CSV" }),
  })
  .strict();
export type ShareLinkInput = z.output<typeof shareLinkInput>;
