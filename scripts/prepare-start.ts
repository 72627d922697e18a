import { closeDb, getDb } from "@/db/core/index";
import { databasePath } from "@/db/core/connection";
import { ENGINE } from "@/db/core/engine";
import { migrateDatabase } from "@/db/core/migrate";
import { isEmpty, seedRealDeals } from "@/db/ops/seed";
import { countUsers } from "@/db/accounts/auth";
import { MISSING_AUTH_SECRET } from "@/server/auth/secret";
import { requireAuthConfigAtStart } from "@/server/auth/sso-config";
import { buildIfStale } from "./build-state";

// The first half of `npm start`: build when the sources are newer than the last build, migrate, and
// seed an empty database with the real demo deals. It then exits, and `npm start` replaces its shell
// with `node scripts/serve.mjs`, so no tsx process stays alive beside the server.

// Before the build: on PostgreSQL the server would refuse to start without it anyway.
if (ENGINE === "pg" && !process.env.BETTER_AUTH_SECRET) {
  console.error(MISSING_AUTH_SECRET);
  process.exit(1);
}
// Before the build too: a broken OIDC_* or PASSWORD_SIGNIN setting is said at once (docs/sso.md).
requireAuthConfigAtStart();
if (!buildIfStale()) process.exit(1);

async function prepareDatabase() {
  const db = getDb();
  await migrateDatabase(db);
  if (await isEmpty(db)) {
    const seeded = await seedRealDeals(db);
    const where = ENGINE === "pg" ? "New PostgreSQL database" : `New database at ${databasePath()}`;
    console.log(`${where}: loaded ${seeded.deals} real demo deals.`);
  }
  const port = process.env.PORT || "3000";
  if ((await countUsers(db)) === 0) {
    console.log(`First run: open http://localhost:${port}/setup to create the owner account (an admin).`);
  }
  await closeDb();
}

prepareDatabase().catch((error) => {
  console.error(error);
  process.exit(1);
});
