import { NextResponse } from "next/server";
import { mergeTechnologies, previewTechnologyMerge } from "@/db/directory/technologies";
import { mergeInput } from "@/lib/validation";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";

/** `{ into, dryRun: true }` previews; `dryRun: false` merges this area into `into`. */
export async function POST(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  return handle(async () => {
    const { actor, viewer } = await authorize(request, "companies:write");
    const { into, dryRun } = parseOrThrow(mergeInput, await readJson(request));
    const { slug } = await params;
    if (dryRun) return NextResponse.json(await previewTechnologyMerge(slug, into, viewer));
    return NextResponse.json(await mergeTechnologies(slug, into, actor));
  });
}
