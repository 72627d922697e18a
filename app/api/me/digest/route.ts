import { NextResponse } from "next/server";
import { queueTestDigest } from "@/db/follow/digests";
import { authorizeUser, errorResponse, handle } from "@/server/api";
import { mailConfigured } from "@/server/digests";

// **Send me a test digest**: queued for the worker, which sends it within a minute even when nothing
// changed (it then says so). It lists what the next digest would, and takes nothing from it.

export async function POST(request: Request) {
  return handle(async () => {
    const user = await authorizeUser(request, "deals:read");
    if (!mailConfigured()) return errorResponse(503, "This server sends no e-mail: SMTP_URL is not set");
    const id = await queueTestDigest(user.id);
    return NextResponse.json(
      { id, message: "A test digest is on its way to your e-mail address; it arrives within a minute." },
      { status: 202 },
    );
  });
}
