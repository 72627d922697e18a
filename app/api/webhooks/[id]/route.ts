import { NextResponse } from "next/server";
import { deleteWebhook, updateWebhook } from "@/db/follow/webhooks";
import { webhookPatch } from "@/lib/webhook-input";
import { authorize, handle, parseId, parseOrThrow, readJson } from "@/server/api";

type Context = { params: Promise<{ id: string }> };

/** `{ events?, team? }` → the endpoint as listed; its deliveries already queued stay as they are. */
export async function PATCH(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "admin");
    const id = parseId((await params).id, "Webhook");
    const patch = parseOrThrow(webhookPatch, await readJson(request, 16 * 1024));
    return NextResponse.json(await updateWebhook(id, patch));
  });
}

export async function DELETE(request: Request, { params }: Context) {
  return handle(async () => {
    await authorize(request, "admin");
    await deleteWebhook(parseId((await params).id, "Webhook"));
    return new Response(null, { status: 204 });
  });
}
