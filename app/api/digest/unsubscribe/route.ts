import { NextResponse } from "next/server";
import { z } from "zod";
import { unsubscribeDigest } from "@/db/follow/digests";
import { handle, invalid, readBodyCapped } from "@/server/api";
import { userOfUnsubscribeToken } from "@/server/digests";

// The address in every digest's List-Unsubscribe header. A mail program's one-click POST (RFC 8058,
// body `List-Unsubscribe=One-Click`) unsubscribes without signing in: the signed token is the
// credential. A GET (a person following the link, or a scanner prefetching it) changes nothing and
// shows the confirmation page, whose button posts here.

const query = z.object({
  token: z.string({ error: "The link has no token" }).min(1, { error: "The link has no token" }).max(300),
});

const BAD_LINK = "This unsubscribe link is invalid or has expired";

export async function GET(request: Request) {
  const url = new URL(request.url);
  const target = new URL("/unsubscribe", url);
  target.searchParams.set("token", url.searchParams.get("token") ?? "");
  return NextResponse.redirect(target, 303);
}

export async function POST(request: Request) {
  return handle(async () => {
    const url = new URL(request.url);
    const parsed = query.safeParse({ token: url.searchParams.get("token") ?? undefined });
    if (!parsed.success) return invalid({ token: parsed.error.issues.map((i) => i.message) });
    const userId = userOfUnsubscribeToken(parsed.data.token);
    if (!userId) return invalid({ token: [BAD_LINK] });
    const body = new URLSearchParams(new TextDecoder().decode(await readBodyCapped(request, 4096)));
    await unsubscribeDigest(userId);
    // The confirmation page's own button comes back to a page; a mail program gets a plain answer.
    if (body.get("confirm") === "page")
      return NextResponse.redirect(new URL("/unsubscribe?done=1", url), 303);
    return NextResponse.json({ unsubscribed: true });
  });
}
