import fs from "node:fs";
import { closeDb, getDb } from "../core/index";
import { databasePath, databaseUrl } from "../core/connection";
import { migrateDatabase } from "../core/migrate";
import { writeAllCsvLines } from "../deals/csv-lines";
import { generateDemoDeals, isEmpty, seedRealDeals } from "./seed";

// npm run db:seed [-- --demo N] [-- --reset]
//   loads the real demo deals into an empty database (a non-empty one is left alone);
//   --demo N adds N generated fictional deals; --reset deletes the database file first.
const args = process.argv.slice(2);
const demoIndex = args.indexOf("--demo");
const demo = demoIndex >= 0 ? Number(args[demoIndex + 1]) : 0;
if (demoIndex >= 0 && !(Number.isInteger(demo) && demo > 0)) {
  console.error("--demo takes a positive whole number of deals, e.g. --demo 1000");
  process.exit(2);
}

async function main() {
  const where = databaseUrl() ? "the PostgreSQL database" : databasePath();
  const reset = args.includes("--reset");
  // A SQLite file is deleted before it is opened: deleted under an open connection, every
  // statement after fails with a disk I/O error.
  if (reset && !databaseUrl()) {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(where + suffix, { force: true });
    console.log(`Deleted ${where}`);
  }
  const db = getDb();
  if (reset && db.internals.engine === "pg") {
    // The schemas are emptied rather than the database dropped: the URL's user may not own it.
    // Not through `write`, whose change counter is among the tables dropped.
    await db.internals.primary.query(
      "DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public",
    );
    console.log(`Emptied ${where} (dropped its tables)`);
  }
  await migrateDatabase(db);
  if (await isEmpty(db)) {
    const started = performance.now();
    const real = await seedRealDeals(db);
    console.log(
      `Seeded ${real.deals} real deals and ${real.companies} companies in ${Math.round(performance.now() - started)} ms`,
    );
  } else {
    console.log(`${where} already holds deals; the real demo set was not loaded again.`);
  }
  if (demo) {
    const started = performance.now();
    const generated = await generateDemoDeals(db, demo);
    console.log(
      `Generated ${generated.deals} fictional deals and ${generated.companies} fictional companies in ${Math.round(performance.now() - started)} ms`,
    );
  }
  // The export's kept lines, which a server would otherwise write in the background after it starts.
  const started = performance.now();
  const lines = await writeAllCsvLines(db, { batch: 5000 });
  if (lines)
    console.log(`Wrote the CSV lines of ${lines} deals in ${Math.round(performance.now() - started)} ms`);
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
