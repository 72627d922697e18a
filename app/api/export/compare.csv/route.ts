import { extend } from "zod/mini";
import { comparisonTable } from "@/lib/compare";
import { exportFilename } from "@/lib/export-filename";
import { WIDGETS } from "@/lib/widgets";
import { authorize, handle, parseQuery } from "@/server/api";
import { chartExportOptions as excel } from "@/server/api-params";
import { csvResponse, csvTableLines } from "@/server/csv-response";
import { forPrincipal } from "@/server/auth/principal";
import { comparison } from "@/server/widgets";

/** The whole comparison as one CSV: /api/export/compare.csv?company=sk-telecom&company=kt&<filters> */
export async function GET(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "export");
    const { filters, options } = parseQuery(
      request,
      extend(WIDGETS["compare-over-time"].options, excel.shape),
    );
    const table = comparisonTable(await comparison(await forPrincipal(filters, principal), options.interval));
    return csvResponse(csvTableLines(table), exportFilename("compare", filters), { bom: options.excel });
  });
}
