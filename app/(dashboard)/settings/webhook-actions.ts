"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { deleteWebhook, sendTestEvent } from "@/db/follow/webhooks";
import type { CreateWebhookState } from "@/lib/form-state";
import { webhookInput } from "@/lib/webhook-input";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";
import { registerWebhook } from "@/server/webhook-endpoints";

// Admin-only: webhook endpoints on /settings/webhooks.

export async function createWebhookAction(
  _previous: CreateWebhookState,
  raw: unknown,
): Promise<CreateWebhookState> {
  const result = await runFormAction("admin", webhookInput, raw, (input, admin) =>
    registerWebhook(input, admin.id),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/webhooks");
  return { status: "created", ...result.value };
}

const webhookId = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

function idOf(formData: FormData): number {
  const parsed = webhookId.safeParse(Object.fromEntries(formData));
  if (!parsed.success) throw new Error("That request was not valid; reload the page and try again.");
  return parsed.data.id;
}

export async function sendTestWebhookAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  await sendTestEvent(idOf(formData), admin.actor);
  revalidatePath("/settings/webhooks");
}

export async function deleteWebhookAction(formData: FormData) {
  await requireActionRole("admin");
  await deleteWebhook(idOf(formData));
  revalidatePath("/settings/webhooks");
}
