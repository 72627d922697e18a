import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/db/accounts/teams";
import { openDatabase } from "@/db/core/connection";
import { isPg } from "@/db/core/dialect";
import { csvLinesMissing, writeAllCsvLines } from "@/db/deals/csv-lines";
import { createDeal } from "@/db/deals/deal-writes";
import { dealExportPlan } from "@/db/deals/export";
import { generateDemoDeals } from "@/db/ops/seed";
import { readCsv, type ParsedCsv } from "@/lib/csv-import";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { dealFixture, testDb, unique } from "./db";
import { dealsCsv, expectExactExport } from "./fixtures/export-exact";

// The deals CSV as PostgreSQL streams it since issue 26 (db/deals/export.ts): batches read one ahead
// of the other, kept lines sent as they are, the cells of a deal without one read by a subquery, no
// JIT. Its bytes stay those of the per-row formatting on both engines; its plan is PostgreSQL's.

const db = () => testDb();
const all: DealFilters = { ...defaultFilters };

beforeAll(async () => {
  // More deals than PostgreSQL's batch of 500: the export reads several, each one ahead of the last.
  await generateDemoDeals(db(), 1100);
  await writeAllCsvLines(db());
}, 120_000);

describe("the deals CSV in batches", { timeout: 120_000 }, () => {
  it("is exact for every sort and filter, deals without a kept line mixed in, confidential ones left out", async () => {
    const team = await createTeam({ name: unique("Export desk"), members: [] }, "test");
    const secret = await createDeal(dealFixture({ visibility: { team: team.slug } }), {
      actor: "test",
      viewer: { admin: true, memberOf: [] },
    });
    await writeAllCsvLines(db());
    // Every seventh deal without its line: formatted from its cells, between kept lines.
    await db().write((tx) => tx.execute(sql`UPDATE deal_cells SET csv_line = NULL WHERE deal_id % 7 = 0`));
    expect(await csvLinesMissing(db())).toBe(true);
    const filters: Partial<DealFilters>[] = [
      {},
      { type: ["mou"] },
      { from: "2021-01-01", to: "2023-12-31", binding: ["binding"] },
      { technology: ["5G"] },
      { q: "fictional" },
    ];
    const ids = (csv: string) =>
      (readCsv(new TextEncoder().encode(csv)) as ParsedCsv).rows.map((row) => Number(row[0]));
    for (const sort of ["-announcedOn", "announcedOn", "title", "-updatedAt"] as const)
      for (const f of filters) await expectExactExport(db(), { ...all, ...f, sort });
    const everyone = await dealsCsv(db(), all);
    expect(ids(everyone).length).toBeGreaterThan(1000);
    expect(ids(everyone)).not.toContain(secret.id);
    const desk = { ...all, audience: { teams: [team.id] } };
    await expectExactExport(db(), desk);
    expect(ids(await dealsCsv(db(), desk))).toContain(secret.id);
  });
});

/** A plan node as EXPLAIN (FORMAT JSON) gives it. */
type PlanNode = { "Relation Name"?: string; Alias?: string; Output?: string[]; Plans?: PlanNode[] };

function nodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodes)];
}

describe.runIf(isPg)("the deals CSV's plan on PostgreSQL", () => {
  let database = "";
  beforeAll(async () => {
    const { rows } = await testDb().execute<{ name: string }>(sql`SELECT current_database() AS name`);
    database = rows[0]!.name;
  });
  afterAll(async () => {
    await testDb().write((tx) =>
      tx.execute(sql`ALTER DATABASE ${sql.identifier(database)} RESET jit_above_cost`),
    );
  });

  it("is never compiled by JIT, however costly the planner thinks it", async () => {
    // As if the table were huge: every statement of a new connection to this database is costly
    // enough for JIT, which spent a third of the export's CPU compiling at 100,000 deals.
    await testDb().write((tx) =>
      tx.execute(sql`ALTER DATABASE ${sql.identifier(database)} SET jit_above_cost = 0`),
    );
    const fresh = openDatabase();
    try {
      const [{ Plan: plan, JIT: jit }] = (await dealExportPlan(fresh, defaultFilters)) as [
        { Plan: PlanNode; JIT?: unknown },
      ];
      expect(plan).toBeDefined();
      expect(jit).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it("reads only the key columns of a deal with a kept line (its cells by a subquery, when it has none)", async () => {
    const [{ Plan: plan }] = (await dealExportPlan(testDb(), defaultFilters)) as [{ Plan: PlanNode }];
    // The scan of the exported deals (the alias `deals`; the cells' own scan is another alias).
    const scans = nodes(plan).filter((n) => n["Relation Name"] === "deals" && n.Alias === "deals");
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) expect(scan.Output?.join(", ")).not.toMatch(/summary|value_minor|created_at/);
  });
});
