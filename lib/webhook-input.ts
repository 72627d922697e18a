import { z } from "zod";
import { WEBHOOK_EVENTS } from "./enums";

// A webhook endpoint as an admin registers it (settings page and POST /api/webhooks alike).

export const webhookInput = z.object({
  url: z
    .string({ error: "Enter the endpoint's address" })
    .trim()
    .max(2000, { error: "The address is too long" })
    .pipe(z.url({ protocol: /^https?$/, error: "Use an address starting with http:// or https://" })),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `Use: ${WEBHOOK_EVENTS.join(", ")}` }), { error: "Choose events" })
    .min(1, { error: "Choose at least one event" })
    .transform((events) => [...new Set(events)]),
});
export type WebhookInput = z.output<typeof webhookInput>;
