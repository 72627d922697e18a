import { describe, expect, it } from "vitest";
import { parseViewPath } from "./saved-views";

describe("parseViewPath", () => {
  it("accepts each filtered page with its filters and own options, and scopes company and technology pages", () => {
    for (const path of [
      "/deals?type=mou",
      "/?interval=year&rankBy=partners",
      "/timeline?groupBy=technology",
      "/network",
    ])
      expect(parseViewPath(path).success, path).toBe(true);
    const company = parseViewPath("/companies/sk-telecom?type=mou");
    expect(company.success && company.view.filters.company).toEqual(["sk-telecom"]);
    const area = parseViewPath("/technologies/6g");
    expect(area.success && area.view).toMatchObject({ page: "technology", filters: { technology: ["6g"] } });
  });

  it("saves a comparison with its compared companies and filters", () => {
    const parsed = parseViewPath("/compare?company=sk-telecom&company=kt&type=mou&interval=year");
    expect(parsed.success && parsed.view).toMatchObject({
      page: "compare",
      filters: { company: ["sk-telecom", "kt"], type: ["mou"] },
    });
  });

  it("keeps only the pathname and query string", () => {
    const parsed = parseViewPath("/deals?technology=6g&type=mou");
    expect(parsed.success && parsed.view.path).toBe("/deals?technology=6g&type=mou");
  });

  it("names every bad filter, option and unknown parameter, and refuses other pages and hosts", () => {
    const errors = (path: string) => {
      const parsed = parseViewPath(path);
      return parsed.success ? {} : parsed.errors;
    };
    expect(Object.keys(errors("/deals?type=x&status=y&page=0")).sort()).toEqual(["page", "status", "type"]);
    expect(Object.keys(errors("/deals?groupBy=company"))).toEqual(["groupBy"]);
    expect(Object.keys(errors("/?interval=week"))).toEqual(["interval"]);
    // A comparison names 2–4 companies or areas (lib/compare.ts).
    expect(Object.keys(errors("/compare?company=sk-telecom"))).toEqual(["company"]);
    expect(Object.keys(errors("/compare?company=a&company=b&interval=week"))).toEqual(["interval"]);
    for (const path of [
      "/import",
      "//evil.example/deals",
      "deals",
      "/companies/",
      "/deals#x",
      "/companies/a/b",
    ])
      expect(Object.keys(errors(path)), path).toEqual(["path"]);
  });
});
