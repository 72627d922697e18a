import { NextResponse } from "next/server";
import { listWebhooks } from "@/db/follow/webhooks";
import { webhookInput } from "@/lib/webhook-input";
import { authorize, handle, parseOrThrow, readJson } from "@/server/api";
import { registerWebhook } from "@/server/webhook-endpoints";

export async function GET(request: Request) {
  return handle(async () => {
    await authorize(request, "admin");
    return NextResponse.json({ items: await listWebhooks() });
  });
}

/** `{ url, events, team? }` → 201 `{ id, secret, team }`; the secret is shown this once. */
export async function POST(request: Request) {
  return handle(async () => {
    const principal = await authorize(request, "admin");
    const input = parseOrThrow(webhookInput, await readJson(request, 16 * 1024));
    const created = await registerWebhook(input, principal.kind === "user" ? principal.id : null);
    return NextResponse.json(created, { status: 201 });
  });
}
