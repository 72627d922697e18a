import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, testDb } from "@/test/db";
import { bucketOf, bucketsBetween, type Interval } from "@/lib/buckets";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { createCompany } from "../directory/directory";
import { createDeal, deleteDeal } from "../deals/deal-writes";
import { getDeal, listDeals } from "../deals/deals";
import { companyInput } from "../../lib/validation";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  partnerNetwork,
  technologiesOverTime,
  technologyCounts,
  timeline,
  topCompanies,
} from "./stats";

// A small world whose aggregates we count in plain JavaScript and compare with SQLite's.
type Spec = {
  date: string;
  precision?: "day" | "month";
  parties: string[];
  types: string[];
  binding: string;
  tech: string[];
  q?: string;
};
const specs: Spec[] = [
  {
    date: "2019-02-01",
    precision: "month",
    parties: ["Orion", "Vega"],
    // Given out of the form's checkbox order: the first given is the primary type.
    types: ["commercial_agreement", "strategic_partnership"],
    binding: "unknown",
    tech: ["Cloud", "IoT"],
  },
  {
    date: "2019-05-13",
    parties: ["Orion", "Vega"],
    types: ["mou", "strategic_partnership"],
    binding: "non_binding",
    tech: ["5G", "AI", "Cloud"],
  },
  {
    date: "2019-05-20",
    parties: ["Vega Labs", "Lyra"],
    types: ["investment"],
    binding: "binding",
    tech: ["AI"],
  },
  {
    date: "2020-11-02",
    parties: ["Orion", "Lyra", "Deneb"],
    types: ["joint_venture"],
    binding: "binding",
    tech: ["5G"],
  },
  {
    date: "2021-03-09",
    parties: ["Deneb", "Vega"],
    types: ["mou"],
    binding: "non_binding",
    tech: ["Edge computing", "5G"],
  },
  { date: "2026-06-01", parties: ["Lyra", "Orion"], types: ["licensing"], binding: "binding", tech: ["AI"] },
];
const parentOf: Record<string, string> = { "Vega Labs": "Vega" };

const all: DealFilters = { ...defaultFilters, pageSize: 500 };
const f = (over: Partial<DealFilters>): DealFilters => ({ ...all, ...over });
const matching = (pred: (s: Spec) => boolean) => specs.filter(pred);
const today = new Date("2026-11-27T00:00:00Z");

beforeAll(async () => {
  testDb();
  await createCompany(companyInput.parse({ name: "Vega" }));
  await createCompany(companyInput.parse({ name: "Vega Labs", parent: "Vega" }));
  for (const s of specs) {
    await createDeal(
      dealFixture({
        announcedOn: s.date,
        datePrecision: s.precision ?? "day",
        parties: s.parties.map((company) => ({ company, role: "partner" as const })),
        types: s.types as never,
        binding: s.binding as never,
        technologies: s.tech,
      }),
      { actor: "test" },
    );
  }
});

describe("summary", () => {
  it("counts deals, companies, areas, non-binding MoUs and the last two years", async () => {
    const summary = await getSummary(all, undefined, today);
    const last12 = matching((s) => s.date > "2025-11-27" && s.date <= "2026-11-27").length;
    const prev12 = matching((s) => s.date > "2024-11-27" && s.date <= "2025-11-27").length;
    expect(summary).toEqual({
      deals: specs.length,
      companies: new Set(specs.flatMap((s) => s.parties)).size,
      technologies: new Set(specs.flatMap((s) => s.tech)).size,
      nonBindingMous: matching((s) => s.binding === "non_binding" && s.types.includes("mou")).length,
      knownBinding: matching((s) => s.binding !== "unknown").length,
      // Among the deals whose binding is known, not all deals (most say Unknown).
      nonBindingMouShare:
        matching((s) => s.binding === "non_binding" && s.types.includes("mou")).length /
        matching((s) => s.binding !== "unknown").length,
      last12Months: last12,
      previous12Months: prev12,
    });
  });

  it("agrees with the list's total under every filter", async () => {
    const filters: Partial<DealFilters>[] = [
      {},
      { company: ["Orion"] },
      { company: ["Vega"], rollup: true },
      { technology: ["5g"] },
      { type: ["mou"] },
      { binding: ["binding"] },
      { from: "2019-02-01", to: "2019-05-31" },
      { q: "Orion" },
    ];
    for (const over of filters)
      expect((await getSummary(f(over))).deals).toBe((await listDeals(f(over))).total);
  });

  it("rolls subsidiaries up into their group", async () => {
    expect((await getSummary(f({ company: ["Vega"] }))).deals).toBe(
      matching((s) => s.parties.includes("Vega")).length,
    );
    expect((await getSummary(f({ company: ["Vega"], rollup: true }))).deals).toBe(
      matching((s) => s.parties.some((p) => p === "Vega" || parentOf[p] === "Vega")).length,
    );
    expect((await getSummary(f({ rollup: true }))).companies).toBe(
      new Set(specs.flatMap((s) => s.parties.map((p) => parentOf[p] ?? p))).size,
    );
  });
});

describe("deals over time", () => {
  for (const interval of ["month", "quarter", "year"] as const) {
    it(`buckets by ${interval}, month-precision dates included, stacked by primary type, no period skipped`, async () => {
      const result = await dealsOverTime(all, interval);
      expect(result.interval).toBe(interval);
      expect(result.buckets).toEqual(expectedOverTime(specs, interval));
    });
  }

  it("chooses the interval from the range", async () => {
    expect((await dealsOverTime(f({ from: "2019-01-01", to: "2019-12-31" }))).interval).toBe("month");
    expect((await dealsOverTime(all)).interval).toBe("quarter");
  });

  it("stacks add up to the deals of their period, at every scale and under every filter", async () => {
    const filters: Partial<DealFilters>[] = [
      {},
      { company: ["Orion"] },
      { technology: ["5g"] },
      { type: ["mou"] },
    ];
    for (const over of filters)
      for (const interval of ["month", "quarter", "year"] as const) {
        const { buckets } = await dealsOverTime(f(over), interval);
        for (const b of buckets)
          expect(
            Object.values(b.counts).reduce((x, y) => x + (y ?? 0), 0),
            `${b.bucket}`,
          ).toBe(b.total);
        expect(buckets.reduce((sum, b) => sum + b.total, 0)).toBe((await listDeals(f(over))).total);
      }
  });

  it("shows a company with one deal of two types as one deal", async () => {
    const { buckets } = await dealsOverTime(
      f({ company: ["Orion"], from: "2019-02-01", to: "2019-02-28" }),
      "year",
    );
    expect(buckets).toEqual([{ bucket: "2019", counts: { commercial_agreement: 1 }, total: 1 }]);
  });

  it("keeps the deal's types in the order given, in the API and the CSV cells", async () => {
    const [deal] = (await listDeals(f({ from: "2019-02-01", to: "2019-02-28" }))).items;
    expect(deal!.types).toEqual(["commercial_agreement", "strategic_partnership"]);
    expect((await getDeal(deal!.id))!.types).toEqual(["commercial_agreement", "strategic_partnership"]);
    const { rows } = await testDb().execute<{ types: string }>(
      sql`SELECT types FROM deal_cells WHERE deal_id = ${deal!.id}`,
    );
    expect(rows[0]!.types).toBe("commercial_agreement; strategic_partnership");
  });
});

/** Deals per bucket counted in plain code: under each deal's first type, every period in between. */
function expectedOverTime(from: Spec[], interval: Interval) {
  const expected = new Map<string, { total: number; counts: Record<string, number> }>();
  for (const s of from) {
    const b = expected.get(bucketOf(s.date, interval)) ?? { total: 0, counts: {} };
    b.total++;
    b.counts[s.types[0]!] = (b.counts[s.types[0]!] ?? 0) + 1;
    expected.set(bucketOf(s.date, interval), b);
  }
  const keys = [...expected.keys()].sort();
  return bucketsBetween(keys[0]!, keys[keys.length - 1]!, interval).map((bucket) => ({
    bucket,
    ...(expected.get(bucket) ?? { total: 0, counts: {} }),
  }));
}

describe("time axes", () => {
  it("list every period between the first and the last, empty ones as zero", async () => {
    const years = (await dealsOverTime(all, "year")).buckets.map((b) => b.bucket);
    expect(years).toEqual(["2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"]);
    const months = await dealsOverTime(f({ from: "2020-10-01", to: "2021-12-31" }), "month");
    expect(months.buckets.map((b) => [b.bucket, b.total])).toEqual([
      ["2020-11", 1],
      ["2020-12", 0],
      ["2021-01", 0],
      ["2021-02", 0],
      ["2021-03", 1],
    ]);
    const areas = await technologiesOverTime(all, "year");
    expect(areas.buckets.map((b) => b.bucket)).toEqual(years);
    expect(areas.buckets.find((b) => b.bucket === "2023")!.counts).toEqual(
      Object.fromEntries(areas.areas.map((a) => [a.slug, 0])),
    );
    // The timeline's month cells (drawn when there are too many marks): every lane, every month.
    const lanes = await timeline(all, "company", undefined, 15, 0);
    expect(lanes.mode).toBe("months");
    if (lanes.mode !== "months") return;
    const axis = bucketsBetween("2019-02", "2026-06", "month");
    expect(lanes.cells).toHaveLength(lanes.lanes.length * axis.length);
    const orion = lanes.lanes.find((l) => l.name === "Orion")!.key;
    expect(lanes.cells.filter((c) => c.lane === orion).map((c) => c.month)).toEqual(axis);
    expect(lanes.cells.find((c) => c.lane === orion && c.month === "2019-05")!.deals).toBe(1);
    expect(lanes.cells.find((c) => c.lane === orion && c.month === "2019-06")!.deals).toBe(0);
  });
});

describe("rankings", () => {
  it("ranks companies by deals and by distinct partners", async () => {
    const deals = await topCompanies(all);
    expect(deals[0]).toMatchObject({
      name: "Orion",
      deals: matching((s) => s.parties.includes("Orion")).length,
    });
    const partners = await topCompanies(all, { by: "partners" });
    const orionPartners = new Set(
      specs.filter((s) => s.parties.includes("Orion")).flatMap((s) => s.parties.filter((p) => p !== "Orion")),
    );
    expect(partners.find((c) => c.name === "Orion")?.partners).toBe(orionPartners.size);
  });

  it("counts subsidiaries under their group when rolling up", async () => {
    const plain = (await topCompanies(all)).find((c) => c.name === "Vega")!.deals;
    const rolled = (await topCompanies(f({ rollup: true }))).find((c) => c.name === "Vega")!.deals;
    expect(rolled).toBe(plain + 1);
    expect((await topCompanies(f({ rollup: true }))).some((c) => c.name === "Vega Labs")).toBe(false);
  });

  it("counts technology areas and their rise over time", async () => {
    const counts = await technologyCounts(all);
    expect(counts.find((t) => t.name === "AI")?.deals).toBe(matching((s) => s.tech.includes("AI")).length);
    const overTime = await technologiesOverTime(all, "year");
    const ai2019 = overTime.buckets.find((b) => b.bucket === "2019")!.counts.ai;
    expect(ai2019).toBe(matching((s) => s.tech.includes("AI") && s.date.startsWith("2019")).length);
  });

  it("breaks down types and binding", async () => {
    const { binding } = await dealTypeBreakdown(f({ technology: ["5G"] }));
    const expected = matching((s) => s.tech.includes("5G"));
    expect(Object.fromEntries(binding.map((b) => [b.binding, b.deals]))).toEqual(
      expected.reduce<Record<string, number>>(
        (acc, s) => ({ ...acc, [s.binding]: (acc[s.binding] ?? 0) + 1 }),
        {},
      ),
    );
  });
});

describe("timeline and network", () => {
  it("puts each deal in the lanes of its companies or areas", async () => {
    const byCompany = await timeline(all, "company");
    const orion = byCompany.lanes.find((l) => l.name === "Orion")!;
    expect(byCompany.mode).toBe("deals");
    if (byCompany.mode !== "deals") return;
    expect(byCompany.markers.filter((m) => m.lane === orion.key)).toHaveLength(
      matching((s) => s.parties.includes("Orion")).length,
    );
    const month = byCompany.markers.find((m) => m.datePrecision === "month")!;
    expect(month.announcedOn).toBe("2019-02-01");
    const byTech = await timeline(all, "technology");
    if (byTech.mode !== "deals") return;
    expect(byTech.markers).toHaveLength(specs.reduce((sum, s) => sum + s.tech.length, 0));
  });

  it("links partners by the number of deals they share", async () => {
    const network = await partnerNetwork(all);
    const id = (name: string) => network.nodes.find((n) => n.name === name)!.id;
    const [a, b] = [id("Orion"), id("Vega")].sort((x, y) => x - y);
    expect(network.edges.find((e) => e.source === a && e.target === b)?.deals).toBe(
      matching((s) => s.parties.includes("Orion") && s.parties.includes("Vega")).length,
    );
  });
});

describe("deleted deals", () => {
  it("leave every aggregate at once", async () => {
    const before = {
      summary: await getSummary(all),
      top: await topCompanies(all),
      types: await dealTypeBreakdown(all),
      tech: await technologyCounts(all),
    };
    const deal = await createDeal(
      dealFixture({
        parties: [{ company: "Orion" }, { company: "Vega" }],
        types: ["acquisition"],
        technologies: ["Quantum"],
      }),
      { actor: "test" },
    );
    expect((await getSummary(all)).deals).toBe(before.summary.deals + 1);
    await deleteDeal(deal.id, { actor: "test" });
    expect(await getSummary(all)).toEqual(before.summary);
    expect(await topCompanies(all)).toEqual(before.top);
    expect(await dealTypeBreakdown(all)).toEqual(before.types);
    expect(await technologyCounts(all)).toEqual(before.tech);
    expect((await partnerNetwork(all)).edges.find((e) => e.deals > 2)).toBeUndefined();
  });
});
