import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractArticle } from "@/lib/extract";
import { extractInputFromHtml } from "@/lib/extract/html";
import type { Gazetteer } from "@/lib/extract/types";
import { gazetteerFor, indexCompanies } from "./gazetteer";

const company = (name: string, aliases: string[] = []) => ({
  slug: name.toLowerCase().replace(/\W+/g, "-"),
  name,
  aliases,
});

describe("gazetteerFor", () => {
  it("keeps the companies whose names begin with a word of the item, whatever their case", () => {
    const gazetteer: Gazetteer = {
      companies: [
        company("Amazon Web Services", ["AWS"]),
        company("Constellation Energy"),
        company("AT&T"),
        company("Mercedes-Benz Group"),
        company("Nokia"),
        company("Orange"),
      ],
      technologies: [],
    };
    const narrowed = gazetteerFor(
      indexCompanies(gazetteer),
      "DISH runs on aws; Constellation and at&t met Mercedes-Benz in an orange room.",
    );
    expect(narrowed.companies.map((c) => c.name)).toEqual([
      "Amazon Web Services",
      "Constellation Energy",
      "AT&T",
      "Mercedes-Benz Group",
      "Orange",
    ]);
  });

  it("drafts the same parties from every news-dev item as the whole directory does", () => {
    const root = path.resolve(__dirname, "../..");
    const items = JSON.parse(
      fs.readFileSync(path.join(root, "test/fixtures/news-dev/items.json"), "utf8"),
    ) as { title: string; html: string; link: string; gold: { parties: { company: string }[] } | null }[];
    // A directory of the gold parties and many others, as a real one is.
    const names = new Set(items.flatMap((i) => i.gold?.parties.map((p) => p.company) ?? []));
    const others = Array.from({ length: 300 }, (_, i) => company(`Filler Holding ${i}`, [`FH${i}`]));
    const gazetteer: Gazetteer = {
      companies: [...[...names].map((n) => company(n)), ...others],
      technologies: [],
    };
    const index = indexCompanies(gazetteer);
    for (const item of items) {
      const input = { ...extractInputFromHtml(item.html, item.link), title: item.title };
      const narrowed = gazetteerFor(index, `${input.title}\n${input.text}`);
      expect(narrowed.companies.length).toBeLessThan(gazetteer.companies.length / 10);
      const whole = extractArticle(input, gazetteer);
      const fromNarrowed = extractArticle(input, narrowed);
      expect(fromNarrowed.draft.parties, item.title).toEqual(whole.draft.parties);
      expect(
        fromNarrowed.companies.map((c) => c.match),
        item.title,
      ).toEqual(whole.companies.map((c) => c.match));
    }
  });
});
