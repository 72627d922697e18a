import { audienceOf, PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { createTeam } from "@/db/accounts/teams";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { mergeCompanies, updateCompany } from "@/db/directory/companies";
import { createDeal, deleteDeal, restoreDeal, restoreDealVersion, updateDeal } from "@/db/deals/deal-writes";
import { getDeal, listDeals } from "@/db/deals/deals";
import { createCompany, createTechnology } from "@/db/directory/directory";
import { commitImport } from "@/db/deals/import";
import { undoMerge } from "@/db/directory/merges";
import { generateDemoDeals } from "@/db/ops/seed";
import { countDeals, rebuildStatCounts, STAT_TABLES } from "@/db/stats/stat-counts";
import { migrateDatabase } from "@/db/core/migrate";
import { dateText } from "@/db/core/dialect";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  partnerNetwork,
  technologiesOverTime,
  technologyCounts,
  timeline,
  topCompanies,
} from "@/db/stats/stats";
import { mergeTechnologies, updateTechnology } from "@/db/directory/technologies";
import { countryCounts, countryPairs, sectorCounts, sectorTechnologies } from "@/db/stats/geo";
import type { Timeline } from "@/db/types";
import { companyInput } from "@/lib/validation";
import { autoMap, readCsv, type ParsedCsv } from "@/lib/csv-import";
import { STATUSES } from "@/lib/enums";
import { defaultFilters, type Audience, type DealFilters } from "@/lib/filters";
import { dealFixture, testDb, unique } from "./db";

// The per-bucket counts (db/stats/stat-counts.ts) answer the dashboard for all deals and single filters.
// Two promises are checked here: after every kind of write the kept counts equal a rebuild from the
// base tables, and every widget answers the same from the counts as from the base tables. The base
// path is forced by adding a filter on every status, which selects the same deals but which the
// counts cannot answer.

const db = () => testDb();

/** Every non-zero row of the count tables, and every filter key row, in a stable order. */
async function countRows() {
  const out: Record<string, unknown[]> = {};
  for (const table of [...STAT_TABLES, "stat_deal_keys"]) {
    const { rows } = await db().execute<Record<string, unknown>>(
      table === "stat_deal_keys"
        ? sql`SELECT kind, key_id, ${dateText(sql`announced_on`)} AS announced_on, deal_id, binding, types_mask, primary_type FROM stat_deal_keys`
        : sql`SELECT * FROM ${sql.identifier(table)} WHERE deals <> 0`,
    );
    out[table] = rows
      .map((r) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(r).map(([k, v]) => [k, typeof v === "string" && isNaN(Number(v)) ? v : Number(v)]),
          ),
        ),
      )
      .toSorted();
  }
  return out;
}

/** The counts as kept, then as rebuilt from scratch: they must be the same. */
async function expectCountsExact() {
  const kept = await countRows();
  await db().write((tx) => rebuildStatCounts(tx));
  expect(kept).toEqual(await countRows());
}

const all: DealFilters = { ...defaultFilters };
const viaBaseTables = (f: DealFilters): DealFilters => ({ ...f, status: [...STATUSES] });
const today = new Date("2026-11-15T00:00:00Z");

/** Markers of one day come in any order: sorted by lane and deal too. */
function inOrder(t: Timeline): Timeline {
  if (t.mode !== "deals") return t;
  const key = (m: (typeof t.markers)[number]) =>
    `${m.announcedOn} ${m.lane.padStart(9)} ${String(m.id).padStart(9)}`;
  return { ...t, markers: t.markers.toSorted((a, b) => key(a).localeCompare(key(b))) };
}

/** Every widget's answer under `f`; type shares are sorted, since ties may come in any order. */
async function widgets(f: DealFilters) {
  const types = await dealTypeBreakdown(f);
  const byName = <T extends Record<string, unknown>>(rows: T[], key: keyof T) =>
    rows.toSorted((a, b) => String(a[key]).localeCompare(String(b[key])));
  return {
    summary: await getSummary(f, undefined, today),
    overTime: await dealsOverTime(f),
    byMonth: await dealsOverTime(f, "month"),
    byQuarter: await dealsOverTime(f, "quarter"),
    byYear: await dealsOverTime(f, "year"),
    top: await topCompanies(f, { limit: 15 }),
    topByPartners: await topCompanies(f, { by: "partners", limit: 15 }),
    // Every company, so the group whose only partner is outside it (and its in-group deal) is in.
    everyByPartners: await topCompanies(f, { by: "partners", limit: 5000 }),
    areas: await technologyCounts(f),
    areasOverTime: await technologiesOverTime(f, "quarter"),
    types: { types: byName(types.types, "type"), binding: byName(types.binding, "binding") },
    timelineCompanies: inOrder(await timeline(f, "company")),
    timelineAreas: inOrder(await timeline(f, "technology")),
    timelineMonths: await timeline(f, "company", undefined, 15, 0),
    network: await partnerNetwork(f, undefined, 30),
    countries: await countryCounts(f),
    countryPairs: await countryPairs(f, 500),
    sectors: await sectorCounts(f),
    sectorAreas: await sectorTechnologies(f),
  };
}

let csv: ParsedCsv;

beforeAll(async () => {
  testDb();
  // The group has a country and sector, its subsidiary none: rolled up it counts under the group's.
  await createCompany(companyInput.parse({ name: "Counted Group", country: "KR", sector: "517" }));
  await createCompany(companyInput.parse({ name: "Counted Subsidiary", parent: "Counted Group" }));
  await generateDemoDeals(db(), 400);
  // A broader area over a generated one: Roll up's area filter reads its key's rows (deal-keys.ts).
  const broader = await createTechnology("Counted Broad Area");
  const { rows: iot } = await db().execute<{ slug: string; version: number }>(
    sql`SELECT slug, version FROM technologies WHERE name = 'IoT'`,
  );
  await updateTechnology(
    iot[0]!.slug,
    { version: Number(iot[0]!.version), parent: broader.name, changeSlug: false },
    "t",
  );
  // A deal inside one group: with Roll up its parties are one company and it has no partner.
  const inGroup = [{ company: "Counted Group" }, { company: "Counted Subsidiary" }];
  await createDeal(dealFixture({ parties: inGroup, types: ["joint_venture"], announcedOn: "2022-05-05" }), {
    actor: "t",
  });
  await createDeal(
    dealFixture({ parties: [inGroup[1]!, { company: unique("Outsider") }], announcedOn: "2022-06-06" }),
    { actor: "t" },
  );
  const tag = unique("Imported").replace(/\W/g, "");
  csv = readCsv(
    new TextEncoder().encode(
      [
        "title,announced_on,deal_types,binding,parties,technologies,source_url",
        // Three of the import's chunks of 50, counted one after the other, sharing their companies.
        ...Array.from(
          { length: 120 },
          (_, i) =>
            `${tag} ${i},2024-0${(i % 9) + 1}-1${i % 10},mou; licensing,non_binding,${tag} A${i % 4} (partner); ${tag} B${i % 7} (partner),Cloud,https://example.org/${tag}/${i}`,
        ),
      ].join("\n"),
    ),
  ) as ParsedCsv;
}, 60_000);

// Many writes each, then a rebuild: on PostgreSQL under load these take more than the default 5 s, and
// with the keyed widgets' counts (the largest table at a few hundred deals) 25–40 s on a loaded machine.
describe("kept counts", { timeout: 90_000 }, () => {
  it("equal a rebuild after generation, creates, edits, deletes, restores and version restores", async () => {
    await expectCountsExact();
    const first = await createDeal(
      dealFixture({ types: ["mou", "investment"], technologies: ["Cloud", "AI"] }),
      {
        actor: "t",
      },
    );
    const second = await createDeal(dealFixture({ announcedOn: "2021-07-31", binding: "binding" }), {
      actor: "t",
    });
    await expectCountsExact();
    const edited = await updateDeal(
      first.id,
      dealFixture({
        title: first.title,
        announcedOn: "2018-01-01",
        types: ["licensing"],
        binding: "unknown",
        parties: [
          { company: second.parties[0]!.company.name, role: "partner" },
          { company: "Counted Group", role: "partner" },
          { company: unique("Third"), role: "partner" },
        ],
        technologies: ["5G"],
      }),
      first.version,
      { actor: "t" },
    );
    await expectCountsExact();
    await deleteDeal(second.id, { actor: "t" });
    await expectCountsExact();
    await restoreDeal(second.id, { actor: "t" });
    await deleteDeal(edited.id, { actor: "t" });
    await restoreDeal(edited.id, { actor: "t" });
    await expectCountsExact();
    const { items } = await listDeals({ ...all, q: first.title });
    expect(items.map((d) => d.id)).toContain(first.id);
    const { rows } = await db().execute<{ id: number }>(
      sql`SELECT id FROM revisions WHERE deal_id = ${first.id} AND action = 'create'`,
    );
    const current = (await getDeal(first.id))!;
    await restoreDealVersion(first.id, Number(rows[0]!.id), current.version, { actor: "t" });
    await expectCountsExact();
    // The same types in another order: the primary type, and its bucket, change.
    const restored = (await getDeal(first.id))!;
    const reordered = await updateDeal(
      first.id,
      dealFixture({
        title: restored.title,
        announcedOn: restored.announcedOn,
        types: [...restored.types].reverse(),
        parties: restored.parties.map((p) => ({ company: p.company.name, role: p.role })),
      }),
      restored.version,
      { actor: "t" },
    );
    expect(reordered.types).toEqual(["investment", "mou"]);
    await expectCountsExact();
  });

  it("equal a rebuild after company and area merges, their undos and new parents", async () => {
    const { items } = await listDeals({ ...all, pageSize: 3 });
    const [a, b] = [items[0]!.parties[0]!.company, items[1]!.parties[0]!.company];
    await updateCompany(
      a.slug,
      { version: 1, parent: "Counted Group", keepOldName: true, changeSlug: false },
      "t",
    ).catch(async () => {
      // The generated company may have been edited already: read its version.
      const { rows } = await db().execute<{ version: number }>(
        sql`SELECT version FROM companies WHERE id = ${a.id}`,
      );
      await updateCompany(
        a.slug,
        { version: Number(rows[0]!.version), parent: "Counted Group", keepOldName: true, changeSlug: false },
        "t",
      );
    });
    await expectCountsExact();
    const { mergeId } = await mergeCompanies(b.slug, "Counted Group", "t");
    await expectCountsExact();
    await undoMerge(mergeId, "t");
    await expectCountsExact();

    const broad = await createTechnology(unique("Broad area"));
    const { rows } = await db().execute<{ slug: string; version: number }>(
      sql`SELECT slug, version FROM technologies WHERE name = 'Cloud'`,
    );
    await updateTechnology(
      rows[0]!.slug,
      { version: Number(rows[0]!.version), parent: broad.name, changeSlug: false },
      "t",
    );
    await expectCountsExact();
    const area = await db().execute<{ slug: string }>(sql`SELECT slug FROM technologies WHERE name = 'AI'`);
    const merged = await mergeTechnologies(area.rows[0]!.slug, "5G", "t");
    await expectCountsExact();
    await undoMerge(merged.mergeId, "t");
    await expectCountsExact();
  });

  it("equal a rebuild after a company's country or sector changes, and its group's", async () => {
    const version = async (name: string) => {
      const { rows } = await db().execute<{ slug: string; version: number }>(
        sql`SELECT slug, version FROM companies WHERE name = ${name}`,
      );
      return { slug: rows[0]!.slug, version: Number(rows[0]!.version) };
    };
    const change = async (name: string, patch: { country?: string | null; sector?: string | null }) => {
      const c = await version(name);
      await updateCompany(
        c.slug,
        { version: c.version, keepOldName: true, changeSlug: false, ...patch },
        "t",
      );
    };
    const koreaBefore = (await countryCounts({ ...all, rollup: true })).items.find((c) => c.country === "KR");
    await change("Counted Group", { country: "JP" });
    await expectCountsExact();
    // Rolled up, the subsidiary's deals moved with its group.
    const korea = (await countryCounts({ ...all, rollup: true })).items.find((c) => c.country === "KR");
    expect(korea?.deals ?? 0).toBeLessThan(koreaBefore!.deals);
    await change("Counted Subsidiary", { country: "DE", sector: "334" });
    await expectCountsExact();
    await change("Counted Group", { country: null, sector: null });
    await expectCountsExact();
    await change("Counted Group", { country: "KR", sector: "517" });
    await change("Counted Subsidiary", { country: null, sector: null });
    await expectCountsExact();
  });

  it("equal a rebuild after an import that creates and one that updates", async () => {
    await commitImport(csv, autoMap(csv.header), {
      onDuplicate: "skip",
      actor: { name: "t" },
      viewer: PUBLIC_VIEWER,
    });
    await expectCountsExact();
    const changed = readCsv(
      new TextEncoder().encode(
        // Thirty are enough for the updates: each is a save of its own.
        csv.rows
          .slice(0, 30)
          .map((r) => r.join(","))
          .join("\n")
          .replace(/non_binding/g, "binding")
          .replace(/^/, `${csv.header.join(",")}\n`),
      ),
    ) as ParsedCsv;
    await commitImport(changed, autoMap(changed.header), {
      onDuplicate: "update",
      actor: { name: "t" },
      viewer: PUBLIC_VIEWER,
    });
    await expectCountsExact();
  });

  it("taking every deal away and adding it back leaves them as they were (many rows at once)", async () => {
    const before = await countRows();
    await db().write(async (tx) => {
      await countDeals(tx, sql`TRUE`, -1);
      const { rows } = await tx.execute<{ n: number | string }>(
        sql`SELECT count(*) AS n FROM stat_deal_keys`,
      );
      expect(Number(rows[0]!.n)).toBe(0);
      await countDeals(tx, sql`TRUE`, 1);
    });
    expect(await countRows()).toEqual(before);
  });

  it("a write that fails leaves the counts as they were", async () => {
    const before = await countRows();
    await expect(
      db().write(async (tx) => {
        await countDeals(tx, sql`TRUE`, 1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await countRows()).toEqual(before);
  });
});

/** The filter sets the counts answer, each compared with the base tables' answer. */
const COMPARED: [string, Partial<DealFilters>][] = [
  ["all deals", {}],
  ["one type", { type: ["mou"] }],
  ["two types", { type: ["mou", "licensing"] }],
  ["binding", { binding: ["non_binding"] }],
  ["a year", { from: "2020-01-01", to: "2020-12-31" }],
  ["from a month on", { from: "2023-04-01" }],
  ["up to a month", { to: "2019-06-30" }],
  ["rollup", { rollup: true }],
  ["rollup and a type", { rollup: true, type: ["investment"] }],
  ["a type in a year", { type: ["joint_venture"], from: "2022-01-01", to: "2022-12-31" }],
  // One company or area: its filter key's rows (db/stats/deal-keys.ts), alone and with the filters
  // each row carries (types, binding, any dates, Roll up).
  ["one company", { company: ["Counted Group"] }],
  ["one group, rolled up", { company: ["Counted Group"], rollup: true }],
  ["a subsidiary, rolled up", { company: ["Counted Subsidiary"], rollup: true }],
  ["a company and a type", { company: ["Counted Group"], type: ["mou"] }],
  ["one area", { technology: ["Cloud"] }],
  ["a broader area, rolled up", { technology: ["Counted Broad Area"], rollup: true }],
  ["an area in a year", { technology: ["Cloud"], from: "2024-01-01", to: "2024-12-31" }],
  [
    "a type in a year in an area",
    { type: ["mou"], from: "2024-01-01", to: "2024-12-31", technology: ["Cloud"] },
  ],
  [
    "an area, a binding and days",
    { technology: ["AI"], binding: ["non_binding"], from: "2019-03-15", to: "2023-02-10" },
  ],
  // One country, sector (with its subsectors) or cross-border value: their month counts
  // (stat_geo_keys), alone and with types, binding, whole months and Roll up.
  ["one country", { country: ["US"] }],
  ["one sector", { sector: ["51"] }],
  ["cross-border", { crossBorder: true }],
  ["domestic, rolled up", { crossBorder: false, rollup: true }],
  ["a group's country, rolled up", { country: ["KR"], rollup: true }],
  ["one sector, rolled up", { sector: ["51"], rollup: true }],
  ["one area, rolled up", { technology: ["Cloud"], rollup: true }],
  [
    "a sector range, a type and a year",
    { sector: ["31-33"], type: ["mou"], from: "2022-01-01", to: "2022-12-31" },
  ],
  [
    "cross-border and a binding from a month",
    { crossBorder: true, binding: ["non_binding"], from: "2023-04-01" },
  ],
];

describe("widgets answer the same from the counts as from the base tables", () => {
  it.each(COMPARED)("%s", async (_, over) => {
    const f = { ...all, ...over };
    const counted = await widgets(f);
    expect(counted).toEqual(await widgets(viaBaseTables(f)));
    // Stacked by primary type, each bar adds up to its deals, at every scale.
    for (const series of [counted.overTime, counted.byMonth, counted.byQuarter, counted.byYear])
      for (const b of series.buckets)
        expect(
          Object.values(b.counts).reduce((x, y) => x + (y ?? 0), 0),
          b.bucket,
        ).toBe(b.total);
    expect(counted.byYear.buckets.reduce((sum, b) => sum + b.total, 0)).toBe(counted.summary.deals);
  });
});

describe("for a reader who also sees a team's confidential deals", () => {
  const admin = { admin: true, memberOf: [] };
  let audience: Audience;
  beforeAll(async () => {
    const team = await createTeam({ name: unique("Counted team"), members: [] }, "t");
    // Deals sharing companies, groups, areas and months with public ones, of several types.
    const { items } = await listDeals({ ...all, pageSize: 12 });
    for (const [i, deal] of items.entries()) {
      await createDeal(
        dealFixture({
          types: i % 3 ? ["mou"] : ["joint_venture", "licensing"],
          binding: i % 2 ? "binding" : "non_binding",
          announcedOn: i % 4 ? deal.announcedOn : "2022-05-10",
          parties: [
            { company: deal.parties[0]!.company.name, role: "partner" },
            {
              company: i % 5 ? items[(i + 1) % items.length]!.parties[1]!.company.name : "Counted Subsidiary",
              role: "partner",
            },
          ],
          technologies: deal.technologies.map((t) => t.name),
          visibility: { team: team.slug },
        }),
        { actor: "t", viewer: admin },
      );
    }
    audience = await audienceOf(admin);
    expect(audience.teams).toEqual([team.id]);
  }, 60_000);

  it("see more than the public", async () => {
    const seen = await getSummary({ ...all, audience }, undefined, today);
    expect(seen.deals).toBe((await getSummary(all, undefined, today)).deals + 12);
  });

  it.each(COMPARED)(
    "%s: the counts with the team's deals added answer as the base tables",
    async (_, over) => {
      const f = { ...all, ...over, audience };
      expect(await widgets(f)).toEqual(await widgets(viaBaseTables(f)));
    },
  );

  it("leave the kept counts equal to a rebuild", async () => {
    await expectCountsExact();
  });
});

describe("which views read the counts", () => {
  it("all deals and single filters do; a company, area, status, search or partial month (year, for geography) does not", async () => {
    const clear = () =>
      db().write(async (tx) => {
        for (const table of STAT_TABLES) await tx.execute(sql`DELETE FROM ${sql.identifier(table)}`);
      });
    const deals = async (over: Partial<DealFilters>) =>
      (await getSummary({ ...all, ...over }, undefined, today)).deals;
    const shapes: Partial<DealFilters>[] = [
      {},
      { type: ["mou"] },
      { binding: ["binding"] },
      { from: "2020-01-01", to: "2020-12-31" },
      { rollup: true },
    ];
    const before = await Promise.all(shapes.map(deals));
    const partial = await deals({ from: "2020-01-02", to: "2020-12-31" });
    await clear();
    try {
      // With the counts gone, what they answer reads 0; the rest still counts the deals.
      expect(await Promise.all(shapes.map(deals))).toEqual(shapes.map(() => 0));
      expect(before.every((n) => n > 0)).toBe(true);
      expect(await deals({ from: "2020-01-02", to: "2020-12-31" })).toBe(partial);
      expect(await deals({ status: ["announced"] })).toBeGreaterThan(0);
      // The geography counts are per year: whole years read them, part of a year the base tables.
      expect((await countryCounts({ ...all, from: "2020-01-01", to: "2021-12-31" })).items).toEqual([]);
      expect((await sectorCounts({ ...all, rollup: true })).items).toEqual([]);
      expect((await countryPairs(all)).items).toEqual([]);
      expect((await sectorTechnologies({ ...all, type: ["mou"] })).items).toEqual([]);
      expect(
        (await countryCounts({ ...all, from: "2020-01-01", to: "2020-06-30" })).items.length,
      ).toBeGreaterThan(0);
    } finally {
      await db().write((tx) => rebuildStatCounts(tx));
    }
    expect(await Promise.all(shapes.map(deals))).toEqual(before);
  });
});

/**
 * With `table` emptied, what `read` gives for the `keyed` filter sets is all 0 (they read it) and for
 * the `other` sets unchanged (they do not); rebuilt, the keyed ones read as before.
 */
async function expectOnlyKeyedRead(
  table: string,
  keyed: Partial<DealFilters>[],
  other: Partial<DealFilters>[],
  read: (over: Partial<DealFilters>) => Promise<number[]>,
) {
  const before = await Promise.all(keyed.map(read));
  const others = await Promise.all(other.map(read));
  expect(before.flat().every((n) => n > 0)).toBe(true);
  await db().write((tx) => tx.execute(sql`DELETE FROM ${sql.identifier(table)}`));
  try {
    // Their key's rows gone, the keyed filter sets select nothing; the others still count.
    expect(await Promise.all(keyed.map(read))).toEqual(keyed.map((_, i) => before[i]!.map(() => 0)));
    expect(await Promise.all(other.map(read))).toEqual(others);
  } finally {
    await db().write((tx) => rebuildStatCounts(tx));
  }
  expect(await Promise.all(keyed.map(read))).toEqual(before);
}

describe("which views read the filter keys", () => {
  it("one company or area (with types, binding, dates, Roll up) does; two companies, a partner or a status do not", async () => {
    const keyed: Partial<DealFilters>[] = [
      { company: ["Counted Group"] },
      { company: ["Counted Group"], rollup: true, type: ["mou"] },
      { technology: ["Cloud"], from: "2020-03-02", to: "2024-12-31" },
      { technology: ["Counted Broad Area"], rollup: true, binding: ["binding", "unknown"] },
    ];
    const other: Partial<DealFilters>[] = [
      { company: ["Counted Group", "Counted Subsidiary"] },
      { technology: ["Cloud"], status: ["announced"] },
      { company: ["Counted Group"], partner: ["Counted Subsidiary"] },
    ];
    const read = (over: Partial<DealFilters>) =>
      Promise.all([
        getSummary({ ...all, ...over }, undefined, today).then((s) => s.deals),
        topCompanies({ ...all, ...over }).then((rows) => rows.length),
        technologyCounts({ ...all, ...over }).then((rows) => rows.length),
      ]);
    await expectOnlyKeyedRead("stat_deal_keys", keyed, other, read);
  });
});

describe("which views read the geography filters' month counts", () => {
  it("one country, sector or cross-border value does; a subsector, two countries or a status do not", async () => {
    const keyed: Partial<DealFilters>[] = [
      { country: ["US"] },
      { sector: ["51"], rollup: true, type: ["mou"] },
      { crossBorder: true, from: "2020-01-01", to: "2024-12-31" },
      { crossBorder: false },
    ];
    const other: Partial<DealFilters>[] = [
      { sector: ["517"] },
      { country: ["US", "KR"] },
      { country: ["US"], status: ["announced"] },
      { country: ["US"], crossBorder: true },
    ];
    const read = (over: Partial<DealFilters>) =>
      Promise.all([
        getSummary({ ...all, ...over }, undefined, today).then((s) => s.deals),
        dealsOverTime({ ...all, ...over }, "year").then((t) => t.buckets.length),
        dealTypeBreakdown({ ...all, ...over }).then((t) => t.binding.length),
      ]);
    await expectOnlyKeyedRead("stat_geo_keys", keyed, other, read);
  });
});

describe("which views read the keyed widgets' counts", () => {
  it("exactly one area, country, sector or cross-border value (Roll up too) does; with a type, a year, a subsector or a second key not", async () => {
    const keyed: Partial<DealFilters>[] = [
      { technology: ["Cloud"] },
      { technology: ["Counted Broad Area"], rollup: true },
      { country: ["US"] },
      { sector: ["51"], rollup: true },
      { crossBorder: true },
    ];
    const other: Partial<DealFilters>[] = [
      { technology: ["Cloud"], type: ["mou"] },
      { country: ["US"], from: "2020-01-01", to: "2024-12-31" },
      { sector: ["517"] },
      { country: ["US"], crossBorder: true },
    ];
    // Each keyed widget: the summary's companies and areas, top companies, areas (and over time),
    // countries, country pairs, sectors, sector × area.
    const read = async (over: Partial<DealFilters>) => {
      const f = { ...all, ...over };
      const summary = await getSummary(f, undefined, today);
      return [
        summary.companies,
        summary.technologies,
        (await topCompanies(f)).length,
        (await technologyCounts(f)).length,
        (await technologiesOverTime(f, "year")).buckets.length,
        (await countryCounts(f)).items.length,
        (await countryPairs(f)).items.length,
        (await sectorCounts(f)).items.length,
        (await sectorTechnologies(f)).items.length,
      ];
    };
    await expectOnlyKeyedRead("stat_key_counts", keyed, other, read);
  });
});

describe.each([
  ["the keyed widgets' counts", "stat_key_counts"],
  ["the geography filters' month counts", "stat_geo_keys"],
  ["the filter keys", "stat_deal_keys"],
])("a database from before %s", (_, table) => {
  it("has them written when it is migrated, equal to a rebuild", async () => {
    const before = await countRows();
    await db().write((tx) => tx.execute(sql`DELETE FROM ${sql.identifier(table)}`));
    await migrateDatabase(db());
    expect(await countRows()).toEqual(before);
    await expectCountsExact();
  });
});

describe("a database from before the geography counts", () => {
  it("has them built when it is migrated, equal to a rebuild", async () => {
    const before = await countRows();
    await db().write(async (tx) => {
      for (const table of STAT_TABLES.filter((t) => /countr|sector/.test(t)))
        await tx.execute(sql`DELETE FROM ${sql.identifier(table)}`);
    });
    expect((await countryCounts(all)).items).toEqual([]);
    await migrateDatabase(db());
    expect(await countRows()).toEqual(before);
    await expectCountsExact();
  });
});

// A rebuild at the end of each: on a loaded PostgreSQL, with the keyed counts, over the default 20 s.
describe("concurrent writes", { timeout: 60_000 }, () => {
  it("two edits moving deals between the same buckets in opposite directions both save", async () => {
    // On PostgreSQL each takes its old buckets' rows, then its new ones: without taking turns
    // (db/core/write-order.ts) they would wait for each other until one is aborted as a deadlock.
    let a = await createDeal(dealFixture({ announcedOn: "2021-01-10", types: ["mou"] }), { actor: "t" });
    let b = await createDeal(dealFixture({ announcedOn: "2021-02-10", types: ["mou"] }), { actor: "t" });
    const move = (deal: typeof a, announcedOn: string) =>
      updateDeal(
        deal.id,
        dealFixture({
          title: deal.title,
          announcedOn,
          types: ["mou"],
          parties: deal.parties.map((p) => ({ company: p.company.name, role: p.role })),
        }),
        deal.version,
        { actor: "t" },
      );
    for (let round = 0; round < 6; round++) {
      const [january, february] = round % 2 ? ["2021-01-10", "2021-02-10"] : ["2021-02-10", "2021-01-10"];
      [a, b] = await Promise.all([move(a, january), move(b, february)]);
    }
    await expectCountsExact();
  });

  it("a deal saved while its party's group changes country is counted under the new one", async () => {
    // The company write must take its turn (db/core/write-order.ts) before it reads which deals to
    // recount: on PostgreSQL a deal committed between that read and its recount was left counted
    // under the group's old country. (SQLite runs one write at a time: it passes either way.)
    const group = await createCompany(companyInput.parse({ name: unique("Race Group"), country: "KR" }));
    const sub = await createCompany(companyInput.parse({ name: unique("Race Sub"), parent: group.name }));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let saved!: () => void;
    const dealSaved = new Promise<void>((resolve) => (saved = resolve));
    const saving = db().write(async () => {
      await createDeal(
        dealFixture({
          parties: [
            { company: sub.name, role: "partner" },
            { company: unique("Race Partner"), role: "partner" },
          ],
        }),
        { actor: "t" },
      );
      saved();
      await gate; // saved, holding its turn, not yet committed
    });
    await dealSaved;
    const changing = updateCompany(
      group.slug,
      { version: 1, country: "JP", keepOldName: true, changeSlug: false },
      "t",
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // the change reads, or waits its turn
    letGo();
    await Promise.all([saving, changing]);
    await expectCountsExact();
  });
});
