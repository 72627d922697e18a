import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, testDb } from "@/test/db";
import { bucketOf } from "@/lib/buckets";
import { countryByCode } from "@/lib/geo/countries";
import { topSector } from "@/lib/geo/sectors";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { companyInput } from "@/lib/validation";
import { InputError } from "../core/errors";
import { createCompany } from "../directory/directory";
import { createDeal } from "../deals/deal-writes";
import { compareDeals } from "./compare";
import { dealsOverTime } from "./stats";

// The compare page's numbers against a count in plain JavaScript over a small world.
type Spec = { date: string; parties: string[]; types: string[]; tech: string[] };
const specs: Spec[] = [
  { date: "2019-02-01", parties: ["Orion", "Vega"], types: ["commercial_agreement"], tech: ["Cloud", "IoT"] },
  {
    date: "2019-05-13",
    parties: ["Orion", "Vega"],
    types: ["mou", "strategic_partnership"],
    tech: ["5G", "AI"],
  },
  { date: "2019-05-20", parties: ["Vega Labs", "Lyra"], types: ["investment"], tech: ["AI"] },
  { date: "2020-11-02", parties: ["Orion", "Lyra", "Deneb"], types: ["joint_venture"], tech: ["5G"] },
  {
    date: "2021-03-09",
    parties: ["Deneb", "Vega", "Altair"],
    types: ["mou"],
    tech: ["Edge computing", "5G"],
  },
  { date: "2023-06-01", parties: ["Lyra", "Orion", "Altair"], types: ["licensing"], tech: ["AI"] },
  // A subsidiary without a country of its own: rolled up, it is its group (Japanese) and Vega's side.
  { date: "2022-01-10", parties: ["Orion", "Vega Labs"], types: ["rd_collaboration"], tech: ["IoT"] },
];
const COMPANIES: Record<string, { country?: string; sector?: string; parent?: string }> = {
  Orion: { country: "KR", sector: "517" },
  Vega: { country: "JP", sector: "334" },
  "Vega Labs": { parent: "Vega", sector: "541" },
  Lyra: { country: "DE", sector: "51" },
  Deneb: {},
  Altair: { country: "DE", sector: "517" },
};
const slug = (name: string) => name.toLowerCase().replace(/ /g, "-");
const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });

/** As the page counts: the item's deals (with its subsidiaries under Roll up) and their other parties. */
function expected(items: string[], rollup: boolean, types: string[] = []) {
  const group = (p: string) => (rollup ? (COMPANIES[p]!.parent ?? p) : p);
  const country = (p: string) =>
    COMPANIES[p]!.country ??
    (rollup && COMPANIES[p]!.parent ? COMPANIES[COMPANIES[p]!.parent!]!.country : undefined);
  const dealsOf = (item: string) =>
    specs.filter(
      (s) =>
        s.parties.some((p) => group(p) === item) && (!types.length || s.types.some((t) => types.includes(t))),
    );
  const perKey = (keysOf: (s: Spec) => string[]) =>
    Object.fromEntries(
      items.map((item) => {
        const counts: Record<string, number> = {};
        for (const s of dealsOf(item)) for (const k of new Set(keysOf(s))) counts[k] = (counts[k] ?? 0) + 1;
        return [item, counts];
      }),
    );
  const partnersOf = (item: string) => (s: Spec) => s.parties.filter((p) => group(p) !== item);
  return {
    deals: items.map((i) => dealsOf(i).length),
    countries: Object.fromEntries(
      items.map((i) => [i, perKey((s) => partnersOf(i)(s).map((p) => country(p) ?? ""))[i]!]),
    ),
    sectors: Object.fromEntries(
      items.map((i) => [
        i,
        perKey((s) =>
          partnersOf(i)(s).map((p) => (COMPANIES[p]!.sector ? topSector(COMPANIES[p]!.sector!)!.code : "")),
        )[i],
      ]),
    ),
    partners: Object.fromEntries(items.map((i) => [i, perKey((s) => partnersOf(i)(s).map(group))[i]!])),
    areas: perKey((s) => s.tech),
  };
}

/** A panel's rows as { key: { item: n } } with zeros left out, for comparing with `expected`. */
function byItem(rows: { key: string; counts: Record<string, number> }[], items: string[]) {
  return Object.fromEntries(
    items.map((item) => [
      item,
      Object.fromEntries(rows.flatMap((r) => (r.counts[slug(item)] ? [[r.key, r.counts[slug(item)]]] : []))),
    ]),
  );
}

beforeAll(async () => {
  testDb();
  for (const [name, c] of Object.entries(COMPANIES))
    await createCompany(companyInput.parse({ name, country: c.country, sector: c.sector, parent: c.parent }));
  for (const s of specs)
    await createDeal(
      dealFixture({
        announcedOn: s.date,
        parties: s.parties.map((company) => ({ company, role: "partner" as const })),
        types: s.types as never,
        technologies: s.tech,
      }),
      { actor: "test" },
    );
});

describe("compare", () => {
  it.each([false, true])(
    "counts each company's deals, partners, countries and sectors (rollup %s)",
    async (rollup) => {
      const items = ["Orion", "Vega"];
      const c = await compareDeals(f({ company: ["orion", "Vega"], rollup }), "year");
      const want = expected(items, rollup);
      expect(c.kind).toBe("company");
      expect(c.items).toEqual(items.map((name, i) => ({ name, slug: slug(name), deals: want.deals[i] })));
      const slugged = (m: Record<string, Record<string, number>>) =>
        Object.fromEntries(
          Object.entries(m).map(([i, counts]) => [
            i,
            Object.fromEntries(Object.entries(counts).map(([k, n]) => [slug(k), n])),
          ]),
        );
      expect(byItem(c.partners, items)).toEqual(slugged(want.partners));
      expect(byItem(c.countries, items)).toEqual(want.countries);
      expect(byItem(c.sectors, items)).toEqual(want.sectors);
      expect(byItem(c.mix, items)).toEqual(
        Object.fromEntries(
          Object.entries(want.areas).map(([i, counts]) => [
            i,
            Object.fromEntries(Object.entries(counts).map(([k, n]) => [slug(k), n])),
          ]),
        ),
      );
      // Labels from lib/geo: the country's and the two-digit sector's names.
      expect(c.countries.find((r) => r.key === "DE")?.label).toBe(countryByCode("DE")!.name);
      expect(c.sectors.find((r) => r.key === "51")?.label).toBe(topSector("51")!.name);
      expect(c.countries.find((r) => r.key === "")?.label).toBe("Unknown");
      // Vega Labs has no country of its own: rolled up, it is Japanese (its group's).
      expect(c.countries.find((r) => r.key === "JP")?.counts.orion).toBe(rollup ? 3 : 2);
      // Shared partners: Lyra, Deneb and Altair work with both; the compared companies are not listed.
      expect(c.shared.map((r) => r.key).sort()).toEqual(
        rollup ? ["altair", "deneb", "lyra"] : ["altair", "deneb"],
      );
      expect(c.between).toEqual([{ a: "orion", b: "vega", deals: rollup ? 3 : 2 }]);
    },
  );

  it("puts every item on one time axis: the same periods, zeros included", async () => {
    const c = await compareDeals(f({ company: ["Orion", "Deneb"] }), "year");
    expect(c.overTime.map((r) => r.key)).toEqual(["2019", "2020", "2021", "2022", "2023"]);
    for (const item of ["Orion", "Deneb"])
      for (const row of c.overTime)
        expect(row.counts[slug(item)], `${item} ${row.key}`).toBe(
          specs.filter((s) => s.parties.includes(item) && bucketOf(s.date, "year") === row.key).length,
        );
    // Auto picks one interval over the items' deals together.
    const auto = await compareDeals(f({ company: ["Orion", "Deneb"] }));
    expect(auto.interval).toBe((await dealsOverTime(f({ company: ["Orion", "Deneb"] }))).interval);
    expect(new Set(auto.overTime.map((r) => r.key.slice(0, 4)))).toEqual(
      new Set(["2019", "2020", "2021", "2022", "2023"]),
    );
  });

  it("honours the page's other filters for every item", async () => {
    const c = await compareDeals(f({ company: ["Orion", "Vega"], type: ["mou"] }), "year");
    const want = expected(["Orion", "Vega"], false, ["mou"]);
    expect(c.items.map((i) => i.deals)).toEqual(want.deals);
    expect(c.types.find((r) => r.key === "mou")?.counts).toEqual({ orion: 1, vega: 2 });
  });

  it("compares technology areas by their companies", async () => {
    const c = await compareDeals(f({ technology: ["AI", "5g"] }), "year");
    expect(c.kind).toBe("technology");
    expect(c.items.map((i) => [i.slug, i.deals])).toEqual([
      ["ai", specs.filter((s) => s.tech.includes("AI")).length],
      ["5g", specs.filter((s) => s.tech.includes("5G")).length],
    ]);
    const orion = c.mix.find((r) => r.key === "orion")!;
    expect(orion.counts).toEqual({ ai: 2, "5g": 2 });
    expect(c.partners).toEqual([]);
    expect(c.between).toEqual([]);
    // A single company beside two areas is a filter on both.
    const narrowed = await compareDeals(f({ technology: ["AI", "5g"], company: ["Lyra"] }), "year");
    expect(narrowed.items.map((i) => i.deals)).toEqual([2, 1]);
  });

  it("refuses one, five, mixed or unknown items with field errors", async () => {
    const errors = async (over: Partial<DealFilters>) => {
      const e = await compareDeals(f(over)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      return (e as InputError).fieldErrors;
    };
    expect(await errors({ company: ["Orion"] })).toEqual({
      company: [expect.stringMatching(/2 to 4 companies/)],
    });
    expect(Object.keys(await errors({ company: ["Orion", "Vega", "Lyra", "Deneb", "Altair"] }))).toEqual([
      "company",
    ]);
    expect(
      Object.keys(await errors({ company: ["Orion", "Vega"], technology: ["AI", "5G"] })).sort(),
    ).toEqual(["company", "technology"]);
    expect(await errors({ company: ["Orion", "no-such-company"] })).toEqual({
      company: ["No company called “no-such-company”"],
    });
    expect(await errors({})).toEqual({ technology: [expect.stringMatching(/2 to 4/)] });
  });
});
