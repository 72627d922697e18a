import { NextResponse } from "next/server";
import { getTechnology, updateTechnology } from "@/db/directory/technologies";
import { technologyPatch } from "@/lib/validation";
import { authorize, errorResponse, handle, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ slug: string }> };

export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "deals:read");
    const area = await getTechnology((await params).slug);
    if (!area) return errorResponse(404, "Technology area not found");
    if (area.redirect)
      return NextResponse.redirect(new URL(`/api/technologies/${area.redirect}`, request.url), 308);
    return NextResponse.json(area);
  });
}

/** `{ version, name?, parent? }`: rename, or set (null: clear) the broader area. */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    const { actor } = await authorize(request, "companies:write");
    const patch = parseOrThrow(technologyPatch, await readJson(request));
    return NextResponse.json(await updateTechnology((await params).slug, patch, actor));
  });
}
