import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXTRACTION_DEV, fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import { findDuplicateDeals, type ExistingDeal } from "./duplicates";
import { loadGold } from "@/test/extract-eval";
import { extractInputFromHtml } from "./html";
import { extractArticle } from "./index";
import { buildCompanyIndex, resolveCompany } from "./resolve";

const records = z
  .array(
    z.object({
      id: z.string(),
      parties: z.array(z.string()),
      date: z.string().nullable(),
      type: z.string(),
      title: z.string(),
      dupOf: z.string().nullish(),
    }),
  )
  .parse(JSON.parse(fs.readFileSync(path.join(EXTRACTION_DEV, "dedup-extra.json"), "utf8")));
const gazetteer = fixtureGazetteer();
const index = buildCompanyIndex(gazetteer.companies);
const slugOf = (name: string) => resolveCompany(name, index).match?.slug ?? `new:${name}`;
const existing: ExistingDeal[] = records.map((r) => ({
  id: r.id,
  title: r.title,
  announcedOn: r.date,
  types: [r.type],
  partySlugs: r.parties.map(slugOf),
}));
const files = fs.readdirSync(path.join(EXTRACTION_DEV, "articles"));
const fileOf = (prefix: string) => files.find((f) => f.startsWith(`${prefix}-`))!;

// The seed article carries no date; the analyst enters WinBuzzer's publication date with it.
const PUBLISHED: Record<string, string> = { a0: "2019-05-14" };

function draftFor(prefix: string) {
  const file = fileOf(prefix);
  if (prefix.startsWith("t")) {
    // Held-out articles are not run through the extractor here; their gold labels stand in.
    const gold = loadGold(EXTRACTION_DEV, ["gold-blind.json"])[file]!;
    return {
      title: null,
      announcedOn: gold.date,
      types: [gold.dealType.primary],
      partySlugs: gold.parties.map(slugOf),
    };
  }
  const raw = fs.readFileSync(path.join(EXTRACTION_DEV, "articles", file), "utf8");
  const input = file.endsWith(".html")
    ? extractInputFromHtml(raw)
    : { text: raw, publishedOn: PUBLISHED[prefix] };
  const { draft, companies } = extractArticle(input, gazetteer);
  return {
    title: draft.title,
    announcedOn: draft.announcedOn,
    types: draft.types,
    partySlugs: companies
      .filter((c) => draft.parties.some((p) => p.company === c.name))
      .map((c) => c.match?.slug ?? `new:${c.name}`),
  };
}

describe("findDuplicateDeals on dedup-extra.json", () => {
  const articles = ["a0", "a2", "a3", "a4", "a5", "s3", "s4", "s5", "s6", "t1", "t3"];
  it.each(articles)("%s: offers exactly the records that duplicate it", (prefix) => {
    const expected = records
      .filter((r) => r.dupOf === prefix)
      .map((r) => r.id)
      .sort();
    const found = findDuplicateDeals(draftFor(prefix), existing);
    expect(found.map((d) => d.id).sort()).toEqual(expected);
    for (const d of found) expect(d.reasons[0]).toMatch(/Same parties/);
  });

  it("never offers deals of other parties or dates months apart", () => {
    const draft = {
      title: "Toyota and Panasonic battery JV",
      announcedOn: "2019-01-22",
      types: ["joint_venture"],
      partySlugs: ["toyota", "panasonic"],
    };
    expect(findDuplicateDeals(draft, existing).map((d) => d.id)).toEqual(["d1"]);
    expect(findDuplicateDeals({ ...draft, partySlugs: ["toyota", "denso"] }, existing)).toEqual([]);
  });
});
