import { exportFilename } from "@/lib/export-filename";
import { isWidgetName, WIDGET_NAMES } from "@/lib/widgets";
import { authorize, handle, HttpError, invalid } from "@/server/api";
import { chartImageSize } from "@/server/api-params";
import { renderChartPng, renderChartSvg, type ChartImageRequest } from "@/server/chart-image";
import { parseWidgetQuery } from "@/server/widgets";

/** A widget's chart as an image: /api/charts/deals-over-time.png?<filters>&interval=year&scale=2 */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  return handle(async () => {
    const viewer = await authorize(request, "stats:read");
    const file = (await params).file;
    const [, widget = "", format] = /^(.*)\.(svg|png)$/.exec(file) ?? [];
    if (!format)
      throw new HttpError(invalid({ file: [`Ask for {widget}.svg or {widget}.png, not "${file}"`] }));
    if (!isWidgetName(widget)) {
      throw new HttpError(
        invalid({ widget: [`No chart called "${widget}"; use one of ${WIDGET_NAMES.join(", ")}`] }),
      );
    }
    const { filters, options } = parseWidgetQuery(widget, request, chartImageSize);
    const { width, height, scale, ...own } = options as Record<string, unknown> & typeof options;
    const req: ChartImageRequest = {
      widget,
      filters,
      options: Object.fromEntries(Object.entries(own).map(([key, value]) => [key, String(value)])),
      width,
      height,
      scale,
    };
    const svg = format === "svg";
    return new Response(
      svg ? await renderChartSvg(req, viewer) : new Uint8Array(await renderChartPng(req, viewer)),
      {
        headers: {
          "Content-Type": svg ? "image/svg+xml; charset=utf-8" : "image/png",
          "Content-Disposition": `attachment; filename="${exportFilename(widget, filters, undefined, svg ? "svg" : "png")}"`,
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
        },
      },
    );
  });
}
