import { describe, expect, it } from "vitest";
import realDeals from "@/db/demo/real-deals.json";
import { companyPatch, fieldErrors } from "@/lib/validation";
import { countryByCode } from "./countries";
import { leiCheckDigitsValid, TICKER, WIKIDATA_ID } from "./identifiers";
import { countryCodeOf, SECTOR_WORDS, sectorCodeOf } from "./reference-names";
import { isSectorCode } from "./sectors";

const patch = (fields: Record<string, unknown>) => companyPatch.safeParse({ version: 1, ...fields });
const errorsOf = (fields: Record<string, unknown>) => {
  const result = patch(fields);
  return result.success ? {} : fieldErrors(result.error);
};

describe("leiCheckDigitsValid (ISO 17442, ISO 7064 MOD 97-10)", () => {
  it("accepts real LEIs", () => {
    // Apple Inc., Microsoft Corporation, GLEIF itself, Deutsche Bank AG (GLEIF register).
    for (const lei of [
      "HWUPKR0MPOU8FGXBT394",
      "INR2EJN1ERAN0W5ZP974",
      "506700GE1G29325QX363",
      "7LTWFZYICNSX8D621K86",
    ])
      expect(leiCheckDigitsValid(lei), lei).toBe(true);
  });
  it("refuses a changed check digit, a swapped character, a wrong length and lower case", () => {
    for (const lei of [
      "HWUPKR0MPOU8FGXBT395",
      "HWUPKR0MPOU8FGXTB394",
      "HWUPKR0MPOU8FGXBT39",
      "hwupkr0mpou8fgxbt394",
    ])
      expect(leiCheckDigitsValid(lei), lei).toBe(false);
  });
});

describe("company reference fields", () => {
  it("stores codes upper-case and empty as none", () => {
    const result = patch({
      country: " kr ",
      sector: "517",
      lei: "hwupkr0mpou8fgxbt394",
      wikidataId: "q312",
      ticker: "nasdaq:aapl",
      website: "https://www.apple.com",
    });
    expect(result.success && result.data).toMatchObject({
      country: "KR",
      sector: "517",
      lei: "HWUPKR0MPOU8FGXBT394",
      wikidataId: "Q312",
      ticker: "NASDAQ:AAPL",
      website: "https://www.apple.com",
    });
    const cleared = patch({ country: "", sector: null, lei: "", wikidataId: "", ticker: "", website: "" });
    expect(cleared.success && cleared.data).toMatchObject({
      country: null,
      sector: null,
      lei: null,
      wikidataId: null,
      ticker: null,
      website: null,
    });
  });

  it("names each bad field with what it expects", () => {
    expect(errorsOf({ country: "xx" }).country).toEqual([
      "No country has the code XX; use an ISO 3166-1 code such as KR or US",
    ]);
    expect(errorsOf({ country: "Korea" }).country?.[0]).toMatch(/No country has the code KOREA/);
    expect(errorsOf({ sector: "99" }).sector?.[0]).toMatch(/No sector has the code 99/);
    expect(errorsOf({ sector: "Telecom" }).sector?.[0]).toMatch(/NAICS 2017/);
    expect(errorsOf({ lei: "HWUPKR0MPOU8FGXBT395" }).lei).toEqual(["Check digits do not match"]);
    expect(errorsOf({ lei: "HWUPKR0MPOU8" }).lei?.[0]).toMatch(/20 letters and digits/);
    expect(errorsOf({ wikidataId: "312" }).wikidataId?.[0]).toMatch(/Q and its number/);
    expect(errorsOf({ wikidataId: "Q0312" }).wikidataId).toBeDefined();
    expect(errorsOf({ ticker: "AAPL" }).ticker).toEqual([
      "Enter the ticker as EXCHANGE:SYMBOL, such as NASDAQ:AAPL or KRX:005930",
    ]);
    expect(errorsOf({ website: "ftp://example.org" }).website).toBeDefined();
    expect(errorsOf({ website: "javascript:alert(1)" }).website).toBeDefined();
  });

  it("accepts the ticker forms of several exchanges", () => {
    for (const t of ["NASDAQ:AAPL", "KRX:005930", "LSE:VOD", "TSE:9432", "NYSE:BRK.B", "XETRA:DTE"])
      expect(TICKER.test(t), t).toBe(true);
    for (const t of ["AAPL", ":AAPL", "NASDAQ:", "NASDAQ AAPL", "N:AAPL"])
      expect(TICKER.test(t), t).toBe(false);
  });
});

describe("free text to codes (the migration and the import)", () => {
  it("maps country codes, alpha-3 codes, names and aliases; leaves the ambiguous unmatched", () => {
    expect(countryCodeOf("kr")).toBe("KR");
    expect(countryCodeOf("KOR")).toBe("KR");
    expect(countryCodeOf("South Korea")).toBe("KR");
    expect(countryCodeOf("United States")).toBe("US");
    expect(countryCodeOf("USA")).toBe("US");
    expect(countryCodeOf("UK")).toBe("GB");
    expect(countryCodeOf("germany")).toBe("DE");
    expect(countryCodeOf("Korea")).toBeUndefined();
    expect(countryCodeOf("Europe")).toBeUndefined();
    expect(countryCodeOf("ZZ")).toBeUndefined();
  });
  it("maps NAICS codes, sector names and the documented words, nothing else", () => {
    expect(sectorCodeOf("517")).toBe("517");
    expect(sectorCodeOf("information")).toBe("51");
    expect(sectorCodeOf("Utilities")).toBe("22");
    expect(sectorCodeOf("Telecom")).toBe("517");
    expect(sectorCodeOf("  Semiconductors ")).toBe("334");
    expect(sectorCodeOf("Technology")).toBeUndefined();
    for (const [word, code] of Object.entries(SECTOR_WORDS)) expect(isSectorCode(code), word).toBe(true);
  });
});

describe("demo companies", () => {
  const demo = realDeals.companies as {
    name: string;
    country?: string;
    sector?: string;
    lei?: string;
    wikidataId?: string;
    ticker?: string;
  }[];
  it("all have a known country and sector", () => {
    for (const c of demo) {
      expect(countryByCode(c.country), c.name).toBeDefined();
      expect(isSectorCode(c.sector ?? ""), c.name).toBe(true);
    }
  });
  it("carry only identifiers of the right form: every LEI's check digits match", () => {
    for (const c of demo) {
      if (c.lei) expect(leiCheckDigitsValid(c.lei), c.name).toBe(true);
      if (c.wikidataId) expect(c.wikidataId, c.name).toMatch(WIKIDATA_ID);
      if (c.ticker) expect(c.ticker, c.name).toMatch(TICKER);
    }
    // Qids are unique: two companies cannot be one Wikidata item.
    const qids = demo.flatMap((c) => (c.wikidataId ? [c.wikidataId] : []));
    expect(new Set(qids).size).toBe(qids.length);
  });
});
