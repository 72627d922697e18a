import { NextResponse } from "next/server";
import { importCompanyReferences } from "@/db/directory/reference-import";
import { MAX_IMPORT_BYTES, readCsv } from "@/lib/csv-import";
import { authorize, errorResponse, handle, parseParams, readBodyCapped } from "@/server/api";
import { referenceImportOptions } from "@/server/api-params";

/**
 * Companies' reference data from a CSV body (name, country, sector, lei, wikidata, ticker, website,
 * parent). `dryRun=1` answers each row's match and every error; otherwise all rows apply or none.
 */
export async function POST(request: Request) {
  return handle(async () => {
    const { actor } = await authorize(request, "companies:write");
    const { dryRun } = parseParams(request, referenceImportOptions);
    if (!/^text\/(csv|plain)/i.test(request.headers.get("content-type") ?? ""))
      return errorResponse(415, "Send the CSV as a text/csv body");
    const tooLarge = "The file is larger than 20 MB. Split it into smaller files.";
    const csv = readCsv(await readBodyCapped(request, MAX_IMPORT_BYTES, tooLarge));
    if ("error" in csv) return errorResponse(csv.tooLarge ? 413 : 400, csv.error, { file: [csv.error] });
    const result = await importCompanyReferences(csv, {
      dryRun,
      actor: { ...actor, name: `${actor.name} (reference import)` },
    });
    const { rows, errors, updated, created } = result;
    if (dryRun) return NextResponse.json({ rows, errors });
    if (errors.length)
      return NextResponse.json(
        { error: `${errors.length} problem(s) in the file: nothing was changed`, rows, errors },
        { status: 400 },
      );
    return NextResponse.json({ updated, created, rows });
  });
}
