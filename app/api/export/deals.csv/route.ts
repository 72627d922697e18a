import { z } from "zod";
import { databasePath, openDatabase } from "@/db/connection";
import { EXPORT_LAYOUTS, exportCsv } from "@/db/export";
import { authorize, handle, parseQuery } from "@/server/api";
import { csvHeadResponse, csvResponse } from "@/server/csv-response";
import { exportFilename } from "@/lib/export-filename";

const options = z.object({
  layout: z.enum(EXPORT_LAYOUTS, { error: `Use layout=${EXPORT_LAYOUTS.join(", ")}` }).default("deals"),
  excel: z.stringbool({ error: "Use excel=1 or excel=0" }).default(false),
});

/** The filtered deals as CSV, streamed from a read-only connection (the app's own can keep writing). */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const { filters, options: chosen } = parseQuery(request, options);
    const reader = openDatabase(databasePath(), { readonly: true });
    return csvResponse(exportCsv(reader, filters, chosen.layout), exportFilename(chosen.layout, filters), {
      bom: chosen.excel,
      done: () => reader.$client.close(),
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
