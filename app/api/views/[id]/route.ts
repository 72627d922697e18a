import { NextResponse } from "next/server";
import { deleteView, getView, updateView } from "@/db/follow/views";
import { viewPatch } from "@/lib/saved-views";
import { authorizeUser, errorResponse, handle, HttpError, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/** A view id; anything else names no view (404). */
async function viewId(params: Context["params"]): Promise<number> {
  const raw = (await params).id;
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id))
    throw new HttpError(errorResponse(404, "View not found"));
  return id;
}

export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    const view = await getView(await viewId(params), user.id);
    return view ? NextResponse.json(view) : errorResponse(404, "View not found");
  });
}

/** `{ name?, shared? }`: rename, share or unshare (the owner only). */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    const id = await viewId(params);
    const patch = parseOrThrow(viewPatch, await readJson(request, 16 * 1024));
    return NextResponse.json(await updateView(id, user, patch));
  });
}

/** The owner deletes a view; an admin may delete a shared one too. */
export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    await deleteView(await viewId(params), user);
    return new Response(null, { status: 204 });
  });
}
