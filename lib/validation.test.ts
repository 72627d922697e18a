import { describe, expect, it } from "vitest";
import { companyInput, dealInput, fieldErrors, httpUrl } from "./validation";

const base = {
  title: "  Deal  ",
  announcedOn: "2024-07-19",
  types: ["mou"],
  parties: [{ company: "A" }, { company: "B" }],
  sources: [{ url: "https://example.org" }],
};

describe("dealInput", () => {
  it("fills defaults and trims", () => {
    const deal = dealInput.parse(base);
    expect(deal).toMatchObject({
      title: "Deal",
      datePrecision: "day",
      binding: "unknown",
      status: "announced",
      summary: "",
      value: null,
      technologies: [],
      quotes: [],
      expandsDealId: null,
    });
    expect(deal.parties.map((p) => p.role)).toEqual(["partner", "partner"]);
    expect(deal.sources[0]).toEqual({
      url: "https://example.org",
      title: null,
      publisher: null,
      publishedOn: null,
    });
  });

  it("stores month and year precision dates at the start of their period", () => {
    expect(dealInput.parse({ ...base, datePrecision: "month" }).announcedOn).toBe("2024-07-01");
    expect(dealInput.parse({ ...base, datePrecision: "year" }).announcedOn).toBe("2024-01-01");
  });

  it("treats two spellings of one company as the same party", () => {
    const result = dealInput.safeParse({
      ...base,
      parties: [{ company: "SK Telecom" }, { company: "SK TELECOM Co., Ltd." }],
    });
    expect(result.success).toBe(false);
    if (!result.success)
      expect(fieldErrors(result.error)["parties.1.company"]?.[0]).toMatch(/Same company as party 1/);
  });

  it("returns every error at once, keyed by path", () => {
    const result = dealInput.safeParse({
      ...base,
      title: "",
      types: [],
      sources: [{ url: "mailto:x@y.z" }],
      quotes: [{ text: "" }],
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(Object.keys(fieldErrors(result.error)).sort()).toEqual(
        ["quotes.0.speaker", "quotes.0.text", "sources.0.url", "title", "types"].sort(),
      );
    }
  });

  it("de-duplicates types and technology areas", () => {
    const deal = dealInput.parse({ ...base, types: ["mou", "mou"], technologies: ["AI", " ai ", "Cloud"] });
    expect(deal.types).toEqual(["mou"]);
    expect(deal.technologies).toEqual(["AI", "Cloud"]);
  });
});

describe("httpUrl", () => {
  it.each(["https://example.org/a?b=c", "http://localhost:3000/x"])("accepts %s", (url) => {
    expect(httpUrl.safeParse(url).success).toBe(true);
  });
  it.each([
    "javascript:alert(1)",
    "data:text/html,hi",
    "ftp://x.org",
    "file:///etc/passwd",
    "//example.org",
    "example.org",
    " ",
  ])("refuses %s", (url) => {
    expect(httpUrl.safeParse(url).success).toBe(false);
  });
});

describe("companyInput", () => {
  it("normalises the country and treats empty optional fields as absent", () => {
    expect(companyInput.parse({ name: "X", country: "kr", website: "", sector: "" })).toMatchObject({
      country: "KR",
      website: null,
      sector: null,
      aliases: [],
    });
    expect(companyInput.safeParse({ name: "X", country: "KOR" }).success).toBe(false);
  });
});
