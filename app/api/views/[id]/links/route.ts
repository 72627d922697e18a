import { NextResponse } from "next/server";
import { createShareLink, listShareLinks } from "@/db/follow/share-links";
import { shareLinkInput } from "@/lib/share-links";
import { authorizeUser, handle, parseId, parseOrThrow, readJson } from "@/server/api";
import { shareLinkUrl } from "@/server/share";

// A saved view's read-only share links: its owner's (or an admin's) to make, list and revoke.

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    return NextResponse.json({ items: await listShareLinks(parseId((await params).id, "View"), user) });
  });
}

/** `{ expiresAt?, allowExport? }` → the link with its URL, shown this once (only a hash is kept). */
export async function POST(request: Request, { params }: Context) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    const id = parseId((await params).id, "View");
    const input = parseOrThrow(shareLinkInput, await readJson(request, 16 * 1024));
    const { token, ...link } = await createShareLink(id, user, input);
    return NextResponse.json(
      { ...link, url: shareLinkUrl(token, new URL(request.url).origin) },
      { status: 201 },
    );
  });
}
