import { describe, expect, it } from "vitest";

import { countriesInRegion, countryByCode, isCountryCode, regionByNameOrCode } from "./countries";
import { SECTORS, isSectorCode, sectorByCode, sectorWithChildren, topSector } from "./sectors";

describe("countries and M49 regions", () => {
  it("names a country by its code in any case, with its region and sub-region", () => {
    expect(countryByCode("kr")).toMatchObject({ code: "KR", region: "Asia", subregion: "Eastern Asia" });
    expect(countryByCode("DE")).toMatchObject({ region: "Europe", subregion: "Western Europe" });
    expect(countryByCode("BR")).toMatchObject({
      region: "Americas",
      subregion: "Latin America and the Caribbean",
      intermediateRegion: "South America",
    });
    expect(isCountryCode("XX")).toBe(false);
    expect(isCountryCode("USA")).toBe(false);
  });

  it("finds a region by name or code and lists its countries", () => {
    const europe = regionByNameOrCode("europe");
    expect(europe).toEqual(regionByNameOrCode("150"));
    expect(countriesInRegion(europe!)).toEqual(expect.arrayContaining(["DE", "FR", "GB", "SE"]));
    expect(countriesInRegion(europe!)).not.toContain("KR");
    expect(countriesInRegion(regionByNameOrCode("Eastern Asia")!)).toEqual(expect.arrayContaining(["KR", "JP", "CN"]));
    expect(regionByNameOrCode("Atlantis")).toBeUndefined();
  });
});

describe("NAICS 2017 sectors", () => {
  it("has the 20 sectors, the ranges among them, and subsectors with parents", () => {
    expect(SECTORS.filter((sector) => !sector.parent)).toHaveLength(20);
    expect(sectorByCode("31-33")?.name).toBe("Manufacturing");
    expect(sectorByCode("334")).toEqual({
      code: "334",
      name: "Computer and Electronic Product Manufacturing",
      parent: "31-33",
    });
    expect(topSector("517")?.code).toBe("51");
    expect(sectorWithChildren("51")).toEqual(expect.arrayContaining(["51", "517", "518"]));
    expect(isSectorCode("99")).toBe(false);
    expect(SECTORS.every((sector) => !sector.name.endsWith("T"))).toBe(true);
  });
});
