import { and, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createDeal } from "@/db/deals/deal-writes";
import { countScope } from "@/db/stats/stat-counts";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  technologyCounts,
  topCompanies,
} from "@/db/stats/stats";
import { deals } from "@/db/schema";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { dealFixture, testDb, unique } from "./db";

// The per-bucket counts answer only the filters they know (an allowlist, db/stats/stat-counts.ts
// countScope). Here a filter is added the way a new one would be: the filter-to-SQL module applies
// it, nothing else is told. The widgets must then read the base tables and honour it, as the list does.

/** A new filter, as db/stats/filters.ts would grow one: only these deal ids. */
type WithNewFilter = DealFilters & { onlyIds?: number[] };

vi.mock("@/db/stats/filters", async (original) => {
  const real = await original<typeof import("@/db/stats/filters")>();
  return {
    ...real,
    dealWhere: async (...args: Parameters<typeof real.dealWhere>) => {
      const where = await real.dealWhere(...args);
      const ids = (args[1] as WithNewFilter).onlyIds;
      return where && ids ? and(where, inArray(deals.id, ids))! : where;
    },
  };
});

const ids: number[] = [];

beforeAll(async () => {
  testDb();
  const shared = unique("Shared Co");
  for (const [i, types] of [["mou", "licensing"], ["investment"], ["joint_venture"], ["mou"]].entries()) {
    const deal = await createDeal(
      dealFixture({
        announcedOn: `202${i}-03-15`,
        types: types as never,
        parties: [{ company: shared }, { company: unique("Other Co") }],
        technologies: [unique("Area")],
      }),
      { actor: "t" },
    );
    ids.push(deal.id);
  }
});

describe("a filter the counts do not know", () => {
  it("sends countScope to the base tables; known filters and paging do not", () => {
    expect(countScope({ ...defaultFilters, onlyIds: [1] } as WithNewFilter)).toBeNull();
    expect(countScope({ ...defaultFilters, onlyIds: [] } as WithNewFilter)).not.toBeNull();
    expect(
      countScope({ ...defaultFilters, type: ["mou"], page: 3, sort: "title", rollup: true }),
    ).not.toBeNull();
    expect(countScope({ ...defaultFilters, status: ["active"] })).toBeNull();
  });

  it("is honoured by every widget", async () => {
    const chosen = ids.slice(0, 2);
    const f: WithNewFilter = { ...defaultFilters, onlyIds: chosen };
    const summary = await getSummary(f);
    expect(summary.deals).toBe(2);
    expect(summary.companies).toBe(3);
    expect(summary.technologies).toBe(2);
    const overTime = await dealsOverTime(f, "year");
    expect(overTime.buckets).toEqual([
      { bucket: "2020", counts: { mou: 1 }, total: 1 },
      { bucket: "2021", counts: { investment: 1 }, total: 1 },
    ]);
    const breakdown = await dealTypeBreakdown(f);
    expect(breakdown.binding.reduce((sum, b) => sum + b.deals, 0)).toBe(2);
    expect((await topCompanies(f))[0]!.deals).toBe(2);
    expect(await technologyCounts(f)).toHaveLength(2);
  });
});
