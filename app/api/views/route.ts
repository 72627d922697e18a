import { NextResponse } from "next/server";
import { createView, listViews } from "@/db/follow/views";
import { viewInput } from "@/lib/saved-views";
import { authorizeUser, handle, parseOrThrow, readJson } from "@/server/api";

// Saved views are a person's: a signed-in user's own and those shared with the team.

export async function GET(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    return NextResponse.json({ items: await listViews(user.id) });
  });
}

/** `{ name, path, shared? }`; the path is checked with the filter schema of the page it names. */
export async function POST(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    const input = parseOrThrow(viewInput, await readJson(request, 16 * 1024));
    return NextResponse.json(await createView(user, input), { status: 201 });
  });
}
