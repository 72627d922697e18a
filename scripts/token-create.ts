import { parseArgs } from "node:util";
import { createApiToken } from "@/db/accounts/auth";
import { closeDb, getDb } from "@/db/core/index";
import { InputError } from "@/db/core/errors";
import { migrateDatabase } from "@/db/core/migrate";
import { tokenInput } from "@/lib/token-input";

// npm run token:create -- --name "nightly import" --role editor
// npm run token:create -- --name reports --scope deals:read --scope export --expires 2027-06-30
// Prints the token once; only its hash is stored. Without --scope the token holds every scope of
// its role; with scopes and no --role, the least role that holds them. --expires is the last day
// (UTC) it works.
const { values } = parseArgs({
  options: {
    name: { type: "string" },
    role: { type: "string" },
    scope: { type: "string", multiple: true },
    expires: { type: "string" },
  },
});
const parsed = tokenInput
  .refine((input) => input.role || input.scopes.length, {
    path: ["role"],
    error: "Give --role, or one --scope or more",
  })
  .safeParse({ ...values, scopes: values.scope ?? [], scope: undefined });
if (!parsed.success) {
  for (const issue of parsed.error.issues)
    console.error(`--${String(issue.path[0] ?? "name").replace("scopes", "scope")}: ${issue.message}`);
  process.exit(2);
}
async function main({ expires, ...input }: NonNullable<typeof parsed.data>) {
  await migrateDatabase(getDb());
  try {
    const token = await createApiToken({ ...input, expiresAt: expires ?? null, by: "command line" });
    console.log(token.secret);
    console.error(
      `Created ${token.role} token "${token.name}" with scopes ${token.scopes.join(", ")}` +
        `${token.expiresAt ? `, expiring ${token.expiresAt.toISOString()}` : ""}. It is shown only this once; store it safely.`,
    );
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const messages of Object.values(error.fieldErrors)) for (const m of messages) console.error(m);
    process.exitCode = 2;
  }
  await closeDb();
}

void main(parsed.data);
