import { fieldErrors } from "@/db/validation";
import { authorize, errorResponse, handle, invalid } from "@/lib/api";
import { csvRow } from "@/lib/csv";
import { csvResponse } from "@/lib/csv-response";
import { exportFilename } from "@/lib/export-filename";
import { parseDealFilters } from "@/lib/filters";
import { CHART_TABLES, chartCsvOptions } from "@/lib/stats-csv";

const OWN = [...Object.keys(chartCsvOptions.shape), "excel"];

/** A chart's numbers as CSV: /api/export/stats/deals-over-time.csv?<filters>&interval=quarter */
export async function GET(request: Request, { params }: { params: Promise<{ chart: string }> }) {
  return handle(async () => {
    await authorize(request, "viewer");
    const chart = (await params).chart.replace(/\.csv$/, "");
    const table = Object.hasOwn(CHART_TABLES, chart) ? CHART_TABLES[chart] : undefined;
    if (!table)
      return errorResponse(
        404,
        `No chart called "${chart}"; use one of ${Object.keys(CHART_TABLES).join(", ")}`,
      );
    const search = new URL(request.url).searchParams;
    const parsed = parseDealFilters(search, { strict: true, allow: OWN });
    const own = Object.fromEntries([...search].filter(([k]) => OWN.includes(k) && k !== "excel"));
    const extra = chartCsvOptions.safeParse(own);
    if (!parsed.success || !extra.success) {
      return invalid({
        ...(parsed.success ? {} : parsed.errors),
        ...(extra.success ? {} : fieldErrors(extra.error)),
      });
    }
    const { header, rows } = table(parsed.filters, extra.data);
    function* lines() {
      yield csvRow(header);
      for (const row of rows) yield csvRow(row);
    }
    return csvResponse(lines(), exportFilename(chart, parsed.filters), { bom: search.get("excel") === "1" });
  });
}
