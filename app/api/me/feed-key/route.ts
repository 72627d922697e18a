import { NextResponse } from "next/server";
import { feedKeyCreatedAt, replaceFeedKey } from "@/db/follow/inbox";
import { authorizeUser, handle } from "@/server/api";

// The signed-in user's read-only feed key. It is stored hashed, so GET says only whether there is
// one; POST makes a new one, answers it (the only time it is shown), and old feed addresses stop
// working at once.

export async function GET(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    return NextResponse.json({ createdAt: (await feedKeyCreatedAt(user.id))?.toISOString() ?? null });
  });
}

export async function POST(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    return NextResponse.json({ key: await replaceFeedKey(user.id) });
  });
}
