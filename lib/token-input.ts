import { z } from "zod";
import { API_SCOPES, USER_ROLES } from "@/lib/enums";

// A new API token's fields, read alike by the tokens page and `npm run token:create`.

const DAY_MS = 24 * 60 * 60_000;

export const tokenScopes = z
  .array(z.enum(API_SCOPES, { error: `Use scopes from: ${API_SCOPES.join(", ")}` }))
  .max(API_SCOPES.length);

/**
 * An expiry day (YYYY-MM-DD, UTC): the token works through that whole day and stops at the
 * midnight after it.
 */
export const tokenExpiry = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(
    z.iso
      .date({ error: "Use a date like 2027-06-30" })
      .transform((day) => new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY_MS))
      .refine((end) => end.getTime() > Date.now(), { error: "Choose a day that has not passed" })
      .optional(),
  );

export const tokenInput = z.object({
  name: z.string({ error: "Name the token" }).trim().min(1, { error: "Name the token" }).max(100),
  role: z.enum(USER_ROLES, { error: `Choose a role: ${USER_ROLES.join(", ")}` }).optional(),
  scopes: tokenScopes.default([]),
  expires: tokenExpiry.optional(),
});
