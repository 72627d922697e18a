import { describe, expect, it } from "vitest";
import {
  defaultFilters,
  filtersQuery,
  filtersToSearch,
  hasActiveFilters,
  parseDealFilters,
  patchedSearch,
} from "./filters";

describe("parseDealFilters", () => {
  it("reads repeatable parameters and defaults", () => {
    const result = parseDealFilters(
      new URLSearchParams("company=Microsoft&company=SKT&type=mou&from=2019-01-01"),
    );
    expect(result).toMatchObject({
      success: true,
      filters: {
        company: ["Microsoft", "SKT"],
        type: ["mou"],
        from: "2019-01-01",
        page: 1,
        pageSize: 50,
        sort: "-announcedOn",
      },
    });
  });

  it("ignores empty values as a GET form sends them", () => {
    const result = parseDealFilters(new URLSearchParams("q=&company=&status=active"));
    expect(result.success && result.filters).toMatchObject({ company: [], status: ["active"] });
    expect(result.success && result.filters.q).toBeUndefined();
  });

  it("reports every bad parameter by name", () => {
    const result = parseDealFilters(
      new URLSearchParams("type=merger&from=2024-02-31&pageSize=501&sort=name"),
    );
    expect(result.success).toBe(false);
    if (!result.success)
      expect(Object.keys(result.errors).sort()).toEqual(["from", "pageSize", "sort", "type"]);
  });

  it("rejects an inverted date range", () => {
    const result = parseDealFilters({ from: "2024-05-01", to: "2024-01-01" });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.errors.to).toBeDefined();
  });

  it("rejects unknown parameters only when strict", () => {
    expect(parseDealFilters(new URLSearchParams("companies=x")).success).toBe(true);
    const strict = parseDealFilters(new URLSearchParams("companies=x"), { strict: true });
    expect(strict.success).toBe(false);
    if (!strict.success) expect(strict.errors.companies).toEqual(['Unknown parameter "companies"']);
  });

  it("serialises back to the same filters", () => {
    const parsed = parseDealFilters(
      new URLSearchParams("company=SKT&technology=5G&status=active&to=2020-01-01&page=3"),
    );
    if (!parsed.success) throw new Error("expected success");
    const again = parseDealFilters(new URLSearchParams(filtersToSearch(parsed.filters)));
    expect(again).toEqual(parsed);
    expect(filtersToSearch({})).toBe("");
  });
});

describe("geography and sector filters", () => {
  it("reads repeatable countries and sectors, a region by name or code, and crossBorder", () => {
    const result = parseDealFilters(
      new URLSearchParams("country=kr&country=JP&sector=51&sector=31-33&region=150&crossBorder=0"),
    );
    expect(result.success && result.filters).toMatchObject({
      country: ["KR", "JP"],
      sector: ["51", "31-33"],
      region: "Europe",
      crossBorder: false,
    });
    const named = parseDealFilters({ region: "eastern asia", crossBorder: "1" });
    expect(named.success && named.filters).toMatchObject({ region: "Eastern Asia", crossBorder: true });
    const none = parseDealFilters({});
    expect(none.success && none.filters).toMatchObject({ country: [], sector: [] });
    expect(none.success && none.filters.crossBorder).toBeUndefined();
  });

  it("names each bad parameter", () => {
    const result = parseDealFilters(
      new URLSearchParams("country=XX&country=KOR&region=Atlantis&sector=999&crossBorder=2"),
    );
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(Object.keys(result.errors).sort()).toEqual(["country", "crossBorder", "region", "sector"]);
      expect(result.errors.country).toContain('No country has the ISO 3166-1 code "XX"');
    }
  });

  it("serialises back to the same filters, and counts as active", () => {
    const parsed = parseDealFilters(
      new URLSearchParams("country=KR&country=JP&region=Europe&sector=51&crossBorder=1&rollup=1"),
    );
    if (!parsed.success) throw new Error("expected success");
    const search = filtersToSearch(parsed.filters);
    expect(search).toBe("?country=KR&country=JP&sector=51&region=Europe&crossBorder=1&rollup=1");
    expect(parseDealFilters(new URLSearchParams(search))).toEqual(parsed);
    expect(filtersToSearch({ crossBorder: false })).toBe("?crossBorder=0");
    for (const f of [{ region: "Europe" }, { crossBorder: false }, { country: ["KR"] }, { sector: ["51"] }])
      expect(hasActiveFilters({ ...defaultFilters, ...f }), JSON.stringify(f)).toBe(true);
  });
});

describe("patchedSearch", () => {
  it("keeps the page's own parameters and drops the filters a change cleared", () => {
    const params = new URLSearchParams("q=cloud&region=Europe&crossBorder=1&from=2020-01-01&interval=year");
    const parsed = parseDealFilters(params);
    if (!parsed.success) throw new Error("valid filters");
    const cleared = {
      ...parsed.filters,
      q: undefined,
      region: undefined,
      crossBorder: undefined,
      from: undefined,
    };
    expect(patchedSearch(params, cleared)).toBe("interval=year");
    expect(patchedSearch(params, { ...cleared, country: ["KR", "JP"] }, { interval: null })).toBe(
      "country=KR&country=JP",
    );
  });
});

describe("filtersQuery", () => {
  it("leaves paging out, and the sort unless asked to keep it", () => {
    const parsed = parseDealFilters({ q: "cloud", sort: "title", page: "4" });
    if (!parsed.success) throw new Error("valid filters");
    expect(filtersQuery(parsed.filters)).toBe("?q=cloud");
    expect(filtersQuery(parsed.filters, { layout: "deals" }, { keepSort: true })).toBe(
      "?q=cloud&sort=title&layout=deals",
    );
  });
});
