import { NextResponse } from "next/server";
import { listSources } from "@/db/news/sources";
import { sourceInput } from "@/lib/news/source-input";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";
import { addSource } from "@/server/news/sources";

export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "import");
    return NextResponse.json({ items: await listSources() });
  });
}

/** `{ name, url }` (a feed or a page naming one) → 201 with the source; its first fetch is done. */
export async function POST(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "import");
    const input = parseOrThrow(sourceInput, await readJson(request, 16 * 1024));
    const added = await addSource(input, principal.kind === "user" ? principal.id : null);
    return NextResponse.json(added, { status: 201 });
  });
}
