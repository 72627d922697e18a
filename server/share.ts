import "server-only";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { listDeals } from "@/db/deals/deals";
import { openShareLink, type OpenShare } from "@/db/follow/share-links";
import type { DealPage } from "@/db/types";
import { dealFilters } from "@/lib/filters";
import { SHARE_SUMMARY_PAGES, shareCharts, shareChartTitle } from "@/lib/share-links";
import { isWidgetName, widgetOptionsFromUrl, type CsvTable, type WidgetName } from "@/lib/widgets";
import { errorResponse, HttpError } from "./api";
import { widgetTable } from "./widgets";

// What a share link shows, computed only from the saved view: the visitor's own query string never
// reaches the filters (a deals list reads only `page` from it), so no URL can widen a share.

/** The address a visitor opens; APP_URL when set (behind a proxy), else the origin asked. */
export function shareLinkUrl(token: string, origin: string): string {
  return `${(process.env.APP_URL ?? origin).replace(/\/$/, "")}/share/${token}`;
}

/** For share and embed pages: the link's view, counted as one opening, or the 404 page. */
export async function openSharePage(token: string): Promise<OpenShare> {
  await connection(); // read per request: a link may be revoked at any moment
  const share = await openShareLink(token, { count: true });
  if (!share) notFound();
  return share;
}

/** For a share's images and downloads (not counted as openings): the view, or a 404 answer. */
export async function openShareRoute(token: string): Promise<OpenShare> {
  const share = await openShareLink(token);
  if (!share) throw new HttpError(errorResponse(404, "This link does not exist or has ended"));
  return share;
}

/** The view's own page options (interval, rankBy …), as its saved address carries them. */
export function viewParams(share: OpenShare): URLSearchParams {
  return new URL(share.view.path, "http://atlas.invalid").searchParams;
}

/** A widget's options as the view's page would show it. */
export function shareWidgetOptions<N extends WidgetName>(share: OpenShare, name: N) {
  const params = viewParams(share);
  return widgetOptionsFromUrl(name, (key) => params.get(key));
}

/** The view's non-filter parameters, as URL strings, for the chart images. */
export function shareImageOptions(share: OpenShare): Record<string, string | undefined> {
  const filterKeys = new Set(Object.keys(dealFilters.shape));
  return Object.fromEntries([...viewParams(share)].filter(([key]) => !filterKeys.has(key)));
}

/** A chart of the shared view, by name; one its page does not show (or a deals-list share) is a 404. */
export function shareChart(share: OpenShare, name: string): WidgetName | null {
  if (!isWidgetName(name) || !shareCharts(share.view.page, share.view.filters).includes(name)) return null;
  return name;
}

/** Whether the shared view opens with its headline figures (and so offers them as a download). */
export const shareHasSummary = (share: OpenShare) => SHARE_SUMMARY_PAGES.includes(share.view.page);

export type SharedChart = { name: WidgetName; title: string; table: CsvTable };

/** One chart of a shared view with its numbers. */
export async function sharedChart(share: OpenShare, name: WidgetName): Promise<SharedChart> {
  const table = await widgetTable(name, share.view.filters, shareWidgetOptions(share, name));
  return { name, title: shareChartTitle(name, share.view.page, share.view.filters), table };
}

/** A shared view of charts: its headline figures (where its page has them) and each chart's numbers. */
export async function sharedCharts(share: OpenShare) {
  const [summary, charts] = await Promise.all([
    shareHasSummary(share)
      ? widgetTable("summary", share.view.filters, shareWidgetOptions(share, "summary"))
      : null,
    Promise.all(shareCharts(share.view.page, share.view.filters).map((name) => sharedChart(share, name))),
  ]);
  return { summary, charts };
}

/** A shared deals list, at the page the visitor asked for (the only thing they choose). */
export async function sharedDeals(share: OpenShare, rawPage: unknown): Promise<DealPage> {
  const page = typeof rawPage === "string" && /^\d{1,6}$/.test(rawPage) ? Math.max(1, Number(rawPage)) : 1;
  return listDeals({ ...share.view.filters, page });
}
