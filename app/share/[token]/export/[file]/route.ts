import { exportCsv } from "@/db/deals/export";
import { getDb } from "@/db/core/index";
import { exportFilename } from "@/lib/export-filename";
import { errorResponse, handle } from "@/server/api";
import { csvResponse, csvTableLines } from "@/server/csv-response";
import { openShareRoute, shareChart, shareHasSummary, shareWidgetOptions } from "@/server/share";
import { widgetTable } from "@/server/widgets";
import { recordExport } from "@/server/export-audit";

type Context = { params: Promise<{ token: string; file: string }> };

/**
 * A share's data as CSV, only when its link allows downloads: a deals list's deals (deals.csv), a
 * view's headline figures where its page has them (summary.csv) and its charts (<chart>.csv). Always
 * the view's filters.
 */
export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const { token, file } = await params;
    const share = await openShareRoute(token);
    if (!share.allowExport) return errorResponse(403, "This link does not allow downloads");
    const { filters } = share.view;
    const name = file.replace(/\.csv$/, "");
    // Whoever holds the link downloads: the log names the link (its creation names its maker).
    const actor = `share link #${share.linkId}`;
    const via = "share link";
    if (share.view.page === "deals" && file === "deals.csv") {
      const counter = { rows: 0 };
      const download = exportFilename("deals", filters);
      return csvResponse(exportCsv(getDb(), filters, "deals", counter), download, {
        bom: false,
        done: (complete) =>
          void recordExport(request, actor, { file: download, filters, rows: counter.rows, complete, via }),
      });
    }
    const chart = name === "summary" && shareHasSummary(share) ? "summary" : shareChart(share, name);
    if (!file.endsWith(".csv") || !chart) return errorResponse(404, "This shared view has no such download");
    const table = await widgetTable(chart, filters, shareWidgetOptions(share, chart));
    const download = exportFilename(chart, filters);
    await recordExport(request, actor, { file: download, filters, rows: table.rows.length, via });
    return csvResponse(csvTableLines(table), download, { bom: false });
  });
}
