import { exportCsv } from "@/db/deals/export";
import { getDb } from "@/db/core/index";
import { authorize, handle, parseQuery } from "@/server/api";
import { dealsExportOptions as options } from "@/server/api-params";
import { csvHeadResponse, csvResponse } from "@/server/csv-response";
import { exportFilename } from "@/lib/export-filename";
import { forPrincipal } from "@/server/auth/principal";
import { recordExport } from "@/server/export-audit";

/** The filtered deals as CSV, streamed from a connection of the export's own (db/deals/export.ts). */
export async function GET(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "export");
    const { actor } = principal;
    const parsed = parseQuery(request, options);
    const { options: chosen } = parsed;
    const filters = await forPrincipal(parsed.filters, principal);
    const file = exportFilename(chosen.layout, filters);
    const counter = { rows: 0 };
    return csvResponse(exportCsv(getDb(), filters, chosen.layout, counter), file, {
      bom: chosen.excel,
      done: (complete) => void recordExport(request, actor, { file, filters, rows: counter.rows, complete }),
    });
  });
}

/** The same answer as GET without the body: no read connection is opened for it. */
export async function HEAD(request: Request) {
  return handle(async () => {
    await authorize(request, "export");
    const { filters, options: chosen } = parseQuery(request, options);
    return csvHeadResponse(exportFilename(chosen.layout, filters));
  });
}
