import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, testDb } from "@/test/db";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { countryByCode } from "@/lib/geo/countries";
import { topSector } from "@/lib/geo/sectors";
import { widgetRoute } from "@/server/widgets";
import { createApiToken } from "../accounts/auth";
import { createCompany } from "../directory/directory";
import { createDeal } from "../deals/deal-writes";
import { listDeals } from "../deals/deals";
import { companyInput } from "../../lib/validation";
import { countryCounts, countryPairs, partnerMix, sectorCounts, sectorTechnologies } from "./geo";

// Deals by their parties' countries and sectors (issue 23), counted again here in plain JavaScript.

/** Each company's country (ISO) and NAICS code; null: unknown. "Nova Labs" has none of its own. */
const COMPANIES: Record<string, [string | null, string | null]> = {
  Nova: ["KR", "517"], // a subsector: counted under 51 Information
  "Nova Labs": [null, null], // a subsidiary of Nova
  Orbit: ["US", "51"],
  Quasar: ["DE", "334"], // Manufacturing 31-33
  Pulsar: ["KR", "54"],
  Comet: [null, null],
  // A subsidiary with a country and sector of its own, unlike its group's.
  "Nova America": ["US", "54"],
};
const parentOf: Record<string, string> = { "Nova Labs": "Nova", "Nova America": "Nova" };

type Spec = { date: string; parties: string[]; types: string[]; tech: string[] };
const specs: Spec[] = [
  { date: "2021-03-01", parties: ["Nova", "Orbit"], types: ["mou"], tech: ["5G", "AI"] },
  { date: "2021-06-01", parties: ["Nova", "Pulsar"], types: ["joint_venture"], tech: ["5G"] },
  { date: "2022-01-10", parties: ["Orbit", "Quasar", "Nova"], types: ["mou"], tech: ["Cloud"] },
  { date: "2022-05-05", parties: ["Nova Labs", "Quasar"], types: ["investment"], tech: ["AI"] },
  { date: "2023-02-02", parties: ["Comet", "Nova Labs"], types: ["licensing"], tech: ["AI", "Cloud"] },
  { date: "2023-08-08", parties: ["Orbit", "Quasar"], types: ["mou", "licensing"], tech: ["5G"] },
  { date: "2024-04-04", parties: ["Nova America", "Pulsar"], types: ["mou"], tech: ["AI"] },
];

const all: DealFilters = { ...defaultFilters, pageSize: 500 };
const f = (over: Partial<DealFilters>): DealFilters => ({ ...all, ...over });

/**
 * A party's country and sector as the charts and the filters count them (docs/filters.md): with
 * Roll up a party is its group, so the group's, or its own where the group has none.
 */
function partyOf(name: string, rollup: boolean) {
  const [country, sector] = COMPANIES[name]!;
  const group = rollup && parentOf[name] ? COMPANIES[parentOf[name]!]! : [null, null];
  return { country: group[0] ?? country, sector: group[1] ?? sector };
}
const distinct = <T>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
const countriesOf = (s: Spec, rollup = false) => distinct(s.parties.map((p) => partyOf(p, rollup).country));
const sectorsOf = (s: Spec, rollup = false) =>
  distinct(s.parties.map((p) => partyOf(p, rollup).sector).map((c) => (c ? topSector(c)!.code : null)));

/** Deals per key in plain code, as the endpoints sort them: most first, then by name. */
function tally(from: Spec[], keys: (s: Spec) => string[]) {
  const counts = new Map<string, number>();
  for (const s of from) for (const k of keys(s)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

let token = "";
const get = async (name: Parameters<typeof widgetRoute>[0], path: string, query: string) =>
  widgetRoute(name)(
    new Request(`http://localhost/api/stats/${path}${query}`, {
      headers: { authorization: `Bearer ${token}` },
    }),
  );

beforeAll(async () => {
  const db = testDb();
  for (const name of Object.keys(COMPANIES))
    await createCompany(companyInput.parse({ name, ...(parentOf[name] && { parent: parentOf[name] }) }));
  // Set directly: the company form's country and sector fields come with issue 23's reference work.
  await db.write(async (tx) => {
    for (const [name, [country, sector]] of Object.entries(COMPANIES))
      await tx.execute(
        sql`UPDATE companies SET country = ${country}, sector = ${sector} WHERE name = ${name}`,
      );
  });
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
  token = (await createApiToken({ name: "geo tests", role: "viewer" })).secret;
});

describe("deals by country", () => {
  it("counts each deal once per country among its parties, and the deals with none as unknown", async () => {
    const result = await countryCounts(all);
    const expected = tally(specs, (s) => countriesOf(s));
    expect(result.items).toEqual(
      [...expected]
        .map(([country, deals]) => ({ country, name: countryByCode(country)!.name, deals }))
        .sort((a, b) => b.deals - a.deals || a.name.localeCompare(b.name)),
    );
    expect(result.unknown).toBe(specs.filter((s) => countriesOf(s).length === 0).length);
  });

  it("adds up: the countries' sum is the number of (deal, country) pairs, at least the deals with a country", async () => {
    const result = await countryCounts(all);
    const sum = result.items.reduce((n, c) => n + c.deals, 0);
    const pairs = specs.reduce((n, s) => n + countriesOf(s).length, 0);
    expect(sum).toBe(pairs);
    // Deal 1 has a Korean and an American party: counted in both, so the sum exceeds the deals.
    expect(sum).toBeGreaterThan(specs.length - result.unknown);
    expect(result.unknown).toBe(1); // Comet and Nova Labs: no country of their own
  });

  it("counts a subsidiary without a country under its group's when rolled up", async () => {
    const rolled = await countryCounts(f({ rollup: true }));
    const expected = tally(specs, (s) => countriesOf(s, true));
    expect(Object.fromEntries(rolled.items.map((c) => [c.country, c.deals]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(rolled.unknown).toBe(0);
    expect(rolled.items.find((c) => c.country === "KR")!.deals).toBeGreaterThan(
      (await countryCounts(all)).items.find((c) => c.country === "KR")!.deals,
    );
  });

  it("under Roll up, a country's or a sector's bar is the number of deals its filter lists", async () => {
    // A click on a bar opens the list filtered by it: both must read a party's country alike.
    const rolled = f({ rollup: true });
    const countries = await countryCounts(rolled);
    const sectors = await sectorCounts(rolled);
    const listed = async (over: Partial<DealFilters>) =>
      (await listDeals(f({ rollup: true, ...over }))).total;
    for (const c of countries.items)
      expect([c.country, await listed({ country: [c.country] })]).toEqual([c.country, c.deals]);
    for (const s of sectors.items)
      expect([s.sector, await listed({ sector: [s.sector] })]).toEqual([s.sector, s.deals]);
    // Nova America (US) counts as its group Nova (KR): the 2024 deal is domestic and Korean.
    expect(countries.items.find((c) => c.country === "KR")!.deals).toBe(
      tally(specs, (s) => countriesOf(s, true)).get("KR"),
    );
  });

  it("applies the filters: company, technology, type, year", async () => {
    const cases: [Partial<DealFilters>, (s: Spec) => boolean][] = [
      [{ company: ["Orbit"] }, (s) => s.parties.includes("Orbit")],
      [{ technology: ["ai"] }, (s) => s.tech.includes("AI")],
      [{ type: ["mou"] }, (s) => s.types.includes("mou")],
      [{ from: "2022-01-01", to: "2022-12-31" }, (s) => s.date.startsWith("2022")],
      [
        { company: ["Quasar"], type: ["mou"] },
        (s) => s.parties.includes("Quasar") && s.types.includes("mou"),
      ],
    ];
    for (const [over, pred] of cases) {
      const chosen = specs.filter(pred);
      expect(chosen.length, JSON.stringify(over)).toBe((await listDeals(f(over))).total);
      const result = await countryCounts(f(over));
      expect(Object.fromEntries(result.items.map((c) => [c.country, c.deals])), JSON.stringify(over)).toEqual(
        Object.fromEntries(tally(chosen, (s) => countriesOf(s))),
      );
      const sectors = await sectorCounts(f(over));
      expect(Object.fromEntries(sectors.items.map((c) => [c.sector, c.deals])), JSON.stringify(over)).toEqual(
        Object.fromEntries(tally(chosen, (s) => sectorsOf(s))),
      );
    }
    expect(await countryCounts(f({ company: ["No Such Co"] }))).toEqual({ items: [], unknown: 0 });
  });
});

describe("country pairs", () => {
  it("ranks the cross-border corridors, each deal once per pair of its countries, a < b", async () => {
    const expected = tally(specs, (s) => {
      const cs = countriesOf(s).toSorted();
      return cs.flatMap((a, i) => cs.slice(i + 1).map((b) => `${a}|${b}`));
    });
    const { items } = await countryPairs(all);
    expect(items).toEqual(
      [...expected]
        .map(([key, deals]) => ({ a: key.split("|")[0]!, b: key.split("|")[1]!, deals }))
        .sort((x, y) => y.deals - x.deals || x.a.localeCompare(y.a) || x.b.localeCompare(y.b)),
    );
    expect(items.every((p) => p.a < p.b)).toBe(true);
    // Two Korean parties (deal 2) make no corridor.
    expect(items.some((p) => p.a === p.b)).toBe(false);
    expect((await countryPairs(all, 1)).items).toEqual(items.slice(0, 1));
    expect((await countryPairs(f({ type: ["joint_venture"] }))).items).toEqual([]);
  });
});

describe("deals by sector", () => {
  it("counts subsectors under their two-digit sector, each deal once per sector", async () => {
    const result = await sectorCounts(all);
    expect(Object.fromEntries(result.items.map((c) => [c.sector, c.deals]))).toEqual(
      Object.fromEntries(tally(specs, (s) => sectorsOf(s))),
    );
    expect(result.items.map((c) => c.sector)).toContain("31-33");
    expect(result.items.find((c) => c.sector === "51")).toMatchObject({ name: "Information", deals: 4 });
    expect(result.unknown).toBe(specs.filter((s) => sectorsOf(s).length === 0).length);
  });

  it("crosses sectors with technology areas", async () => {
    const { items } = await sectorTechnologies(all);
    const expected = tally(specs, (s) =>
      sectorsOf(s).flatMap((sector) => s.tech.map((t) => `${sector}|${t}`)),
    );
    expect(Object.fromEntries(items.map((c) => [`${c.sector}|${c.technology}`, c.deals]))).toEqual(
      Object.fromEntries(expected),
    );
    expect(items[0]!.slug).toMatch(/^[a-z0-9-]+$/);
    const filtered = await sectorTechnologies(f({ technology: ["cloud"] }));
    expect(
      filtered.items.every((c) =>
        specs.some((s) => s.tech.includes(c.technology) && s.tech.includes("Cloud")),
      ),
    ).toBe(true);
  });
});

describe("partner mix", () => {
  it("counts a company's partners by country and sector, each once, without the company itself", async () => {
    const mix = await partnerMix(f({ company: ["Nova"] }));
    // Nova's partners: Orbit (US, 51), Pulsar (KR, 54), Quasar (DE, 334 → 31-33).
    expect(mix.countries.map((c) => [c.country, c.companies])).toEqual([
      ["DE", 1],
      ["KR", 1],
      ["US", 1],
    ]);
    expect(Object.fromEntries(mix.sectors.map((c) => [c.sector, c.companies]))).toEqual({
      "31-33": 1,
      "51": 1,
      "54": 1,
    });
    expect(mix.unknownCountry).toBe(0);
    // Rolled up, Nova's group includes Nova Labs: its partners Quasar and Comet (unknown) join in.
    const rolled = await partnerMix(f({ company: ["Nova"], rollup: true }));
    expect(rolled.unknownCountry).toBe(1);
    expect(rolled.countries.find((c) => c.country === "DE")!.companies).toBe(1);
  });
});

describe("the endpoints", () => {
  it("answer the same numbers, and 400 with field errors on bad input", async () => {
    const ok = await get("countries", "countries", "?type=mou");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(await countryCounts(f({ type: ["mou"] })));
    const pairs = await get("country-pairs", "country-pairs", "?limit=2");
    expect((await pairs.json()).items).toHaveLength(2);
    const cases: [Parameters<typeof widgetRoute>[0], string, string, string][] = [
      ["countries", "countries", "?type=bogus", "type"],
      ["country-pairs", "country-pairs", "?limit=0", "limit"],
      ["country-pairs", "country-pairs", "?limit=many", "limit"],
      ["sectors", "sectors", "?from=yesterday", "from"],
      ["sector-technologies", "sector-technologies", "?colour=red", "colour"],
      ["partner-mix", "partner-mix", "?binding=maybe", "binding"],
    ];
    for (const [name, path, query, field] of cases) {
      const response = await get(name, path, query);
      expect(response.status, path + query).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors), path + query).toEqual([field]);
    }
  });
});
