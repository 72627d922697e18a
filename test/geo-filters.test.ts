import { parse } from "csv-parse/sync";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as exportRoute from "@/app/api/export/deals.csv/route";
import * as networkRoute from "@/app/api/network/route";
import * as overTimeRoute from "@/app/api/stats/deals-over-time/route";
import * as summaryRoute from "@/app/api/stats/summary/route";
import * as technologiesRoute from "@/app/api/stats/technologies/route";
import * as timelineRoute from "@/app/api/timeline/route";
import * as topCompaniesRoute from "@/app/api/stats/top-companies/route";
import * as dealTypesRoute from "@/app/api/stats/deal-types/route";
import { createApiToken } from "@/db/accounts/auth";
import { createDeal } from "@/db/deals/deal-writes";
import { companies } from "@/db/schema";
import { countScope, geoKeyScope, rebuildStatCounts } from "@/db/stats/stat-counts";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { companyKey } from "@/lib/names";
import type { Network, OverTime, Summary, Timeline } from "@/db/types";
import { dealFixture, testDb, unique } from "./db";

// The geography and sector filters (issue 23) on every list, chart and export, alone and with the
// filters that were there before, on a small known set of deals (docs/filters.md states the rules).

let token = "";
const get = (url: string) =>
  new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${token}` } });

const names: Record<string, string> = {};
const deal: Record<string, number> = {};
const byId = new Map<number, string>();

/** Company key → [country, sector, parent key]. */
const COMPANIES: Record<string, [string | null, string | null, string?]> = {
  krA: ["KR", "517"],
  krB: ["KR", "334"],
  jp: ["JP", "517"],
  de: ["DE", "336"],
  unknown: [null, null],
  group: ["KR", "334"],
  // A subsidiary with no country or sector of its own, and one abroad, both of the KR group.
  sub: [null, null, "group"],
  subUs: ["US", "541", "group"],
};

/** Deal key → [parties, announced on, type, technology]. */
const DEALS: Record<string, [string[], string, string, string]> = {
  d1: [["krA", "krB"], "2020-03-01", "mou", "5G"],
  d2: [["krA", "jp"], "2021-03-01", "investment", "AI"],
  d3: [["jp", "de"], "2022-03-01", "mou", "5G"],
  d4: [["krA", "unknown"], "2023-03-01", "mou", "AI"],
  d5: [["sub", "krA"], "2023-06-01", "mou", "AI"],
  d6: [["subUs", "krB"], "2024-03-01", "mou", "AI"],
  d7: [["sub", "de"], "2024-06-01", "licensing", "5G"],
};

beforeAll(async () => {
  const db = testDb();
  token = (await createApiToken({ name: "geo-filters", role: "viewer" })).secret;
  for (const key of Object.keys(COMPANIES)) names[key] = unique(`Geo ${key}`);
  for (const [key, [parties, announcedOn, type, technology]] of Object.entries(DEALS)) {
    const created = await createDeal(
      dealFixture({
        title: unique(`Geo deal ${key}`),
        announcedOn,
        types: [type] as never,
        parties: parties.map((p) => ({ company: names[p]!, role: "partner" })),
        technologies: [technology],
      }),
      { actor: "t" },
    );
    deal[key] = created.id;
    byId.set(created.id, key);
  }
  // Set directly, as the reference data would (the company form is another part of issue 23).
  await db.write(async (tx) => {
    // The group is in no deal: only its subsidiaries are.
    await tx.insert(companies).values({
      name: names.group!,
      nameKey: companyKey(names.group!),
      slug: `geo-group-${process.pid}`,
    });
    const ids = new Map<string, number>();
    for (const [key, name] of Object.entries(names)) {
      const [row] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.name, name));
      ids.set(key, row!.id);
    }
    for (const [key, [country, sector, parent]] of Object.entries(COMPANIES)) {
      await tx
        .update(companies)
        .set({ country, sector, parentId: parent ? ids.get(parent)! : null })
        .where(eq(companies.id, ids.get(key)!));
    }
    // Counted again, as the reference data's migration recounts the deals it touches: the month
    // counts answer one country, sector or cross-border value (stat_geo_keys).
    await rebuildStatCounts(tx);
  });
});

async function json<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

/** The deal keys GET /api/deals answers for a query, checked against its total. */
async function listed(query: string): Promise<string[]> {
  const page = await json<{ items: { id: number }[]; total: number }>(
    await dealsRoute.GET(get(`/api/deals?pageSize=100&${query}`)),
  );
  expect(page.total).toBe(page.items.length);
  return page.items.map((d) => byId.get(d.id)!).sort();
}

/** Every other view of the filtered set must agree with the list. */
async function expectEveryViewAgrees(query: string, expected: string[]) {
  expect(await listed(query), query).toEqual(expected);
  const summary = await json<Summary>(await summaryRoute.GET(get(`/api/stats/summary?${query}`)));
  expect(summary.deals, `summary ${query}`).toBe(expected.length);
  const overTime = await json<OverTime>(
    await overTimeRoute.GET(get(`/api/stats/deals-over-time?interval=year&${query}`)),
  );
  expect(
    overTime.buckets.reduce((sum, b) => sum + b.total, 0),
    `over time ${query}`,
  ).toBe(expected.length);
  const types = await json<{ binding: { deals: number }[] }>(
    await dealTypesRoute.GET(get(`/api/stats/deal-types?${query}`)),
  );
  expect(
    types.binding.reduce((sum, b) => sum + b.deals, 0),
    `deal types ${query}`,
  ).toBe(expected.length);
  const areas = await json<{ technology: { name: string }; deals: number }[] | { items: unknown[] }>(
    await technologiesRoute.GET(get(`/api/stats/technologies?${query}`)),
  );
  expect(Array.isArray(areas) || "items" in areas).toBe(true);
  await json(await topCompaniesRoute.GET(get(`/api/stats/top-companies?${query}`)));
  // One area per deal: one lane each.
  const timeline = await json<Timeline>(
    await timelineRoute.GET(get(`/api/timeline?groupBy=technology&${query}`)),
  );
  expect(timeline.mode).toBe("deals");
  if (timeline.mode === "deals")
    expect(timeline.markers.map((m) => byId.get(m.id)!).sort(), `timeline ${query}`).toEqual(expected);
  // Every deal here has two parties of different groups: one edge each.
  const network = await json<Network>(await networkRoute.GET(get(`/api/network?${query}`)));
  expect(
    network.edges.reduce((sum, e) => sum + e.deals, 0),
    `network ${query}`,
  ).toBe(expected.length);
  const csv = await exportRoute.GET(get(`/api/export/deals.csv?${query}`));
  expect(csv.status).toBe(200);
  const rows = parse(await csv.text(), { columns: true }) as { id: string }[];
  expect(rows.map((r) => byId.get(Number(r.id))!).sort(), `export ${query}`).toEqual(expected);
}

describe("country, region, sector and crossBorder filters", () => {
  it.each([
    ["country=KR", ["d1", "d2", "d4", "d5", "d6"]],
    ["country=kr", ["d1", "d2", "d4", "d5", "d6"]],
    ["country=JP&country=DE", ["d2", "d3", "d7"]],
    ["country=US", ["d6"]],
    ["region=Europe", ["d3", "d7"]],
    ["region=030", ["d1", "d2", "d3", "d4", "d5", "d6"]],
    ["region=Eastern%20Asia&country=DE", ["d3"]],
    // A parent sector includes its subsectors (51 Information: 517 Telecommunications).
    ["sector=51", ["d1", "d2", "d3", "d4", "d5"]],
    ["sector=517", ["d1", "d2", "d3", "d4", "d5"]],
    ["sector=31-33", ["d1", "d3", "d6", "d7"]],
    ["sector=336&sector=541", ["d3", "d6", "d7"]],
    ["crossBorder=1", ["d2", "d3", "d6"]],
    // Domestic needs every party's country known: d4, d5 and d7 have a party of unknown country.
    ["crossBorder=0", ["d1"]],
  ])("%s, on the list, stats, timeline, network and export", async (query, expected) => {
    await expectEveryViewAgrees(query, expected);
  });

  it.each([
    // With Roll up a party is its group: the subsidiary without a country is in KR, the one in the
    // US counts as the KR group.
    ["country=KR&rollup=1", ["d1", "d2", "d4", "d5", "d6", "d7"]],
    ["country=US&rollup=1", []],
    ["crossBorder=1&rollup=1", ["d2", "d3", "d7"]],
    ["crossBorder=0&rollup=1", ["d1", "d5", "d6"]],
    ["sector=31-33&rollup=1", ["d1", "d3", "d5", "d6", "d7"]],
  ])("%s counts a subsidiary under its group", async (query, expected) => {
    await expectEveryViewAgrees(query, expected);
  });

  it.each([
    ["country=KR&type=investment", ["d2"]],
    ["country=JP&technology=5G", ["d3"]],
    ["country=KR&from=2023-01-01&to=2023-12-31", ["d4", "d5"]],
    ["crossBorder=1&company=GEO_KRA", ["d2"]],
    ["crossBorder=1&rollup=1&company=GEO_GROUP", ["d7"]],
    ["region=Europe&type=mou", ["d3"]],
    ["sector=51&crossBorder=0&technology=5G", ["d1"]],
  ])("%s combines with the other filters", async (query, expected) => {
    const withNames = query
      .replace("GEO_KRA", encodeURIComponent(names.krA!))
      .replace("GEO_GROUP", encodeURIComponent(names.group!));
    await expectEveryViewAgrees(withNames, expected);
  });

  it.each([
    ["country=XX", "country"],
    ["country=KOR", "country"],
    ["region=Atlantis", "region"],
    ["sector=99", "sector"],
    ["crossBorder=maybe", "crossBorder"],
  ])("%s is a 400 naming the parameter", async (query, field) => {
    for (const response of [
      await dealsRoute.GET(get(`/api/deals?${query}`)),
      await summaryRoute.GET(get(`/api/stats/summary?${query}`)),
      await exportRoute.GET(get(`/api/export/deals.csv?${query}`)),
    ]) {
      expect(response.status).toBe(400);
      const body = (await response.json()) as { fieldErrors: Record<string, string[]> };
      expect(Object.keys(body.fieldErrors)).toEqual([field]);
    }
  });

  it("sends the widgets to the base tables: the per-bucket counts know none of them", () => {
    for (const f of [
      { country: ["KR"] },
      { region: "Europe" },
      { sector: ["51"] },
      { crossBorder: true },
      { crossBorder: false },
    ]) {
      expect(countScope({ ...defaultFilters, ...f }), JSON.stringify(f)).toBeNull();
    }
  });

  it("one country, two-digit sector or cross-border value has its month counts' key; anything else none", () => {
    const scope = (f: Partial<DealFilters>) => geoKeyScope({ ...defaultFilters, ...f });
    expect(scope({ country: ["KR"] })?.fkey).toBe("country:KR");
    expect(scope({ country: ["KR"], rollup: true, type: ["mou"] })).toMatchObject({
      fkey: "country:KR",
      rollup: true,
      types: ["mou"],
    });
    expect(scope({ sector: ["51"] })?.fkey).toBe("sector:51");
    expect(scope({ sector: ["31-33"] })?.fkey).toBe("sector:31-33");
    expect(scope({ crossBorder: true })?.fkey).toBe("cross:1");
    expect(scope({ crossBorder: false })?.fkey).toBe("cross:0");
    // A deal with parties in two of the values would be counted twice; a subsector is not a key.
    for (const f of [
      {},
      { country: ["KR", "US"] },
      { sector: ["517"] },
      { country: ["KR"], sector: ["51"] },
      { country: ["KR"], crossBorder: true },
      { country: ["KR"], company: ["Anyone"] },
      { country: ["KR"], from: "2023-01-02" },
      { region: "Europe" },
    ])
      expect(scope(f), JSON.stringify(f)).toBeNull();
  });
});

describe("export layouts", () => {
  const exported = async (query: string) => {
    const response = await exportRoute.GET(get(`/api/export/deals.csv?${query}`));
    expect(response.status).toBe(200);
    return parse(await response.text(), { columns: true }) as Record<string, string>[];
  };

  it("give each deal its parties' distinct countries and sectors", async () => {
    const rows = await exported("pageSize=100");
    const of = (key: string) => rows.find((r) => Number(r.id) === deal[key])!;
    expect(of("d2")).toMatchObject({ party_countries: "JP; KR", party_sectors: "517" });
    expect(of("d3")).toMatchObject({ party_countries: "DE; JP", party_sectors: "336; 517" });
    expect(of("d4")).toMatchObject({ party_countries: "KR", party_sectors: "517" });
  });

  it("give each party row its company's country and sector, and each pair both companies'", async () => {
    const parties = await exported("layout=parties&country=US");
    expect(parties.map((r) => [r.company, r.company_country, r.company_sector, r.parent_company])).toEqual(
      expect.arrayContaining([
        [names.subUs, "US", "541", names.group],
        [names.krB, "KR", "334", ""],
      ]),
    );
    const pairs = await exported("layout=pairs&country=DE&country=JP&type=mou");
    expect(pairs).toHaveLength(1);
    const pair = pairs[0]!;
    const sides = [
      [pair.company_a, pair.company_a_country, pair.company_a_sector],
      [pair.company_b, pair.company_b_country, pair.company_b_sector],
    ].sort((a, b) => a[1]!.localeCompare(b[1]!));
    expect(sides).toEqual([
      [names.de, "DE", "336"],
      [names.jp, "JP", "517"],
    ]);
  });
});
