import { z } from "zod";
import { databasePath, openDatabase } from "@/db/connection";
import { EXPORT_LAYOUTS, exportCsv } from "@/db/export";
import { fieldErrors } from "@/db/validation";
import { authorize, handle, invalid } from "@/lib/api";
import { csvResponse } from "@/lib/csv-response";
import { exportFilename } from "@/lib/export-filename";
import { parseDealFilters } from "@/lib/filters";

const options = z.object({
  layout: z.enum(EXPORT_LAYOUTS, { error: `Use layout=${EXPORT_LAYOUTS.join(", ")}` }).default("deals"),
  excel: z.stringbool({ error: "Use excel=1 or excel=0" }).default(false),
});

/** The filtered deals as CSV, streamed from a read-only connection (the app's own can keep writing). */
export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "viewer");
    const params = new URL(request.url).searchParams;
    const parsed = parseDealFilters(params, { strict: true, allow: ["layout", "excel"] });
    const extra = options.safeParse(
      Object.fromEntries([...params].filter(([k]) => k === "layout" || k === "excel")),
    );
    if (!parsed.success || !extra.success) {
      return invalid({
        ...(parsed.success ? {} : parsed.errors),
        ...(extra.success ? {} : fieldErrors(extra.error)),
      });
    }
    const { layout, excel } = extra.data;
    const reader = openDatabase(databasePath(), { readonly: true });
    return csvResponse(exportCsv(reader, parsed.filters, layout), exportFilename(layout, parsed.filters), {
      bom: excel,
      done: () => reader.$client.close(),
    });
  });
}
