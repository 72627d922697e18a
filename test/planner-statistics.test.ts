import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { isPg } from "@/db/core/dialect";
import { migrateDatabase } from "@/db/core/migrate";
import { refreshPlannerStatistics } from "@/db/core/planner-statistics";
import { createDeal } from "@/db/deals/deal-writes";
import { dealFixture, testDb } from "./db";

// SQLite's planner statistics (sqlite_stat1) are taken when the database is migrated and brought up to
// date when a table has grown tenfold; PostgreSQL's autovacuum keeps its own, so this is SQLite's.

const db = () => testDb();
const dealRows = async () => {
  const { rows } = await db().execute<{ stat: string }>(
    sql`SELECT stat FROM sqlite_stat1 WHERE tbl = 'deals' ORDER BY idx IS NOT NULL, idx LIMIT 1`,
  );
  return rows[0] ? Number(rows[0].stat.split(" ")[0]) : undefined;
};
const add = async (n: number) => {
  for (let i = 0; i < n; i++) await createDeal(dealFixture(), { actor: "test" });
};

describe.runIf(!isPg)("SQLite planner statistics", () => {
  beforeAll(async () => {
    db();
    await add(4);
  });

  it("are taken when the database is migrated", async () => {
    await db().write((tx) => tx.execute(sql`DELETE FROM sqlite_stat1`));
    expect(await dealRows()).toBeUndefined();
    await migrateDatabase(db());
    expect(await dealRows()).toBe(4);
  });

  it("are refreshed once a table has grown tenfold, and left alone before", async () => {
    await add(6);
    await refreshPlannerStatistics(db());
    expect(await dealRows()).toBe(4);
    await add(40);
    await refreshPlannerStatistics(db());
    expect(await dealRows()).toBe(50);
  });
});
