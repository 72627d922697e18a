import { exportFilename } from "@/lib/export-filename";
import { isWidgetName, WIDGET_NAMES } from "@/lib/widgets";
import { authorize, errorResponse, handle } from "@/server/api";
import { chartExportOptions as excel } from "@/server/api-params";
import { csvHeadResponse, csvResponse, csvTableLines } from "@/server/csv-response";
import { parseWidgetQuery, widgetTable } from "@/server/widgets";
import { forPrincipal } from "@/server/auth/principal";
import { recordExport } from "@/server/export-audit";

/** A chart's numbers as CSV: /api/export/stats/deals-over-time.csv?<filters>&interval=quarter */
export async function GET(request: Request, { params }: { params: Promise<{ chart: string }> }) {
  return handle(async () => {
    const principal = await authorize(request, "export");
    const { actor } = principal;
    const chart = (await params).chart.replace(/\.csv$/, "");
    if (!isWidgetName(chart)) {
      return errorResponse(404, `No chart called "${chart}"; use one of ${WIDGET_NAMES.join(", ")}`);
    }
    const { filters, options } = parseWidgetQuery(chart, request, excel);
    const table = await widgetTable(chart, await forPrincipal(filters, principal), options);
    const file = exportFilename(chart, filters);
    await recordExport(request, actor, { file, filters, rows: table.rows.length });
    return csvResponse(csvTableLines(table), file, { bom: options.excel });
  });
}

/** The same answer as GET without the body, and without computing the chart. */
export async function HEAD(request: Request, { params }: { params: Promise<{ chart: string }> }) {
  return handle(async () => {
    await authorize(request, "export");
    const chart = (await params).chart.replace(/\.csv$/, "");
    if (!isWidgetName(chart)) {
      return errorResponse(404, `No chart called "${chart}"; use one of ${WIDGET_NAMES.join(", ")}`);
    }
    const { filters } = parseWidgetQuery(chart, request, excel);
    return csvHeadResponse(exportFilename(chart, filters));
  });
}
