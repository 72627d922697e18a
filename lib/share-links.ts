import { z } from "zod";
import { DASHBOARD_WIDGETS, type WidgetName } from "./widgets";
import type { ViewPage } from "./saved-views";

// Share links (issue 24): a read-only address of one saved view for people without an account.

/** The view pages a link can show; the others (timeline, network, a company page) are refused. */
export const SHAREABLE_PAGES = ["dashboard", "deals"] as const satisfies readonly ViewPage[];
export type ShareablePage = (typeof SHAREABLE_PAGES)[number];

export function isShareablePage(page: ViewPage): page is ShareablePage {
  return (SHAREABLE_PAGES as readonly ViewPage[]).includes(page);
}

/** The charts of a shared dashboard, each also an image and an embed (the summary is figures, no chart). */
export const SHARE_CHARTS: WidgetName[] = DASHBOARD_WIDGETS.filter((name) => name !== "summary");

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
