import { parseArgs } from "node:util";
import { closeDb, getDb } from "@/db/core/index";
import { migrateDatabase } from "@/db/core/migrate";
import { accountInput, fieldErrors } from "@/lib/validation";
import { createUserAccount } from "@/server/auth/principal";
import { USER_ROLES } from "@/lib/enums";
import { z } from "zod";

// npm run user:create -- --email ada@example.org --password '…' --role admin [--name "Ada"]
const { values } = parseArgs({
  options: {
    email: { type: "string" },
    password: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
  },
});
const parsed = accountInput
  .extend({ role: z.enum(USER_ROLES, { error: `--role must be one of ${USER_ROLES.join(", ")}` }) })
  .safeParse({ ...values, name: values.name ?? values.email?.split("@")[0], role: values.role ?? "viewer" });
if (!parsed.success) {
  for (const [field, messages] of Object.entries(fieldErrors(parsed.error)))
    console.error(`--${field}: ${messages.join(" ")}`);
  process.exit(2);
}
async function main(input: NonNullable<typeof parsed.data>) {
  await migrateDatabase(getDb());
  try {
    const user = await createUserAccount(input);
    console.log(`Created ${input.role} ${user.email} (${user.id})`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
  await closeDb();
}

void main(parsed.data);
