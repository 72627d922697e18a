import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTRACTION_DEV, NEWS_DEV } from "@/test/fixtures/extract-gazetteer";
import {
  articleCases,
  demoGazetteer,
  evaluateCases,
  evaluateSet,
  loadGold,
  newsCases,
  score,
} from "@/test/extract-eval";
import { dealInput } from "@/lib/validation";
import { extractArticle } from "./index";

const root = path.resolve(import.meta.dirname, "../..");
const seed = fs.readFileSync(path.join(EXTRACTION_DEV, "articles/a0-seed-winbuzzer.txt"), "utf8");

describe("the seed article (WinBuzzer, Microsoft × SK Telecom MoU)", () => {
  for (const withSpeakers of [false, true]) {
    it(`drafts both parties, MoU + non-binding, 5G/AI/Cloud/IoT and both speakers (${withSpeakers ? "with" : "without"} known speakers)`, () => {
      const gazetteer = demoGazetteer(root, withSpeakers);
      const { draft, companies, evidence } = extractArticle({ text: seed }, gazetteer);
      expect(draft.parties.map((p) => p.company)).toEqual(["Microsoft", "SK Telecom"]);
      expect(companies.filter((c) => c.match).map((c) => c.match!.slug)).toEqual(
        expect.arrayContaining(["microsoft", "sk-telecom"]),
      );
      expect(draft.types[0]).toBe("mou");
      expect(draft.binding).toBe("non_binding");
      expect(draft.technologies).toEqual(expect.arrayContaining(["5G", "AI", "Cloud", "IoT"]));
      // The article carries no date, so none is invented.
      expect(draft.announcedOn).toBeNull();
      const speakers = new Set(draft.quotes.map((q) => q.speaker));
      const park = withSpeakers ? "Park Jung-ho" : "Jark Jung-ho";
      expect([...speakers].sort()).toEqual(["Jason Zander", park].sort());
      expect(draft.quotes.map((q) => q.speakerCompany)).toEqual(["Microsoft", "SK Telecom", "SK Telecom"]);
      expect(evidence.binding?.snippet).toMatch(/not legally binding/);
    });
  }
});

// Floors a little under what the rules reach (see the report of issue 12), so regressions fail CI.
describe("dev-set evaluation", () => {
  const gazetteer = demoGazetteer(root);
  it("tuning set (a0–a5, s1–s6)", () => {
    const s = score(
      evaluateSet(EXTRACTION_DEV, loadGold(EXTRACTION_DEV, ["gold.json", "gold-stress.json"]), gazetteer, 1),
    );
    expect(s.partiesBothCorrect).toBeGreaterThanOrEqual(0.9);
    expect(s.partyPrecision).toBeGreaterThanOrEqual(0.95);
    expect(s.dateCorrect).toBeGreaterThanOrEqual(0.9);
    expect(s.primaryType).toBeGreaterThanOrEqual(0.9);
    expect(s.techRecall).toBeGreaterThanOrEqual(0.9);
    expect(s.techPrecision).toBeGreaterThanOrEqual(0.85);
    expect(s.quotesFound).toBeGreaterThanOrEqual(0.9);
    expect(s.quotePrecision).toBeGreaterThanOrEqual(0.95);
    expect(s.speaker).toBeGreaterThanOrEqual(0.9);
    expect(s.speakerTitle).toBeGreaterThanOrEqual(0.85);
    expect(s.speakerCompany).toBeGreaterThanOrEqual(0.85);
  });

  it("held-out set (t1–t5): one article or quote of slack under the issue's targets", () => {
    const s = score(evaluateSet(EXTRACTION_DEV, loadGold(EXTRACTION_DEV, ["gold-blind.json"]), gazetteer, 1));
    expect(s.partiesBothCorrect).toBeGreaterThanOrEqual(0.8);
    expect(s.partyPrecision).toBeGreaterThanOrEqual(0.9);
    expect(s.dateCorrect).toBeGreaterThanOrEqual(0.8);
    expect(s.primaryType).toBeGreaterThanOrEqual(0.8);
    expect(s.techRecall).toBeGreaterThanOrEqual(0.85);
    expect(s.techPrecision).toBeGreaterThanOrEqual(0.75);
    expect(s.quotesFound).toBeGreaterThanOrEqual(0.85);
    expect(s.quotePrecision).toBeGreaterThanOrEqual(0.9);
    expect(s.speaker).toBeGreaterThanOrEqual(0.85);
    expect(s.speakerTitle).toBeGreaterThanOrEqual(0.75);
    expect(s.speakerCompany).toBeGreaterThanOrEqual(0.75);
  });
});

// Issue 21: pasted a second time, after its companies were saved, the article gave a worse draft.
describe("the Panasonic–Sila article, drafted twice", () => {
  const text = fs.readFileSync(path.join(NEWS_DEV, "panasonic-sila.txt"), "utf8");
  const before = demoGazetteer(root);
  const after = {
    ...before,
    companies: [
      ...before.companies,
      { slug: "panasonic-energy", name: "Panasonic Energy", aliases: [] },
      { slug: "sila-nanotechnologies", name: "Sila Nanotechnologies", aliases: [] },
    ],
  };

  it("gives the same draft once its companies are in the directory, and offers no short form as a new company", () => {
    const first = extractArticle({ text }, before);
    const second = extractArticle({ text }, after);
    expect(first.draft.parties).toEqual([
      { company: "Panasonic Energy", role: "customer" },
      { company: "Sila Nanotechnologies", role: "supplier" },
    ]);
    expect(second.draft).toEqual(first.draft);
    expect(second.companies.map((c) => c.name)).toEqual(["Panasonic Energy", "Sila Nanotechnologies"]);
    expect(second.companies.every((c) => c.match)).toBe(true);
  });

  it("drafts a headline from the lead when the article has none", () => {
    const { draft, evidence } = extractArticle({ text }, before);
    expect(draft.title).toBe("Panasonic Energy and Sila Nanotechnologies have signed a supply agreement");
    expect(evidence.title?.snippet).toBe(draft.title);
  });
});

// Issue 21: floors a little under what the rules reach on the larger tuning sets; every draft has a
// headline and the same article twice gives the same draft. The held-back set is not scored here.
describe("larger tuning sets (issue 21)", () => {
  const gazetteer = demoGazetteer(root);
  const own = path.join(root, "test/fixtures/extraction-own");
  const blind1 = path.join(root, "test/fixtures/extraction-blind");
  const blind2 = path.join(root, "test/fixtures/extraction-blind2");
  const blind3 = path.join(root, "test/fixtures/extraction-blind3");
  const blind4 = path.join(root, "test/fixtures/extraction-blind4");
  it.each([
    ["own tuning (o01–o20)", () => articleCases(own, loadGold(own, ["gold-tuning.json"])), 0.9, 0.9],
    ["news-dev deal items", () => newsCases(NEWS_DEV, gazetteer), 0.7, 0.8],
    // Scored blind once (session 8: parties 0.467, type 0.667), tuned on since session 9.
    ["blind-1 (b01–b30)", () => articleCases(blind1, loadGold(blind1, ["gold.json"])), 0.85, 0.9],
    // Scored blind once (session 9: parties 0.625 and 0.70, type 0.688 and 0.733), tuned on since.
    ["blind-2 (c01–c32)", () => articleCases(blind2, loadGold(blind2, ["gold.json"])), 0.85, 0.85],
    ["blind-3 (e01–e30)", () => articleCases(blind3, loadGold(blind3, ["gold.json"])), 0.9, 0.9],
    // Scored blind once (session 10: parties 0.667, type 0.767, quotes 0.906), tuned on since session 11.
    ["blind-4 (g01–g30)", () => articleCases(blind4, loadGold(blind4, ["gold.json"])), 0.9, 0.9, 0.9],
  ] as const)(
    "%s",
    (_, cases, parties, type, quotes: number = 0.95) => {
      const s = score(evaluateCases(cases(), gazetteer, 1));
      expect(s.partiesBothCorrect).toBeGreaterThanOrEqual(parties);
      expect(s.primaryType).toBeGreaterThanOrEqual(type);
      expect(s.quotesFound).toBeGreaterThanOrEqual(quotes);
      expect(s.quotePrecision).toBeGreaterThanOrEqual(0.95);
      expect(s.speaker).toBeGreaterThanOrEqual(0.95);
      expect(s.headline).toBe(1);
      expect(s.sameTwice).toBe(1);
    },
    30_000,
  );
});

describe("the Panasonic–Sila supply agreement, pasted without a link (issue 21)", () => {
  const text = fs.readFileSync(path.join(NEWS_DEV, "panasonic-sila.txt"), "utf8");
  const input = { text, publishedOn: "2023-02-01" };

  it("drafts a deal that saves as it is, with the date's own words and EV batteries proposed, not Semiconductors", () => {
    const result = extractArticle(input, demoGazetteer(root));
    const { draft, evidence, newAreas } = result;
    expect(draft.parties).toEqual([
      { company: "Panasonic Energy", role: "customer" },
      { company: "Sila Nanotechnologies", role: "supplier" },
    ]);
    expect(draft.types[0]).toBe("commercial_agreement");
    expect(draft.announcedOn).toBe("2023-01-31");
    expect(evidence.announcedOn?.snippet).toBe("said Tuesday");
    expect(draft.technologies).not.toContain("Semiconductors");
    expect(newAreas.map((area) => area.name)).toEqual(["EV batteries"]);
    expect(text.slice(newAreas[0]!.evidence.start, newAreas[0]!.evidence.end)).toBe(
      newAreas[0]!.evidence.snippet,
    );
    expect(draft.sources).toEqual([
      expect.objectContaining({ url: null, publisher: "Pasted text", publishedOn: "2023-02-01" }),
    ]);
    expect(draft.quotes.map((q) => q.speakerCompany)).toEqual(["Panasonic Energy", "Sila Nanotechnologies"]);
    const saved = dealInput.safeParse({ ...draft, technologies: ["EV batteries"] });
    expect(saved.success, JSON.stringify(saved.error?.issues)).toBe(true);
  });

  it("drafts the same deal the second time, when both companies are in the directory", () => {
    const gazetteer = demoGazetteer(root);
    const first = extractArticle(input, gazetteer);
    const known = {
      ...gazetteer,
      companies: [
        ...gazetteer.companies,
        { slug: "panasonic-energy", name: "Panasonic Energy", aliases: [] },
        { slug: "sila-nanotechnologies", name: "Sila Nanotechnologies", aliases: [] },
      ],
    };
    const second = extractArticle(input, known);
    expect(second.draft).toEqual(first.draft);
    expect(second.companies.map((c) => c.match?.slug)).toEqual(["panasonic-energy", "sila-nanotechnologies"]);
  });

  it("proposes no area the directory already has", () => {
    const gazetteer = demoGazetteer(root);
    const withArea = {
      ...gazetteer,
      technologies: [...gazetteer.technologies, { slug: "ev-batteries", name: "EV batteries" }],
    };
    const { draft, newAreas } = extractArticle(input, withArea);
    expect(newAreas).toEqual([]);
    expect(draft.technologies).toEqual(["EV batteries"]);
  });
});

// Issue 21: an article that names no kind of deal still drafts a type, and says it is a guess.
describe("an article that names no kind of deal", () => {
  it("drafts two companies acting together as partners, with a warning to check", () => {
    const text =
      "Anthropic, Google, Microsoft and OpenAI said on Wednesday they had formed the Frontier Model Forum, an industry body meant to promote safe AI models.";
    const result = extractArticle({ text }, demoGazetteer(root));
    expect(result.draft.types).toEqual(["strategic_partnership"]);
    expect(result.warnings).toContain("The article names no kind of deal; check the type.");
  });
});
