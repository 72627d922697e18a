import { z } from "zod";
import { EXPORT_LAYOUTS, exportCsv } from "@/db/export";
import { getDb } from "@/db/index";
import { authorize, handle, parseQuery } from "@/server/api";
import { csvHeadResponse, csvResponse } from "@/server/csv-response";
import { exportFilename } from "@/lib/export-filename";

const options = z.object({
  layout: z.enum(EXPORT_LAYOUTS, { error: `Use layout=${EXPORT_LAYOUTS.join(", ")}` }).default("deals"),
  excel: z.stringbool({ error: "Use excel=1 or excel=0" }).default(false),
});

/** The filtered deals as CSV, streamed from a connection of the export's own (db/export.ts). */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const { filters, options: chosen } = parseQuery(request, options);
    return csvResponse(exportCsv(getDb(), filters, chosen.layout), exportFilename(chosen.layout, filters), {
      bom: chosen.excel,
    });
  });
}

/** The same answer as GET without the body: no read connection is opened for it. */
export async function HEAD(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const { filters, options: chosen } = parseQuery(request, options);
    return csvHeadResponse(exportFilename(chosen.layout, filters));
  });
}
