import { describe, expect, it } from "vitest";
import { companyKey, foldConfusables, hasLetterOrDigit, labelKey, normalizeName, slugify } from "./names";

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

describe("names that cannot be spoofed", () => {
  it("normalises to NFKC without invisible characters or repeated spaces", () => {
    expect(normalizeName("  Sam\u200Bsung\u200D  Electronics\u00A0 ")).toBe("Samsung Electronics");
    expect(normalizeName("ＳＫ　Ｔｅｌｅｃｏｍ")).toBe("SK Telecom");
    expect(normalizeName("Intel\u202E\u2066\uFEFF\u00AD")).toBe("Intel");
    expect(normalizeName("Nokia\tBell\nLabs")).toBe("Nokia Bell Labs");
    expect(normalizeName("A\u0007B")).toBe("AB");
  });

  it.each([
    ["\u0405amsung", "samsung"], // Cyrillic capital DZE
    ["S\u0430msung", "samsung"], // Cyrillic a
    ["Ѕаmѕung", "samsung"], // three Cyrillic letters
    ["\u039Dokia", "nokia"], // Greek capital Nu
    ["Ιntel", "intel"], // Greek capital Iota
    ["ＳＡＭＳＵＮＧ", "samsung"], // full-width
    ["Sam\u200Bsung Electronics Co., Ltd.", "samsung electronics"],
    ["Micro\u00ADsoft", "microsoft"],
  ])("%s has the key %s", (name, key) => {
    expect(companyKey(name)).toBe(key);
  });

  it("folds look-alikes in labels too, and leaves other letters alone", () => {
    expect(labelKey("Сloud")).toBe(labelKey("cloud"));
    expect(foldConfusables("Яндекс")).toBe("Яндekc");
    expect(companyKey("삼성전자")).toBe("삼성전자".normalize("NFKD"));
  });

  it("gives names without a letter or digit an empty key", () => {
    for (const name of ["!!!", "🙂", "\u200B", " - ", "\u3164"]) {
      expect(companyKey(name)).toBe("");
      expect(hasLetterOrDigit(name)).toBe(false);
    }
    expect(hasLetterOrDigit("3M")).toBe(true);
  });

  it("never makes a slug from a look-alike that differs from the real one", () => {
    expect(slugify("\u0405amsung")).toBe("samsung");
    expect(slugify("Sam\u200Bsung")).toBe("samsung");
  });
});
