import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { isNull } from "drizzle-orm";
import { newsItems, newsSources } from "@/db/schema";
import { processPendingItems } from "@/server/news/process";
import { testDb } from "./db";

// Processing stored feed items when one of them cannot be read in time: the others go on.

type Fixture = { title: string; link: string; published: string; html: string };
const fixtures: Fixture[] = JSON.parse(
  fs.readFileSync(new URL("./fixtures/news-dev/items.json", import.meta.url), "utf8"),
);

beforeAll(async () => {
  const db = testDb();
  await db.write(async (tx) => {
    const [source] = await tx
      .insert(newsSources)
      .values({ name: "Fixture wire", url: "https://news.example/wire.json", nextFetchAt: new Date() })
      .returning({ id: newsSources.id });
    for (const f of fixtures.slice(0, 3))
      await tx.insert(newsItems).values({
        sourceId: source!.id,
        guid: f.link,
        canonicalUrl: f.link,
        contentHash: createHash("sha256").update(f.html).digest("hex"),
        title: f.title,
        url: f.link,
        publishedAt: new Date(f.published),
        content: f.html,
      });
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
