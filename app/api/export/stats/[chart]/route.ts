import { z } from "zod";
import { authorize, errorResponse, handle, parseQuery } from "@/lib/api";
import { csvRow } from "@/lib/csv";
import { csvResponse } from "@/lib/csv-response";
import { exportFilename } from "@/lib/export-filename";
import { CHART_TABLES, chartCsvOptions } from "@/lib/stats-csv";

const options = chartCsvOptions.extend({
  excel: z.stringbool({ error: "Use excel=1 or excel=0" }).default(false),
});

/** A chart's numbers as CSV: /api/export/stats/deals-over-time.csv?<filters>&interval=quarter */
export async function GET(request: Request, { params }: { params: Promise<{ chart: string }> }) {
  return handle(async () => {
    await authorize(request, "viewer");
    const chart = (await params).chart.replace(/\.csv$/, "");
    const table = Object.hasOwn(CHART_TABLES, chart) ? CHART_TABLES[chart] : undefined;
    if (!table) {
      return errorResponse(
        404,
        `No chart called "${chart}"; use one of ${Object.keys(CHART_TABLES).join(", ")}`,
      );
    }
    const { filters, options: chosen } = parseQuery(request, options);
    const { header, rows } = table(filters, chosen);
    function* lines() {
      yield csvRow(header);
      for (const row of rows) yield csvRow(row);
    }
    return csvResponse(lines(), exportFilename(chart, filters), { bom: chosen.excel });
  });
}
