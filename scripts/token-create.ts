import { parseArgs } from "node:util";
import { z } from "zod";
import { createApiToken } from "@/db/accounts/auth";
import { closeDb, getDb } from "@/db/core/index";
import { migrateDatabase } from "@/db/core/migrate";
import { USER_ROLES } from "@/lib/enums";

// npm run token:create -- --name "nightly import" --role editor
// Prints the token once; only its hash is stored.
const { values } = parseArgs({ options: { name: { type: "string" }, role: { type: "string" } } });
const parsed = z
  .object({
    name: z.string({ error: "--name is required" }).trim().min(1, { error: "--name is required" }).max(100),
    role: z.enum(USER_ROLES, { error: `--role must be one of ${USER_ROLES.join(", ")}` }),
  })
  .safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(issue.message);
  process.exit(2);
}
async function main(input: NonNullable<typeof parsed.data>) {
  await migrateDatabase(getDb());
  const token = await createApiToken(input);
  console.log(token.secret);
  console.error(`Created ${token.role} token "${token.name}". It is shown only this once; store it safely.`);
  await closeDb();
}

void main(parsed.data);
