import { sql } from "drizzle-orm";
import { getDb } from "@/db/core/index";
import { dealInput, type DealInputRaw } from "@/lib/validation";

/** The test file's database: migrated (test/global-setup.ts) and empty until the test adds rows. */
export function testDb() {
  return getDb();
}

let counter = 0;
/** A unique name per call, so tests never collide on data. */
export function unique(prefix: string) {
  counter++;
  return `${prefix} ${process.pid}-${counter}`;
}

/** A valid deal input; override what the test is about. */
export function dealFixture(overrides: Partial<DealInputRaw> = {}) {
  return dealInput.parse({
    title: unique("Test deal"),
    announcedOn: "2024-03-15",
    types: ["mou"],
    binding: "non_binding",
    parties: [
      { company: unique("Alpha Co"), role: "partner" },
      { company: unique("Beta Ltd"), role: "partner" },
    ],
    technologies: ["5G"],
    sources: [{ url: "https://example.org/news/1" }],
    ...overrides,
  });
}

/** Row counts of every table: used to show a failed write left nothing behind. */
export async function tableCounts(): Promise<Record<string, number>> {
  const db = testDb();
  const { rows: tables } = await db.execute<{ name: string }>(
    db.engine === "pg"
      ? sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('data_changes')`
      : sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%drizzle%' AND name NOT LIKE 'deal_search_%' AND name <> 'data_changes'`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await db.execute<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(name)}`);
    counts[name] = Number(rows[0]!.n);
  }
  return counts;
}
