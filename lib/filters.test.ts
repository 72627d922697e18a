import { describe, expect, it } from "vitest";
import { filtersQuery, filtersToSearch, parseDealFilters } from "./filters";

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
