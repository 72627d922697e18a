import { describe, expect, it } from "vitest";
import { editDistance, scoreDuplicate, websiteDomain } from "./duplicates";

const pair = (a: string, b: string, extra: { wa?: string; wb?: string } = {}) => [
  scoreDuplicate({ name: a, website: extra.wa }, { name: b, website: extra.wb }),
  scoreDuplicate({ name: b, website: extra.wb }, { name: a, website: extra.wa }),
];

describe("duplicate scoring", () => {
  it.each([
    ["Samsung SDS", "Samsung SDI"],
    ["Intel", "Intelsat"],
    ["SK Hynix", "SK Telecom"],
    ["Nokia", "Nokia Bell Labs"],
    ["Meta", "Beta"],
    ["Sony", "Sonos"],
  ])("does not pair %s and %s by spelling, either way round", (a, b) => {
    expect(pair(a, b)).toEqual([null, null]);
  });

  it("pairs them when the data says so (same website)", () => {
    const [ab, ba] = pair("Nokia", "Nokia Bell Labs", {
      wa: "https://www.nokia.com",
      wb: "https://nokia.com/bell-labs",
    });
    expect(ab).toEqual({ score: 0.9, reasons: ["same-domain"] });
    expect(ba).toEqual(ab);
  });

  it.each([
    ["Samsung", "\u0405amsung", "same-key"],
    ["SK Telecom", "SK Telecom Co", "same-key"],
    ["Samsung", "Samsung Group", "legal-suffix"],
    ["Hyundai Motor", "Hyundai Motor Company Holdings", "same-key"],
    ["LG Uplus", "The LG Uplus Group", "legal-suffix"],
    ["Microsoft", "Microsfot", "close-spelling"],
    ["Samsung Electronic", "Samsung Electronics", "close-spelling"],
    ["SKTelecom", "SK Telecom", "close-spelling"],
  ])("pairs %s and %s (%s), either way round", (a, b, reason) => {
    const [ab, ba] = pair(a, b);
    expect(ab?.reasons).toEqual([reason]);
    expect(ba).toEqual(ab);
    expect(ab!.score).toBeGreaterThan(0.5);
  });

  it("ranks stronger evidence higher", () => {
    const spelling = scoreDuplicate({ name: "Microsoft" }, { name: "Microsfot" })!;
    const both = scoreDuplicate(
      { name: "Microsoft", website: "https://microsoft.com" },
      { name: "Microsfot", website: "http://www.microsoft.com/" },
    )!;
    expect(both.score).toBeGreaterThan(spelling.score);
    expect(both.reasons).toEqual(["same-domain", "close-spelling"]);
  });

  it("measures edits and domains", () => {
    expect(editDistance("microsoft", "microsfot")).toBe(1);
    expect(editDistance("intel", "intelsat")).toBe(3);
    expect(websiteDomain("https://www2.sktelecom.com/x")).toBe("sktelecom.com");
    expect(websiteDomain("not a url")).toBeNull();
  });
});
