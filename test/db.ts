import { getDb } from "@/db/index";
import { migrateDatabase } from "@/db/migrate";
import { dealInput, type DealInputRaw } from "@/db/validation";

let migrated = false;

/** The test file's database, migrated and empty until the test adds rows. */
export function testDb() {
  const db = getDb();
  if (!migrated) {
    migrateDatabase(db);
    migrated = true;
  }
  return db;
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
export function tableCounts() {
  const db = testDb();
  const tables = db.$client
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%drizzle%' AND name NOT LIKE 'deal_search_%'",
    )
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (db.$client.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
    ]),
  );
}
