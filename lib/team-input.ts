import { z } from "zod";
import { hasLetterOrDigit } from "./names";

// A team as an admin gives it (the teams page and POST/PATCH /api/teams alike): a name and its
// members by e-mail. Whether each e-mail is a user's is the data layer's check (db/accounts/teams.ts),
// which names the entry as `members.N`, N its place in the list as sent.

const teamName = z
  .string({ error: "Name the team" })
  .trim()
  .min(1, { error: "Name the team" })
  .max(100, { error: "Use at most 100 characters" })
  .refine(hasLetterOrDigit, { error: "Use at least one letter or digit" });

const members = z
  .array(
    z
      .string({ error: "Give each member's e-mail address" })
      .trim()
      .toLowerCase()
      .pipe(z.email({ error: "Enter a valid e-mail address" })),
    { error: "List the members' e-mail addresses" },
  )
  .max(1000, { error: "A team has at most 1000 members" });

export const teamInput = z.object({
  name: teamName,
  members: members.default([]).meta({ description: "The members' e-mail addresses; each must be a user's" }),
});
export type TeamInput = z.output<typeof teamInput>;

/** The fields sent replace the saved ones; `members` is the whole new list. */
export const teamPatch = z
  .object({
    name: teamName.optional(),
    members: members.optional().meta({ description: "The whole new list of members' e-mail addresses" }),
  })
  .refine((patch) => patch.name !== undefined || patch.members !== undefined, {
    error: "Send a new name, new members or both",
  });
export type TeamPatch = z.output<typeof teamPatch>;

/** The e-mails typed in a text box, one per line or separated by commas (or semicolons). */
export function emailList(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}
