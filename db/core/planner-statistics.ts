import type { Db } from "./connection";

// SQLite plans a query from the statistics ANALYZE keeps in sqlite_stat1; a database that never had
// them gets plans guessed from the schema alone. The bench always measured after ANALYZE, while a
// user's database (seeded, grown by imports and saves) was never analysed: not the one measured.
// `PRAGMA optimize=0x10002` analyses every table whose statistics are missing or stale (its rows
// grew or shrank tenfold since), as SQLite advises when a long-lived connection opens and now and
// then after; `analysis_limit` keeps each table's pass to a sample, so a pass costs about as much at
// a million deals as at a thousand. PostgreSQL needs nothing here: autovacuum analyses tables as they change.

/** Brings SQLite's planner statistics up to date where they are missing or stale, between writes. */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  const internals = db.internals;
  if (internals.engine !== "sqlite") return;
  await internals.serialize(async () => {
    internals.writer.pragma("analysis_limit = 1000");
    internals.writer.exec("PRAGMA optimize = 0x10002");
  });
}
