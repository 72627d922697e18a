import { z } from "zod";
import { EXPORT_LAYOUTS } from "@/db/deals/export";
import { IMPORT_FIELDS } from "@/lib/csv-import";
import { searchText } from "@/lib/filters";

// The query parameters of single routes, here rather than inline in the route files so that the
// route and the OpenAPI document (server/openapi.ts) read one and the same schema.

const excel = z.stringbool({ error: "Use excel=1 or excel=0" }).default(false).meta({
  description: "1: begin the file with a byte order mark, so Excel reads it as UTF-8",
});

/** GET /api/companies */
export const companySearchQuery = z.object({
  q: z
    .optional(searchText(200, "Keep the search under 200 characters"))
    .meta({ description: "Any name or alias" }),
  limit: z.coerce.number().int().min(1).max(100, { error: "At most 100" }).default(20),
  page: z.coerce.number().int().min(1).default(1),
});

/** GET /api/companies/duplicates */
export const duplicatesQuery = z.object({
  limit: z.coerce
    .number({ error: "Use a number" })
    .int()
    .min(1)
    .max(500, { error: "At most 500" })
    .default(100),
});

/** GET /api/deals/{id} */
export const dealQuery = z.object({
  includeDeleted: z
    .stringbool({ error: "Use includeDeleted=1 or includeDeleted=0" })
    .default(false)
    .meta({ description: "1: answer with a deleted deal too (editors and admins only; 404 for viewers)" }),
});

/** DELETE /api/deals/{id} */
export const deleteDealQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "Delete only if the deal is still at this version (else 409)" }),
});

/** GET/HEAD /api/export/deals.csv, besides the deal filters */
export const dealsExportOptions = z.object({
  layout: z
    .enum(EXPORT_LAYOUTS, { error: `Use layout=${EXPORT_LAYOUTS.join(", ")}` })
    .default("deals")
    .meta({ description: "One row per deal, per deal and company, or per partner pair" }),
  excel,
});

/** GET/HEAD /api/export/stats/{chart}, besides the deal filters and the chart's own options */
export const chartExportOptions = z.object({ excel });

const pixels = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: "Use a number of pixels" })
    .int({ error: "Use a whole number of pixels" })
    .min(min, { error: `At least ${min} pixels` })
    .max(max, { error: `At most ${max} pixels` })
    .default(fallback);

/** GET /api/charts/{file}: the image's size in CSS pixels, and how many device pixels a PNG has per one */
export const chartImageSize = z.object({
  width: pixels(320, 2400, 800),
  height: pixels(240, 1600, 450),
  scale: z.coerce
    .number({ error: "Use a number from 1 to 3" })
    .min(1, { error: "At least 1" })
    .max(3, { error: "At most 3" })
    .default(1),
});

/** POST /api/companies/import: without dryRun the rows are applied, all or nothing. */
export const referenceImportOptions = z.object({
  dryRun: z
    .stringbool({ error: "Use dryRun=1 or dryRun=0" })
    .default(false)
    .meta({ description: "1: answer with each row's match and every error, and change nothing" }),
});

/** POST /api/import: in the query string, or as form fields beside the file */
export const importOptions = z.object({
  dryRun: z
    .stringbool({ error: "Use dryRun=1 or dryRun=0" })
    .default(true)
    .meta({ description: "1 (the default): answer with the plan and change nothing" }),
  onDuplicate: z
    .enum(["skip", "update"], { error: "Use onDuplicate=skip or onDuplicate=update" })
    .default("skip")
    .meta({ description: "What to do with a row that probably records a deal already saved" }),
  mapping: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: 'mapping must be JSON, e.g. {"title": 0}' });
        return z.NEVER;
      }
    })
    .pipe(z.partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(500)))
    .optional()
    .meta({
      description: `JSON: deal field → column index, e.g. {"title":0}; fields: ${IMPORT_FIELDS.join(", ")}. Without it, columns are matched by their headers`,
    }),
});
