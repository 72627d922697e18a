import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { sql } from "drizzle-orm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import * as chartImage from "@/app/api/charts/[file]/route";
import { createApiToken } from "@/db/accounts/auth";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { seedRealDeals } from "@/db/ops/seed";
import type * as T from "@/db/types";
import { DEAL_TYPES } from "@/lib/enums";
import { filtersInWords } from "@/lib/chart-figure";
import { parseDealFilters } from "@/lib/filters";
import { heatGrid, WIDGET_NAMES, WIDGETS, type WidgetData, type WidgetName } from "@/lib/widgets";
import { chartFontFiles, renderChartPng, renderChartSvg } from "@/server/chart-image";
import { widgetRoute } from "@/server/widgets";
import { dealFixture, testDb, unique } from "./db";

// Chart images (issue 24): every registered widget as SVG and PNG, drawn from the same answer as its
// JSON route, with a bundled font so the PNG is the same on every machine.

let token = "";
const request = (url: string) =>
  new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${token}` } });
const image = (file: string, query = "") =>
  chartImage.GET(request(`/api/charts/${file}${query}`), { params: Promise.resolve({ file }) });
const json = async (name: WidgetName, query = "") =>
  (await widgetRoute(name)(request(`/api/${WIDGETS[name].endpoint}${query}`))).json();

type Mark = { label: string; series?: string; value: number };

/** Every drawn value of an SVG, in document order, read from its data attributes. */
function marksOf(svg: string): Mark[] {
  const marks: Mark[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const attrs = (node as Record<string, Record<string, string>>)[":@"];
    if (attrs?.["@_data-value"] !== undefined)
      marks.push({
        label: attrs["@_data-label"]!,
        ...(attrs["@_data-series"] !== undefined && { series: attrs["@_data-series"] }),
        value: Number(attrs["@_data-value"]),
      });
    for (const [key, child] of Object.entries(node)) if (key !== ":@") walk(child);
  };
  walk(new XMLParser({ ignoreAttributes: false, preserveOrder: true }).parse(svg));
  return marks;
}

function comparedBars(d: T.ComparePanel) {
  return d.rows.flatMap((r) => d.items.map((i) => r.counts[i.slug] ?? 0));
}

/** The compared items a compare panel needs (lib/compare.ts); other widgets take none. */
const COMPARED = "company=SKT&company=KT&";
const comparing = (name: WidgetName) => (name.startsWith("compare-") ? COMPARED : "");

/** What each widget's JSON answer says the image must show, in drawing order, worked out here. */
const EXPECTED: { [N in WidgetName]: (data: WidgetData<N>) => number[] } = {
  summary: (s) => [
    s.deals,
    s.companies,
    s.technologies,
    s.nonBindingMouShare,
    s.last12Months,
    s.previous12Months,
  ],
  // Stacked by type, one layer after another; empty segments are not drawn.
  "deals-over-time": (d) => DEAL_TYPES.flatMap((t) => d.buckets.map((b) => b.counts[t] ?? 0)).filter(Boolean),
  "top-companies": (d) => d.map((c) => c.deals),
  technologies: (d) => d.map((t) => t.deals),
  "technologies-over-time": (d) => d.areas.flatMap((a) => d.buckets.map((b) => b.counts[a.slug] ?? 0)),
  "deal-types": (d) => [...d.types.map((t) => t.deals), ...d.binding.map((b) => b.deals)],
  countries: (d) => d.items.map((c) => c.deals),
  "country-pairs": (d) => d.items.map((p) => p.deals),
  sectors: (d) => d.items.map((c) => c.deals),
  // Every cell of the grid the page shows, row by row, empty cells as 0.
  "sector-technologies": (d) => {
    const grid = heatGrid(d);
    return grid.sectors.flatMap((s) => grid.areas.map((a) => grid.cell(s.code, a.slug)));
  },
  "partner-mix": (d) => [...d.countries.slice(0, 10), ...d.sectors.slice(0, 10)].map((c) => c.companies),
  timeline: (d) => d.lanes.map((l) => l.deals),
  network: (d) =>
    d.edges
      .map((e) => e.deals)
      .sort((a, b) => b - a)
      .slice(0, 15),
  // Compare panels: bars go row by row (each item's bar in turn), lines item by item.
  "compare-over-time": (d) => d.items.flatMap((i) => d.rows.map((r) => r.counts[i.slug] ?? 0)),
  "compare-types": comparedBars,
  "compare-mix": comparedBars,
  "compare-countries": comparedBars,
  "compare-sectors": comparedBars,
  "compare-partners": comparedBars,
  "compare-shared": comparedBars,
};

function pngSize(png: Uint8Array) {
  const view = Buffer.from(png);
  expect(view.subarray(1, 4).toString("latin1")).toBe("PNG");
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

beforeAll(async () => {
  await seedRealDeals(testDb());
  // The demo companies' countries and sectors come with issue 23's reference data; here a spread of
  // them (a subsector among the sectors, Singapore drawn as a dot) so every geography chart has marks.
  const pick = (values: string[]) =>
    sql`CASE id % ${values.length} ${sql.join(
      values.map((v, i) => sql`WHEN ${i} THEN ${v}`),
      sql` `,
    )} END`;
  await testDb().write((tx) =>
    tx.execute(
      sql`UPDATE companies SET country = ${pick(["KR", "US", "DE", "JP", "SG"])}, sector = ${pick(["51", "517", "334", "54"])}`,
    ),
  );
  token = (await createApiToken({ name: "chart image tests", role: "viewer" })).secret;
});

describe("chart images", () => {
  it("draws every widget as valid SVG with the same numbers as its JSON route", async () => {
    for (const name of WIDGET_NAMES) {
      const query = `?${comparing(name)}from=2015-01-01`;
      const response = await image(`${name}.svg`, query);
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type"), name).toMatch(/^image\/svg\+xml/);
      expect(response.headers.get("content-disposition"), name).toMatch(
        /attachment; filename="atlas-.*\.svg"/,
      );
      const svg = await response.text();
      expect(XMLValidator.validate(svg), name).toBe(true);
      expect(svg, name).toMatch(/^<svg [^>]*width="800" height="450"/);
      expect(svg, name).toContain("From 2015-01-01"); // the filters in words
      expect(svg, name).toMatch(
        new RegExp(
          `Partnership Atlas · \\d+ deals · ${query.slice(1).replaceAll("&", "&amp;")} · \\d{4}-\\d{2}-\\d{2}`,
        ),
      );
      const expected = (EXPECTED[name] as (d: unknown) => number[])(await json(name, query));
      const values = marksOf(svg).map((m) => m.value);
      expect(values.length, name).toBeGreaterThan(0);
      expect(values, name).toEqual(expected);
    }
  });

  it("labels each value with its category and series, and draws a legend for series", async () => {
    const data = (await json("deals-over-time", "?interval=year")) as T.OverTime;
    const svg = await (await image("deals-over-time.svg", "?interval=year")).text();
    const marks = marksOf(svg);
    for (const bucket of data.buckets)
      for (const [type, count] of Object.entries(bucket.counts))
        if (count) expect(marks).toContainEqual({ label: bucket.bucket, series: type, value: count });
    expect(svg).toContain('data-legend="mou"');
    const ranked = (await json("top-companies", "?by=partners&limit=5")) as T.CompanyRank[];
    const partners = marksOf(await (await image("top-companies.svg", "?by=partners&limit=5")).text());
    expect(partners).toEqual(ranked.map((c) => ({ label: c.name, value: c.partners })));
    // A caller holding the page URL's names (rankBy) gets the same chart as with the route's (by).
    const fromPage = await renderChartSvg(
      {
        widget: "top-companies",
        filters: parseDealFilters({}).filters!,
        options: { rankBy: "partners", limit: "5" },
      },
      null,
    );
    expect(marksOf(fromPage)).toEqual(partners);
  });

  it("renders PNG at width × scale and height × scale, identically every time", async () => {
    const response = await image("technologies.png", "?width=640&height=360&scale=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = new Uint8Array(await response.arrayBuffer());
    expect(pngSize(png)).toEqual({ width: 1280, height: 720 });
    const again = await renderChartPng(
      { widget: "technologies", filters: parseDealFilters({}).filters!, width: 640, height: 360, scale: 2 },
      null,
    );
    const hash = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
    expect(hash(again)).toBe(hash(png));
    expect(
      pngSize(await renderChartPng({ widget: "summary", filters: parseDealFilters({}).filters! }, null)),
    ).toEqual({ width: 800, height: 450 });
  });

  it("draws its text with the bundled font, not with whatever the machine has", async () => {
    const filters = parseDealFilters({}).filters!;
    const svg = await renderChartSvg({ widget: "summary", filters }, null);
    const png = await renderChartPng({ widget: "summary", filters }, null);
    const { renderAsync } = await import("@resvg/resvg-js");
    // With no font at all resvg drops text silently: the bundled one must make a difference.
    const fontless = (await renderAsync(svg, { font: { loadSystemFonts: false } })).asPng();
    expect(Buffer.compare(Buffer.from(png), Buffer.from(fontless))).not.toBe(0);
  });

  it("draws Korean, Chinese and Japanese names with bundled fonts of their scripts, and fits them", async () => {
    const area = unique("CJK area");
    const names = [
      "SK텔레콤 데이터센터",
      "华为技术有限公司",
      "トヨタ自動車株式会社",
      `${"삼성전자".repeat(12)} 그룹`,
    ];
    await createDeal(
      dealFixture({ parties: names.map((company) => ({ company, role: "partner" })), technologies: [area] }),
      { actor: "test" },
    );
    const filters = parseDealFilters({ technology: area }).filters!;
    const svg = await renderChartSvg({ widget: "top-companies", filters }, null);
    const fonts = chartFontFiles(svg);
    expect(fonts.some((f) => f.includes("NotoSansKR"))).toBe(true);
    expect(fonts.some((f) => f.includes("NotoSansSC"))).toBe(true);
    for (const file of fonts) expect(existsSync(file), file).toBe(true);
    // resvg falls back by file order whatever the weight: a Noto 600 file would only cost parsing.
    expect(fonts.filter((f) => f.includes("NotoSans")).every((f) => f.includes("400Regular"))).toBe(true);
    // Enclosed and compatibility forms of Japanese company names ("㈱", "㍿") are Noto's too.
    expect(chartFontFiles("<text>㈱ABC ㍿</text>").some((f) => f.includes("NotoSansSC"))).toBe(true);
    // A chart of Latin names only needs Inter (each Noto font costs a parse at every render).
    const latin = await renderChartSvg(
      { widget: "deal-types", filters: parseDealFilters({}).filters! },
      null,
    );
    expect(chartFontFiles(latin).every((f) => f.includes("Inter"))).toBe(true);
    // The long Hangul name is cut to its room (a Hangul syllable is a whole em, not half of one).
    const drawn = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(drawn).toContain("SK텔레콤 데이터센터");
    const cut = drawn.find((t) => t.startsWith("삼성전자"));
    expect(cut).toMatch(/…$/);
    expect(cut!.length).toBeLessThan(30);
    // Drawn with Inter alone the names would be empty boxes: the PNG must differ from that.
    const { renderAsync } = await import("@resvg/resvg-js");
    const interOnly = fonts.filter((f) => f.includes("Inter"));
    const png = await renderChartPng({ widget: "top-companies", filters }, null);
    const boxes = (
      await renderAsync(svg, {
        font: { loadSystemFonts: false, fontFiles: interOnly, defaultFontFamily: "Inter" },
      })
    ).asPng();
    expect(Buffer.compare(Buffer.from(png), Buffer.from(boxes))).not.toBe(0);
  });

  it("refuses an unknown widget, format, filter, option or size with a 400 naming it", async () => {
    const cases: [string, string, string][] = [
      ["nope.svg", "", "widget"],
      ["summary.gif", "", "file"],
      ["summary.svg", "?type=bogus", "type"],
      ["summary.svg", "?colour=red", "colour"],
      ["deals-over-time.png", "?interval=week", "interval"],
      ["technologies.png", "?width=99999", "width"],
      ["technologies.png", "?scale=4", "scale"],
      ["technologies.svg", "?width=wide", "width"],
    ];
    for (const [file, query, field] of cases) {
      const response = await image(file, query);
      expect(response.status, file + query).toBe(400);
      const body = await response.json();
      expect(Object.keys(body.fieldErrors), file + query).toEqual([field]);
    }
    const unknown = await (await image("nope.svg")).json();
    expect(unknown.fieldErrors.widget[0]).toContain('"nope"');
    await expect(
      renderChartSvg(
        { widget: "top-companies", filters: parseDealFilters({}).filters!, options: { by: "x" } },
        null,
      ),
    ).rejects.toMatchObject({ fieldErrors: { by: expect.any(Array) } });
  });

  it("shows only what a viewer may see: deleted deals are not drawn or counted", async () => {
    const company = unique("Deleted Imagery");
    const deal = await createDeal(
      dealFixture({
        parties: [
          { company, role: "partner" },
          { company: unique("Other Co"), role: "partner" },
        ],
      }),
      { actor: "test" },
    );
    const filters = parseDealFilters({ company }).filters!;
    expect(marksOf(await renderChartSvg({ widget: "technologies", filters }, null))).toEqual([
      { label: "5G", value: 1 },
    ]);
    await deleteDeal(deal.id, { actor: "test" });
    const svg = await renderChartSvg({ widget: "technologies", filters }, null);
    expect(marksOf(svg)).toEqual([]);
    expect(svg).toContain("No deals match these filters.");
    // A page filters by slug; the subtitle says the company's name.
    const bySlug = await renderChartSvg(
      {
        widget: "technologies",
        filters: parseDealFilters({ company: deal.parties[0]!.company.slug }).filters!,
      },
      null,
    );
    expect(bySlug).toContain(`>Company: ${company}</text>`);
    expect(svg).toContain("Partnership Atlas · 0 deals");
  });

  it("escapes names, so a company called <script> stays text", async () => {
    const company = unique(`<b>"Quote" & Co</b>`);
    await createDeal(
      dealFixture({
        parties: [
          { company, role: "partner" },
          { company: unique("Plain Co"), role: "partner" },
        ],
      }),
      { actor: "test" },
    );
    const svg = await renderChartSvg(
      { widget: "top-companies", filters: parseDealFilters({ company }).filters! },
      null,
    );
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain("<b>");
    expect(marksOf(svg).map((m) => m.label)).toContain(company);
  });

  it("says the filters in words", () => {
    const f = parseDealFilters({
      company: ["SKT", "KT"],
      type: "mou",
      from: "2024-01-01",
      to: "2024-12-31",
      rollup: "1",
    }).filters!;
    expect(filtersInWords(f)).toBe(
      "Companies: SKT, KT · Type: MoU · From 2024-01-01 to 2024-12-31 · Subsidiaries counted under their group",
    );
    expect(filtersInWords(parseDealFilters({}).filters!)).toBe("All deals");
  });
});
