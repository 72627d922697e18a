import type Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/db/accounts/teams";
import { createDeal } from "@/db/deals/deal-writes";
import { listDeals } from "@/db/deals/deals";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { dealFixture, testDb, unique } from "./db";

// The deals list leaves out the confidential deals its reader may not see with a lookup of their ids
// (db/stats/filters.ts hiddenDealIds). SQLite plans that lookup from the indexes alone (the app keeps
// no planner statistics), so a plan read on this small file is the plan of a million-deal one: there
// the lookup once walked every deal row (~100 ms of every list total at 1,000,000 deals, session 10)
// because only a full index on team_id existed and the total's UNION wanted the ids in order.
// PostgreSQL costs its plans by each table's size: a plan read on a test table says nothing of a
// large one, so these checks are SQLite's only (the bench times PostgreSQL's lists).

const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });
let teamId = 0;
let company = "";

beforeAll(async () => {
  const deal = dealFixture({ technologies: ["5G", "Cloud"] });
  company = deal.parties[0]!.company;
  await createDeal(deal, { actor: "test" });
  await createDeal(dealFixture({ types: ["licensing"], binding: "binding" }), { actor: "test" });
  const team = await createTeam({ name: unique("Deals desk"), members: [] }, "test");
  teamId = team.id;
  await createDeal(dealFixture({ visibility: { team: team.slug } }), {
    actor: "test",
    viewer: { admin: true, memberOf: [] },
  });
});

type Statement = { source: string; params: unknown[] };
type Logger = { logQuery(query: string, params: unknown[]): void };

/**
 * Every statement the reader runs while `fn` runs, with its parameters, as Drizzle's logger hears
 * them (the data layer's `execute` tells it too, prepared statements kept or not).
 */
async function statementsDuring(fn: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const session = (testDb() as unknown as { session: { logger: Logger } }).session;
  const previous = session.logger;
  session.logger = { logQuery: (source, params) => seen.push({ source, params }) };
  try {
    await fn();
  } finally {
    session.logger = previous;
  }
  return seen;
}

/** The plan's steps, as EXPLAIN QUERY PLAN words them. */
function planOf(conn: Database.Database, { source, params }: Statement): string[] {
  return (conn.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[]).map(
    (step) => step.detail,
  );
}

const lists: [string, () => Partial<DealFilters>][] = [
  ["no filter", () => ({})],
  ["page 3 of 1", () => ({ pageSize: 1, page: 3 })],
  ["a type and a binding", () => ({ type: ["mou"], binding: ["non_binding"] })],
  [
    "an area and a status, sorted by title",
    () => ({ technology: ["5g"], status: ["announced"], sort: "title" }),
  ],
  ["one company", () => ({ company: [company] })],
  ["a word", () => ({ q: "test" })],
  ["a year", () => ({ from: "2024-01-01", to: "2024-12-31" })],
];

describe.skipIf(testDb().engine === "pg")("the deals list's plans (SQLite, no planner statistics)", () => {
  it.each(lists)("%s: no statement walks every deal row", async (_, over) => {
    const conn = testDb().internals.reader as Database.Database;
    for (const audience of [undefined, { teams: [teamId] }]) {
      const statements = await statementsDuring(() => listDeals({ ...f(over()), audience }));
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements)
        expect(planOf(conn, statement), statement.source).not.toContain("SCAN deals");
    }
  });
});

it("lists the reader's confidential deals and leaves out the others (both engines)", async () => {
  expect((await listDeals(f({}))).total).toBe(2);
  expect((await listDeals(f({ audience: { teams: [teamId] } }))).total).toBe(3);
  expect((await listDeals(f({ audience: { teams: [teamId + 1] } }))).total).toBe(2);
});
