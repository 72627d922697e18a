import "server-only";
import { InputError } from "@/db/errors";
import { createWebhook } from "@/db/webhooks";
import type { WebhookInput } from "@/lib/webhook-input";
import { ArticleFetchError, checkPublicUrl } from "./fetch-article";

/** Registers an endpoint whose address passes the private-address guard (ALLOW_PRIVATE_URLS aside). */
export async function registerWebhook(input: WebhookInput, createdByUserId: string | null) {
  try {
    await checkPublicUrl(input.url);
  } catch (error) {
    if (error instanceof ArticleFetchError) throw new InputError({ url: [error.message] });
    throw error;
  }
  return await createWebhook(input, createdByUserId);
}
