import { closeDb, getDb } from "./index";
import { databasePath, databaseUrl } from "./connection";
import { migrateDatabase } from "./migrate";

async function main() {
  await migrateDatabase(getDb());
  console.log(`Migrated ${databaseUrl() ? "the PostgreSQL database" : databasePath()}`);
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
