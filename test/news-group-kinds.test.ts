import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { storeItemReading, type ItemReading } from "@/db/news/candidates";
import { candidates, newsItems, newsSources } from "@/db/schema";
import type { CandidateKind } from "@/lib/enums";
import { readNewsItem } from "@/lib/news/read-item";
import { testDb } from "./db";
import { itemKeys } from "./news-items";

// A deal and another outlet's write-up of it that reads as not a deal (its headline is the price, or
// the analysts' view) are one announcement: one candidate, a deal, led by the deal's draft, whichever
// of the two is stored first (lib/news/group.ts decides; this is the stored side).

const gazetteer = {
  companies: ["Sanofi", "Teva"].map((name) => ({ slug: name.toLowerCase(), name, aliases: [] })),
  technologies: [],
};
const DEAL = {
  title: "Sanofi to acquire Teva",
  content:
    "<p>Sanofi has signed a definitive agreement to acquire Teva, the generic drug maker, for $30 billion in cash, the companies said on Tuesday.</p>",
};
const WRITE_UP = {
  title: "Why Sanofi is paying 40 times sales for Teva",
  content:
    "<p>Sanofi agreed to acquire Teva for $30 billion in cash on Tuesday, a price analysts called rich for a generic drug maker.</p>",
};
let sourceId = 0;
let day = 0;

beforeAll(async () => {
  const [source] = await testDb().write((tx) =>
    tx
      .insert(newsSources)
      .values({ name: "Fixture press", url: "https://news.example/press.xml", nextFetchAt: new Date() })
      .returning({ id: newsSources.id }),
  );
  sourceId = source!.id;
});

/** Stores one item as the poller would, and its reading as the processor would, read as `kind`. */
async function store(item: { title: string; content: string }, kind: CandidateKind, published: Date) {
  const url = `https://news.example/${kind}-${published.getTime()}`;
  const [row] = await testDb().write((tx) =>
    tx
      .insert(newsItems)
      .values({ ...itemKeys(sourceId, url), publishedAt: published, ...item })
      .returning({ id: newsItems.id }),
  );
  const id = row!.id;
  const { article, result, reading } = readNewsItem({ ...item, url, publishedOn: null }, gazetteer);
  const input: ItemReading = {
    itemId: id,
    // The write-up's reading is what the classifier may answer for it; the test fixes it.
    reading: { ...reading, kind, score: kind === "deal" ? 70 : 90 },
    draft: {
      draft: result.draft,
      evidence: result.evidence,
      companies: result.companies,
      warnings: result.warnings,
      duplicates: [],
      article: { text: article.text, title: article.title ?? null, url },
      passage: reading.passage,
      change: null,
    },
    parties: result.draft.parties.map((p) => p.company),
    knownDealId: null,
  };
  await storeItemReading(input);
  return id;
}

async function candidateOf(itemId: number) {
  const [row] = await testDb()
    .select({ candidate: candidates })
    .from(newsItems)
    .innerJoin(candidates, eq(candidates.id, newsItems.candidateId))
    .where(eq(newsItems.id, itemId));
  return row!.candidate;
}

describe("a deal and a write-up of it read as not a deal", () => {
  for (const first of ["deal", "write-up"] as const)
    it(`become one deal candidate with both sources when the ${first} is stored first`, async () => {
      // Each case on its own dates, weeks apart, so the two cases do not group with each other.
      const at = new Date(Date.UTC(2024, 0, 1 + 30 * day++, 9));
      const later = new Date(at.getTime() + 5 * 3_600_000);
      let dealId: number;
      let writeUpId: number;
      if (first === "deal") {
        dealId = await store(DEAL, "deal", at);
        writeUpId = await store(WRITE_UP, "not_deal", later);
      } else {
        writeUpId = await store(WRITE_UP, "not_deal", at);
        dealId = await store(DEAL, "deal", later);
      }
      const candidate = await candidateOf(dealId);
      expect((await candidateOf(writeUpId)).id).toBe(candidate.id);
      expect(candidate.kind).toBe("deal");
      expect(candidate.reason).toMatch(/deal/i);
      const sources = (candidate.draft as { draft: { sources: { url: string }[] } }).draft.sources;
      expect(sources).toHaveLength(2);
    });
});
