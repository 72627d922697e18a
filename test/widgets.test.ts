import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import * as chartExport from "@/app/api/export/stats/[chart]/route";
import { createApiToken } from "@/db/accounts/auth";
import { seedRealDeals } from "@/db/ops/seed";
import { defaultFilters, parseDealFilters } from "@/lib/filters";
import { queryKeys } from "@/lib/query-keys";
import { WIDGET_NAMES, WIDGETS, widgetOptionsFromUrl, widgetSearch, type WidgetName } from "@/lib/widgets";
import { prefetchWidgets } from "@/server/widgets";
import { testDb } from "./db";

// The widget registry is the one definition of each dashboard widget: its route, its chart CSV, the
// page's prefetch and the client's key must all agree with it.

let token = "";
const get = (url: string) =>
  new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${token}` } });

async function routeOf(name: WidgetName) {
  const file = path.join(process.cwd(), "app", "api", WIDGETS[name].endpoint, "route.ts");
  expect(fs.existsSync(file), `${file} serves ${name}`).toBe(true);
  return (await import(/* @vite-ignore */ file)) as { GET: (request: Request) => Promise<Response> };
}

beforeAll(async () => {
  await seedRealDeals(testDb());
  token = (await createApiToken({ name: "widget tests", role: "viewer" })).secret;
});

describe("widget registry", () => {
  it("serves every widget's JSON at its endpoint and its numbers as CSV", async () => {
    for (const name of WIDGET_NAMES) {
      const { GET } = await routeOf(name);
      // A compare panel compares two or more companies (lib/compare.ts).
      const company = name.startsWith("compare-") ? "company=SKT&company=KT" : "company=SKT";
      const json = await GET(get(`/api/${WIDGETS[name].endpoint}?${company}`));
      expect(json.status, name).toBe(200);
      const data = await json.json();
      const csv = await chartExport.GET(get(`/api/export/stats/${name}.csv?${company}`), {
        params: Promise.resolve({ chart: `${name}.csv` }),
      });
      expect(csv.status, name).toBe(200);
      const rows = parse(await csv.text(), { bom: true }) as string[][];
      const table = (
        WIDGETS[name].table as (d: unknown, o: unknown) => { header: string[]; rows: unknown[] }
      )(data, WIDGETS[name].options.parse({}));
      expect(rows[0], name).toEqual(table.header);
      expect(rows.length - 1, name).toBe(table.rows.length);
    }
  });

  it("exports deals over time by primary type: each row's type columns add up to its deals", async () => {
    const csv = await chartExport.GET(get("/api/export/stats/deals-over-time.csv?interval=year"), {
      params: Promise.resolve({ chart: "deals-over-time.csv" }),
    });
    const [header, ...rows] = parse(await csv.text(), { bom: true }) as string[][];
    expect(header!.slice(1, -1).every((h) => h.startsWith("primary_"))).toBe(true);
    // Every year from the first to the last: the demo deals have none in 2018, which reads 0.
    expect(rows.length).toBe(Number(rows.at(-1)![0]) - Number(rows[0]![0]) + 1);
    expect(rows.find((r) => r[0] === "2018")?.at(-1)).toBe("0");
    for (const row of rows)
      expect(
        row.slice(1, -1).reduce((sum, n) => sum + Number(n), 0),
        row[0],
      ).toBe(Number(row.at(-1)));
  });

  it("refuses options that belong to no widget or have bad values, naming them", async () => {
    const { GET } = await routeOf("deals-over-time");
    const bad = await GET(get("/api/stats/deals-over-time?interval=week&by=partners"));
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["by", "interval"]);
    const csv = await chartExport.GET(get("/api/export/stats/summary.csv?limit=abc"), {
      params: Promise.resolve({ chart: "summary.csv" }),
    });
    expect(csv.status).toBe(400);
  });

  it("gives one canonical key per answer: defaults left out, order fixed", () => {
    const filters = parseDealFilters({ company: "SKT", page: "3", sort: "title" });
    expect(filters.success).toBe(true);
    if (!filters.success) return;
    expect(widgetSearch("top-companies", filters.filters, { by: "deals", limit: 10 })).toBe("?company=SKT");
    expect(widgetSearch("top-companies", filters.filters, { limit: 20, by: "partners" })).toBe(
      "?company=SKT&by=partners&limit=20",
    );
    expect(widgetOptionsFromUrl("top-companies", (k) => ({ rankBy: "partners" })[k])).toEqual({
      by: "partners",
      limit: 10,
    });
    // A bad value in a page URL falls back to the default instead of breaking the page.
    expect(widgetOptionsFromUrl("deals-over-time", () => "fortnight")).toEqual({ interval: "auto" });
  });

  it("prefetches a page's widgets under the keys the client asks for", async () => {
    const state = await prefetchWidgets(defaultFilters, ["deals-over-time", "top-companies"], {
      interval: "year",
      rankBy: "partners",
    });
    const keys = state.queries.map((q) => q.queryKey);
    expect(keys).toEqual([
      queryKeys.widget("deals-over-time", "?interval=year"),
      queryKeys.widget("top-companies", "?by=partners"),
    ]);
    const overTime = state.queries[0]!.state.data as { interval: string };
    expect(overTime.interval).toBe("year");
  });
});
