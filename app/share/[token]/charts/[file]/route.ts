import { NOINDEX } from "@/lib/csp";
import { renderChartPng, renderChartSvg } from "@/server/chart-image";
import { errorResponse, handle } from "@/server/api";
import { openShareRoute, shareChart, shareImageOptions } from "@/server/share";

type Context = { params: Promise<{ token: string; file: string }> };

/** A shared dashboard's chart as SVG or PNG, drawn from the view's filters only (the query is ignored). */
export async function GET(_request: Request, { params }: Context) {
  return handle(async () => {
    const { token, file } = await params;
    const share = await openShareRoute(token);
    const match = /^([a-z-]+)\.(svg|png)$/.exec(file);
    const widget = match && shareChart(share, match[1]!);
    if (!match || !widget) return errorResponse(404, "This shared view has no such chart");
    const req = { widget, filters: share.view.filters, options: shareImageOptions(share) };
    const headers = { "Cache-Control": "private, no-store", "X-Robots-Tag": NOINDEX };
    // null: drawn as for an anonymous visitor, who sees only live deals.
    if (match[2] === "svg")
      return new Response(await renderChartSvg(req, null), {
        headers: { ...headers, "Content-Type": "image/svg+xml; charset=utf-8" },
      });
    return new Response(new Uint8Array(await renderChartPng(req, null)), {
      headers: { ...headers, "Content-Type": "image/png" },
    });
  });
}
