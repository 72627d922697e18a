import { describe, expect, it } from "vitest";
import { companyKey, labelKey, slugify } from "./names";

describe("companyKey", () => {
  it.each([
    ["SK Telecom Co., Ltd.", "sk telecom"],
    ["SK TELECOM", "sk telecom"],
    ["Microsoft Corp.", "microsoft"],
    ["Microsoft Corporation", "microsoft"],
    ["Deutsche Telekom AG", "deutsche telekom"],
    ["Telefónica, S.A.", "telefonica"],
    ["Vodafone Group plc", "vodafone group"],
    ["NTT DOCOMO, INC.", "ntt docomo"],
    ["Rohde & Schwarz", "rohde and schwarz"],
    ["e&", "e and"],
  ])("%s → %s", (name, key) => {
    expect(companyKey(name)).toBe(key);
  });

  it("keeps a name that is only a legal suffix", () => {
    expect(companyKey("AG")).toBe("ag");
  });

  it("strips suffixes only at the end", () => {
    expect(companyKey("Co Systems")).toBe("co systems");
  });
});

describe("labelKey and slugify", () => {
  it("ignores case and spacing in labels", () => {
    expect(labelKey("  Edge   Computing ")).toBe("edge computing");
  });
  it("makes URL-safe slugs", () => {
    expect(slugify("Media & entertainment")).toBe("media-and-entertainment");
    expect(slugify("SK Telecom Co., Ltd.")).toBe("sk-telecom-co-ltd");
    expect(slugify("???")).toBe("item");
  });
});
