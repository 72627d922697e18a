import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { isNull } from "drizzle-orm";
import { newsItems, newsSources } from "@/db/schema";
import { processPendingItems } from "@/server/news/process";
import { testDb } from "./db";
import { newsDevItems, storedItem } from "./news-items";

// Processing stored feed items when one of them cannot be read in time: the others go on.

beforeAll(async () => {
  const db = testDb();
  await db.write(async (tx) => {
    const [source] = await tx
      .insert(newsSources)
      .values({ name: "Fixture wire", url: "https://news.example/wire.json", nextFetchAt: new Date() })
      .returning({ id: newsSources.id });
    for (const f of newsDevItems.slice(0, 3)) await tx.insert(newsItems).values(storedItem(f, source!.id));
  });
});

afterEach(() => {
  delete process.env.EXTRACT_TIME_LIMIT_MS;
});

const unprocessed = async () =>
  (await testDb().select({ id: newsItems.id }).from(newsItems).where(isNull(newsItems.processedAt))).length;

describe("processPendingItems with items that cannot be read", () => {
  it("goes on past an item whose reading is stopped, and tries it again on the next run", async () => {
    // Every reading is stopped at once: a run must end without error, leaving the items to retry.
    process.env.EXTRACT_TIME_LIMIT_MS = "1";
    expect(await processPendingItems()).toEqual({ processed: 0, candidates: 0 });
    expect(await unprocessed()).toBe(3);
    delete process.env.EXTRACT_TIME_LIMIT_MS;
    expect((await processPendingItems()).processed).toBe(3);
    expect(await unprocessed()).toBe(0);
  }, 60_000);
});
