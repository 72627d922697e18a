import { NextResponse } from "next/server";
import {
  commitImportAsync,
  ImportRejected,
  planImportAsync,
  type ImportPlan,
  type ImportProgress,
  type ImportResult,
} from "@/db/deals/import";
import { fieldErrors } from "@/lib/validation";
import { authorize, errorResponse, invalid, readBodyCapped } from "@/server/api";
import { autoMap, MAX_IMPORT_BYTES, readCsv, type Mapping } from "@/lib/csv-import";
import { importOptions as options } from "@/server/api-params";
import { idempotencyHooks, idempotencyKey, requestHash, storedResponse } from "@/server/idempotency";
import { withProgress } from "@/server/progress";

/**
 * Imports deals from CSV: multipart/form-data with a `file` (the /import page), or a text/csv body
 * (scripts). `dryRun` (the default) answers with the plan and changes nothing. Checking and saving
 * run in steps that let other requests through; with `Accept: application/x-ndjson` the answer
 * streams their progress (server/progress.ts).
 */
export async function POST(request: Request) {
  return withProgress<ImportProgress>(request, async (onProgress) => {
    const principal = await authorize(request, "import");
    const { actor, viewer } = principal;
    const key = idempotencyKey(request);
    const type = request.headers.get("content-type") ?? "";
    const tooLarge = "The file is larger than 20 MB. Split it into smaller files.";
    const multipart = /^multipart\/form-data/i.test(type);
    if (!multipart && !/^text\/(csv|plain)/i.test(type))
      return errorResponse(415, "Send the CSV as multipart/form-data (field “file”) or as a text/csv body");
    // The cap holds on the bytes read (a chunked upload has no Content-Length); a multipart body
    // gets a little room for its boundaries and the other fields.
    const received = await readBodyCapped(request, MAX_IMPORT_BYTES + (multipart ? 64 * 1024 : 0), tooLarge);

    let bytes: Uint8Array;
    const raw: Record<string, string> = Object.fromEntries(new URL(request.url).searchParams);
    if (multipart) {
      const form = await new Response(received as BodyInit, { headers: { "content-type": type } })
        .formData()
        .catch(() => null);
      const file = form?.get("file");
      if (!form || !(file instanceof Blob))
        return invalid({ file: ["Attach the CSV file as the form field “file”"] });
      for (const key of ["dryRun", "onDuplicate", "mapping"]) {
        const value = form.get(key);
        if (typeof value === "string") raw[key] = value;
      }
      bytes = new Uint8Array(await file.arrayBuffer());
    } else {
      bytes = received;
    }
    const parsedOptions = options.safeParse(raw);
    if (!parsedOptions.success) return invalid(fieldErrors(parsedOptions.error));
    const csv = readCsv(bytes);
    if ("error" in csv) {
      return NextResponse.json(
        { error: csv.error, fieldErrors: { file: [csv.error] } },
        { status: csv.tooLarge ? 413 : 400 },
      );
    }
    const mapping: Mapping = parsedOptions.data.mapping ?? autoMap(csv.header);
    if (mapping.title === undefined) {
      return invalid({ mapping: ["No column is mapped to the deal title"] });
    }
    const { dryRun, onDuplicate } = parsedOptions.data;
    const body = { header: csv.header, mapping };
    if (dryRun) {
      const plan = await planImportAsync(csv, mapping, viewer, onProgress);
      return NextResponse.json({ ...body, dryRun: true, summary: plan.summary, rows: plan.rows });
    }
    const imported = ({ plan, result }: { plan: ImportPlan; result: ImportResult }) => ({
      status: 200,
      body: { ...body, dryRun: false, summary: plan.summary, rows: plan.rows, result },
    });
    // The file's bytes and the options that change what is written identify the request.
    const hooks = key
      ? idempotencyHooks(
          {
            key,
            principal,
            endpoint: "POST /api/import",
            requestHash: requestHash([bytes, { mapping, onDuplicate }]),
          },
          imported,
        )
      : {};
    try {
      const outcome = await commitImportAsync(csv, mapping, {
        onDuplicate,
        actor: { ...actor, name: `${actor.name} (CSV import)` },
        viewer,
        onProgress,
        ...hooks,
      });
      if ("early" in outcome) return storedResponse(outcome.early, true);
      const answer = imported(outcome);
      return key
        ? storedResponse({ status: 200, body: JSON.stringify(answer.body), location: null }, false)
        : NextResponse.json(answer.body);
    } catch (error) {
      if (!(error instanceof ImportRejected)) throw error;
      return NextResponse.json(
        { ...body, error: error.message, dryRun: false, summary: error.plan.summary, rows: error.plan.rows },
        { status: 400 },
      );
    }
  });
}
