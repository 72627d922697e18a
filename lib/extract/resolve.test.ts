import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXTRACTION_DEV, fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import { buildCompanyIndex, resolveCompanies, resolveCompany, sameName } from "./resolve";

const variants = z
  .array(z.tuple([z.string(), z.string().nullable()]))
  .parse(JSON.parse(fs.readFileSync(path.join(EXTRACTION_DEV, "er-variants.json"), "utf8")));
const index = buildCompanyIndex(fixtureGazetteer().companies);

describe("resolveCompany on er-variants.json", () => {
  it.each(variants.filter(([, slug]) => slug))(
    "%s → %s (linked, or offered first when only close)",
    (name, slug) => {
      const r = resolveCompany(name, index);
      expect(r.match?.slug ?? r.suggestions[0]?.slug).toBe(slug);
    },
  );

  it.each(variants.filter(([, slug]) => !slug))("%s is never linked to an existing company", (name) => {
    expect(resolveCompany(name, index).match).toBeNull();
  });

  it("links identity-key, alias, compact and acronym spellings outright", () => {
    for (const name of [
      "Microsoft Corp.",
      "MSFT",
      "SK Telecom Co., Ltd.",
      "S.K. Telecom",
      "AT and T",
      "ATT",
      "I.B.M.",
      "International Business Machines Corp.",
      "Toyota Motor Corp.",
      "Alphabet Inc. (Google)",
    ]) {
      expect(resolveCompany(name, index).match, name).not.toBeNull();
    }
  });

  it("only suggests misspellings and abbreviations, never links them", () => {
    for (const name of ["Microsfot", "SK Telekom", "Samsung Elec."]) {
      const r = resolveCompany(name, index);
      expect(r.match, name).toBeNull();
      expect(r.suggestions.length, name).toBeGreaterThan(0);
    }
  });

  it("resolves each distinct company once", () => {
    const out = resolveCompanies(["Microsoft", "Microsoft Corp.", "Acme Widgets"], index);
    expect(out.map((r) => [r.name, r.match?.slug ?? null])).toEqual([
      ["Microsoft", "microsoft"],
      ["Acme Widgets", null],
    ]);
  });
});

// Issue 21 (news-dev): "AWS" and "Constellation" resolved to the wrong company or to none.
describe("resolveCompany, short forms of directory names", () => {
  const index = buildCompanyIndex([
    { slug: "korvel", name: "Korvel", aliases: ["KWS", "Korvel Web Services"] },
    { slug: "korvel-web-services", name: "Korvel Web Services", aliases: [] },
    { slug: "tessel-energy", name: "Tessel Energy", aliases: [] },
    { slug: "lumora-energy", name: "Lumora Energy", aliases: [] },
    { slug: "lumora-motors", name: "Lumora Motors", aliases: [] },
  ]);
  const slug = (name: string) => resolveCompany(name, index).match?.slug ?? null;

  it("gives the initials of a unit's own name to the unit, not to its parent's alias", () => {
    expect(slug("KWS")).toBe("korvel-web-services");
    expect(slug("Korvel")).toBe("korvel");
  });

  it("links a name without its generic last word, when one company shortens so", () => {
    expect(slug("Tessel")).toBe("tessel-energy");
    // "Tessel Holdings" names a parent, not the unit.
    expect(slug("Tessel Holdings")).toBeNull();
    // Two companies shorten to "Lumora": neither is linked.
    expect(slug("Lumora")).toBeNull();
  });
});

// Issue 21, round 4: first runs missed parties the article spelt another way than the gold record.
describe("sameName", () => {
  it.each([
    ["skyberg", "Sky Berg PLC", true],
    ["Tri-Gate", "Trigate Inc.", true],
    ["KHI", "Kestrel Heavy Industries, Ltd.", true],
    // The acronym may spell the legal word, or stop before the last word.
    ["TNOC", "Tasman National Oil Corporation", true],
    ["CGF", "Cathay General Fusion Power", true],
    ["NBL", "National Bowling League", true],
    ["Kestrel", "Kestrel Heavy Industries", false],
    ["KH", "Kestrel Heavy", false],
    ["Sky Berg", "Sky Bergen", false],
    ["KHA", "Kestrel Heavy Industries", false],
  ] as const)("%s and %s: %s", (a, b, same) => {
    expect(sameName(a, b)).toBe(same);
    expect(sameName(b, a)).toBe(same);
  });
});
