import { z } from "zod";
import { WEBHOOK_EVENTS } from "./enums";

// A webhook endpoint as an admin registers it (settings page and POST /api/webhooks alike).

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `Use: ${WEBHOOK_EVENTS.join(", ")}` }), { error: "Choose events" })
  .min(1, { error: "Choose at least one event" })
  .transform((events) => [...new Set(events)]);

/**
 * The team whose confidential deals the endpoint also receives (issue 25), by slug; null (or the
 * form's empty choice) is public deals only. Whether the team exists is the data layer's check.
 */
const team = z
  .string({ error: "Give the team's slug, or null for public deals only" })
  .trim()
  .max(100, { error: "Keep this under 100 characters" })
  .nullable()
  .transform((slug) => slug || null);

export const webhookInput = z.object({
  url: z
    .string({ error: "Enter the endpoint's address" })
    .trim()
    .max(2000, { error: "The address is too long" })
    .pipe(z.url({ protocol: /^https?$/, error: "Use an address starting with http:// or https://" })),
  events,
  team: team.default(null).meta({
    description: "Also deliver this team's confidential deals (its slug); null: public deals only",
  }),
});
export type WebhookInput = z.output<typeof webhookInput>;

/** The fields sent replace the saved ones. */
export const webhookPatch = z
  .object({
    events: events.optional(),
    team: team.optional().meta({
      description: "Also deliver this team's confidential deals (its slug); null: public deals only",
    }),
  })
  .refine((patch) => patch.events !== undefined || patch.team !== undefined, {
    error: "Send new events, a team or both",
  });
export type WebhookPatch = z.output<typeof webhookPatch>;
