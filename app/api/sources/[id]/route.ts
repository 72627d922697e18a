import { NextResponse } from "next/server";
import { deleteSource, getSourceView, updateSource } from "@/db/news/sources";
import { sourcePatch } from "@/lib/news/source-input";
import { authorize, handle, parseId, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "import");
    const id = parseId((await params).id, "Source");
    const patch = parseOrThrow(sourcePatch, await readJson(request, 16 * 1024));
    await updateSource(id, patch);
    return NextResponse.json(await getSourceView(id));
  });
}

export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "import");
    await deleteSource(parseId((await params).id, "Source"));
    return new Response(null, { status: 204 });
  });
}
