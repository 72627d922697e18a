import { deleteShareLink } from "@/db/follow/share-links";
import { authorizeUser, handle, parseId } from "@/server/api";

type Context = { params: Promise<{ id: string; linkId: string }> };

/** Revokes a share link: its URL answers 404 from now on. */
export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    const { id, linkId } = await params;
    await deleteShareLink(parseId(id, "View"), parseId(linkId, "Share link"), user);
    return new Response(null, { status: 204 });
  });
}
