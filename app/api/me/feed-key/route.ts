import { NextResponse } from "next/server";
import { getFeedKey, replaceFeedKey } from "@/db/inbox";
import { authorizeUser, handle } from "@/server/api";

// The signed-in user's read-only feed key (made on first use); POST replaces it, and feed
// addresses with the old key stop working at once.

export async function GET(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "viewer");
    return NextResponse.json({ key: await getFeedKey(user.id) });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "viewer");
    return NextResponse.json({ key: await replaceFeedKey(user.id) });
  });
}
