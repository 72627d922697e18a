import { describe, expect, it } from "vitest";
import { exportFilename } from "./export-filename";
import { defaultFilters } from "./filters";

describe("exportFilename", () => {
  const day = new Date("2026-11-27T10:00:00Z");
  it("says what was exported, when and how it was filtered", () => {
    expect(exportFilename("deals", { ...defaultFilters, technology: ["5G"] }, day)).toBe(
      "atlas-deals-2026-11-27-technology-5g.csv",
    );
    expect(exportFilename("deals", defaultFilters, day)).toBe("atlas-deals-2026-11-27.csv");
    expect(
      exportFilename("parties", { ...defaultFilters, company: ["SK Telecom"], from: "2019-01-01" }, day),
    ).toBe("atlas-parties-2026-11-27-company-sk-telecom-from-2019-01-01.csv");
  });
  it("names the geography and sector filters", () => {
    expect(
      exportFilename(
        "deals",
        {
          ...defaultFilters,
          country: ["KR", "JP"],
          region: "Eastern Asia",
          sector: ["51"],
          crossBorder: true,
        },
        day,
      ),
    ).toBe("atlas-deals-2026-11-27-country-kr-country-jp-sector-51-region-eastern-asia-cross-border.csv");
  });
  it("stays short and safe whatever the filters hold", () => {
    const name = exportFilename("deals", { ...defaultFilters, q: `"; rm -rf / ${"x".repeat(300)}` }, day);
    expect(name).toMatch(/^atlas-deals-2026-11-27-search-[a-z0-9-]+\.csv$/);
    expect(name.length).toBeLessThan(160);
  });
});
