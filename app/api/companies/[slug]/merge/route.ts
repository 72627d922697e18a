import { NextResponse } from "next/server";
import { mergeCompanies, previewCompanyMerge } from "@/db/directory/companies";
import { mergeInput } from "@/lib/validation";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

/** `{ into, dryRun: true }` previews; `dryRun: false` merges this company into `into`. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "companies:write");
    const { into, dryRun } = parseOrThrow(mergeInput, await readJson(request));
    const { slug } = await params;
    if (dryRun) return NextResponse.json(await previewCompanyMerge(slug, into, viewer));
    return NextResponse.json(await mergeCompanies(slug, into, actor, viewer));
  });
}
