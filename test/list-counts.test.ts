import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/db/accounts/teams";
import { createDeal } from "@/db/deals/deal-writes";
import { listDeals } from "@/db/deals/deals";
import { rebuildStatCounts } from "@/db/stats/stat-counts";
import { getSummary } from "@/db/stats/stats";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { dealFixture, testDb, unique } from "./db";

// The deals list's total for a filter the per-bucket counts hold (types, bindings, whole months) comes
// from the counts, as the summary's does: the same number, whoever reads, without a pass over the deals.

const db = () => testDb();
const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });
let teamId = 0;

beforeAll(async () => {
  db();
  const shapes = [
    { types: ["mou"], binding: "non_binding", announcedOn: "2022-03-04" },
    { types: ["mou", "licensing"], binding: "non_binding", announcedOn: "2022-07-01" },
    { types: ["mou"], binding: "binding", announcedOn: "2023-01-31" },
    { types: ["licensing"], binding: "non_binding", announcedOn: "2023-05-05" },
    { types: ["joint_venture"], binding: "unknown", announcedOn: "2024-02-29" },
  ] as const;
  for (const shape of shapes)
    for (let i = 0; i < 3; i++)
      await createDeal(dealFixture({ ...shape, types: [...shape.types] }), { actor: "test" });
  await geographyDeals();
  const team = await createTeam({ name: unique("Deals desk"), members: [] }, "test");
  teamId = team.id;
  await createDeal(
    dealFixture({
      types: ["mou"],
      binding: "non_binding",
      announcedOn: "2022-05-05",
      visibility: { team: team.slug },
    }),
    // An admin may file a deal under any team.
    { actor: "test", viewer: { admin: true, memberOf: [] } },
  );
});

/** Two deals between Korean companies and one with an American party: the geography filters' keys. */
async function geographyDeals() {
  const [a, b, c] = [unique("Seoul Link"), unique("Busan Grid"), unique("Austin Labs")];
  for (const parties of [
    [a, b],
    [a, b],
    [a, c],
  ])
    await createDeal(
      dealFixture({
        announcedOn: "2021-09-09",
        types: ["investment"],
        binding: "binding",
        parties: parties.map((company) => ({ company, role: "partner" as const })),
      }),
      { actor: "test" },
    );
  await db().write(async (tx) => {
    for (const [name, country] of [
      [a, "KR"],
      [b, "KR"],
      [c, "US"],
    ])
      await tx.execute(sql`UPDATE companies SET country = ${country} WHERE name = ${name}`);
    // Set directly, so counted again here (the company form recounts its deals itself).
    await rebuildStatCounts(tx);
  });
}

const cases: [string, Partial<DealFilters>, number][] = [
  ["a type and a binding", { type: ["mou"], binding: ["non_binding"] }, 6],
  ["two types", { type: ["mou", "licensing"] }, 12],
  ["a binding and whole months", { binding: ["non_binding"], from: "2022-01-01", to: "2022-12-31" }, 6],
  ["a type, Roll up", { type: ["joint_venture"], rollup: true }, 3],
  ["one country", { country: ["KR"] }, 3],
  ["cross-border, a year", { crossBorder: true, from: "2021-01-01", to: "2021-12-31" }, 1],
];

describe("the list total of a filter the counts hold", () => {
  it.each(cases)("%s: the deals it lists, the summary's number", async (_, over, expected) => {
    const page = await listDeals(f({ ...over, pageSize: 100 }));
    expect(page.total).toBe(expected);
    expect(page.items).toHaveLength(expected);
    expect((await getSummary(f(over))).deals).toBe(expected);
  });

  it("counts the confidential deals of the reader's teams, and only for them", async () => {
    const filters = f({ type: ["mou"], binding: ["non_binding"], pageSize: 100 });
    expect((await listDeals(filters)).total).toBe(6);
    const member = await listDeals({ ...filters, audience: { teams: [teamId] } });
    expect(member.total).toBe(7);
    expect(member.items).toHaveLength(7);
  });

  it("is read from the counts (emptied, the total changes; a date inside a month still counts deals)", async () => {
    const filters = f({ type: ["mou"], binding: ["non_binding"] });
    try {
      await db().write(async (tx) => {
        await tx.execute(sql`DELETE FROM stat_deal_months`);
        await tx.execute(sql`DELETE FROM stat_geo_keys`);
      });
      expect((await listDeals(filters)).total).toBe(0);
      expect((await listDeals(f({ country: ["KR"] }))).total).toBe(0);
      const partMonth = await listDeals(f({ type: ["mou"], binding: ["non_binding"], from: "2022-03-02" }));
      expect(partMonth.total).toBe(6);
    } finally {
      await db().write((tx) => rebuildStatCounts(tx));
    }
    expect((await listDeals(filters)).total).toBe(6);
  });
});
