import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import * as compareRoute from "@/app/api/compare/route";
import * as countriesRoute from "@/app/api/compare/countries/route";
import * as chartImage from "@/app/api/charts/[file]/route";
import * as compareCsv from "@/app/api/export/compare.csv/route";
import { createApiToken } from "@/db/accounts/auth";
import { seedRealDeals } from "@/db/ops/seed";
import { compareDeals } from "@/db/stats/compare";
import type { Comparison, ComparePanel } from "@/db/types";
import { COMPARE_PANELS } from "@/lib/compare";
import { parseDealFilters } from "@/lib/filters";
import { testDb } from "./db";

// GET /api/compare, its panels as widgets (JSON, CSV, images) and the whole comparison as CSV.

let token = "";
const get = (url: string) =>
  new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  await seedRealDeals(testDb());
  token = (await createApiToken({ name: "compare tests", role: "viewer" })).secret;
});

describe("GET /api/compare", () => {
  it("answers the comparison the data layer computes, with the page's other filters", async () => {
    const query = "company=sk-telecom&company=KT&type=mou&interval=year";
    const response = await compareRoute.GET(get(`/api/compare?${query}`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Comparison;
    const filters = parseDealFilters(new URLSearchParams(query), { allow: ["interval"] });
    expect(body).toEqual(await compareDeals(filters.success ? filters.filters : ({} as never), "year"));
    expect(body.items.map((i) => i.slug)).toEqual(["sk-telecom", "kt"]);
    // Every deal left is an MoU (some also of another type, counted there too).
    expect(body.types.find((t) => t.key === "mou")!.counts).toEqual(
      Object.fromEntries(body.items.map((i) => [i.slug, i.deals])),
    );
  });

  it.each([
    ["company=sk-telecom", ["company"]],
    ["company=sk-telecom&company=kt&company=microsoft&company=ntt-docomo&company=nokia", ["company"]],
    ["company=sk-telecom&company=no-such-firm", ["company"]],
    ["company=sk-telecom&company=kt&technology=5g&technology=ai", ["company", "technology"]],
    ["technology=5g", ["technology"]],
    ["company=sk-telecom&company=kt&interval=week", ["interval"]],
    ["company=sk-telecom&company=kt&colour=red", ["colour"]],
  ])("refuses %s with a 400 naming %j", async (query, fields) => {
    for (const handler of [compareRoute.GET, countriesRoute.GET, compareCsv.GET]) {
      const response = await handler(get(`/api/compare?${query}`));
      expect(response.status, query).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors).sort(), query).toEqual(fields);
    }
  });
});

describe("the comparison as CSV and images", () => {
  it("exports every panel's numbers, one row per category and item", async () => {
    const query = "company=sk-telecom&company=kt";
    const c = (await (await compareRoute.GET(get(`/api/compare?${query}`))).json()) as Comparison;
    const response = await compareCsv.GET(get(`/api/export/compare.csv?${query}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/atlas-compare-.*company-sk-telecom/);
    const [header, ...rows] = parse(await response.text(), { bom: true }) as string[][];
    expect(header).toEqual(["panel", "key", "name", "company", "deals"]);
    for (const [key, panel] of COMPARE_PANELS)
      for (const row of c[key])
        for (const item of c.items)
          expect(rows, `${panel} ${row.key}`).toContainEqual([
            panel,
            row.key,
            row.label,
            item.slug,
            String(row.counts[item.slug]),
          ]);
    expect(rows.filter((r) => r[0] === "between")).toEqual(
      c.between.map((p) => ["between", p.b, c.items.find((i) => i.slug === p.b)!.name, p.a, String(p.deals)]),
    );
  });

  it("draws a panel as SVG and PNG with the items as series on one scale", async () => {
    const query = "?company=sk-telecom&company=kt&width=640&height=360";
    const panel = (await (
      await countriesRoute.GET(get("/api/compare/countries?company=sk-telecom&company=kt"))
    ).json()) as ComparePanel;
    const svg = await (
      await chartImage.GET(get(`/api/charts/compare-countries.svg${query}`), {
        params: Promise.resolve({ file: "compare-countries.svg" }),
      })
    ).text();
    // A legend entry per compared company, and each bar labelled with its country and company.
    for (const item of panel.items) expect(svg).toContain(`data-legend="${item.slug}"`);
    const us = panel.rows.find((r) => r.key === "US")!;
    expect(svg).toContain(
      `data-label="${us.label}" data-series="sk-telecom" data-value="${us.counts["sk-telecom"]}"`,
    );
    expect(svg).toContain("Companies: SK Telecom, KT");
    const png = await chartImage.GET(get(`/api/charts/compare-countries.png${query}&scale=2`), {
      params: Promise.resolve({ file: "compare-countries.png" }),
    });
    expect(png.status).toBe(200);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1280, 720]);
  });
});
