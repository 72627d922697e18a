import { describe, expect, it } from "vitest";
import { describeFilters } from "./filters-in-words";
import { filtersInWords } from "./chart-figure";
import { DEAL_TYPES } from "./enums";
import { dealFilters, parseDealFilters } from "./filters";

const filters = (query: string) => {
  const parsed = parseDealFilters(new URLSearchParams(query));
  if (!parsed.success) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filters;
};

describe("describeFilters", () => {
  it("says all deals when nothing is filtered, ignoring sort and paging", () => {
    expect(describeFilters(dealFilters.parse({}))).toBe("All deals");
    expect(describeFilters(filters("sort=title&page=3&pageSize=20"))).toBe("All deals");
  });

  it("puts company, partner, area, types, years and roll-up in one sentence", () => {
    expect(
      describeFilters(
        filters("company=samsung&technology=5g&type=mou&from=2020-01-01&to=2024-12-31&rollup=1"),
        { companies: { samsung: "Samsung" }, technologies: { "5g": "5G" } },
      ),
    ).toBe("Deals of Samsung, in 5G, MoUs, 2020–2024, subsidiaries and narrower areas rolled up");
    expect(describeFilters(filters("company=Samsung&type=mou&from=2020-01-01&to=2024-12-31&rollup=1"))).toBe(
      "Deals of Samsung, MoUs, 2020–2024, subsidiaries rolled up",
    );
  });

  it("joins alternatives with “or” and required partners with “and”", () => {
    expect(
      describeFilters(
        filters("company=A&company=B&company=C&partner=D&partner=E&type=mou&type=joint_venture"),
      ),
    ).toBe("Deals of A, B or C with D and E, MoUs or joint ventures");
  });

  it("continues the head with the first phrase when no company is named", () => {
    expect(describeFilters(filters("technology=6G"))).toBe("Deals in 6G");
    expect(describeFilters(filters("from=2021-03-15"))).toBe("Deals from 2021-03-15");
    expect(describeFilters(filters("to=2023-12-31"))).toBe("Deals until 2023");
    expect(describeFilters(filters("type=acquisition&from=2020-01-01&to=2020-12-31"))).toBe(
      "Acquisitions, 2020",
    );
    expect(describeFilters(filters("technology=6G&rollup=1"))).toBe("Deals in 6G, narrower areas rolled up");
    expect(describeFilters(filters("binding=non_binding&binding=unknown"))).toBe(
      "Deals, non-binding or binding unknown",
    );
  });

  it("names status, search and exact dates", () => {
    expect(
      describeFilters(filters("status=active&status=completed&q=satellite&from=2020-02-01&to=2021-06-30")),
    ).toBe("Deals with status active or completed, 2020-02-01 to 2021-06-30, matching “satellite”");
  });

  it("names every deal type in the plural", () => {
    for (const type of DEAL_TYPES) {
      expect(describeFilters(filters(`type=${type}`))).not.toMatch(/undefined/);
    }
  });
});

describe("geography and sector in words", () => {
  it("says countries, region, sector and cross-border", () => {
    expect(describeFilters(filters("country=KR&country=JP"))).toBe("Deals in South Korea or Japan");
    expect(describeFilters(filters("crossBorder=1"))).toBe("Cross-border deals");
    expect(describeFilters(filters("crossBorder=0&region=Europe"))).toBe("Domestic deals in Europe");
    expect(describeFilters(filters("sector=51"))).toBe("Deals in Information");
    expect(describeFilters(filters("company=Samsung&crossBorder=1&type=mou&sector=31-33&rollup=1"))).toBe(
      "Cross-border deals of Samsung, in Manufacturing, MoUs, subsidiaries rolled up",
    );
    expect(describeFilters(filters("type=mou&crossBorder=1"))).toBe("Cross-border deals, MoUs");
  });

  it("puts them in a chart image's subtitle", () => {
    expect(filtersInWords(filters("country=KR&country=JP&region=030&sector=51&crossBorder=0"))).toBe(
      "Countries: South Korea, Japan · Region: Eastern Asia · Sector: Information · Domestic",
    );
    expect(filtersInWords(filters("crossBorder=1"))).toBe("Cross-border");
  });
});
