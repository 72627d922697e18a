import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { newsItems, newsSources } from "@/db/schema";
import { extractWorkerCount } from "@/server/extract-pool";
import { processPendingItems } from "@/server/news/process";
import { testDb } from "./db";
import { newsDevItems, storedItem } from "./news-items";

// Processing feed items must leave the server answering requests (issue 22: GET /api/deals p95
// within 20% of idle while 1,000 items are processed): the items are read in a low-priority
// background worker, and the readings are stored a batch per transaction (a commit waits for the
// disk on the thread that answers requests).

beforeAll(async () => {
  await testDb().write(async (tx) => {
    const [source] = await tx
      .insert(newsSources)
      .values({ name: "Fixture wire", url: "https://news.example/wire.json", nextFetchAt: new Date() })
      .returning({ id: newsSources.id });
    for (const f of newsDevItems) await tx.insert(newsItems).values(storedItem(f, source!.id));
  });
});

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
const threadNiceness = () =>
  fs.readdirSync("/proc/self/task").map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });

describe("processPendingItems and the requests meanwhile", () => {
  it("stores the readings a batch per transaction, not one commit per item", async () => {
    const db = testDb();
    const before = await db.dataVersion();
    const { processed } = await processPendingItems();
    expect(processed).toBe(newsDevItems.length);
    // Every committed transaction that changed rows moves the version once: one per a dozen items or so.
    expect((await db.dataVersion()) - before).toBeLessThan(processed / 4);
  }, 120_000);

  // Per-thread priority is a Linux feature (elsewhere the worker keeps the server's priority).
  it.skipIf(!fs.existsSync("/proc/thread-self"))(
    "reads them in a worker of its own at the lowest priority, apart from the drafts' workers",
    () => {
      expect(extractWorkerCount("background")).toBe(1);
      expect(extractWorkerCount()).toBe(0);
      expect(threadNiceness()).toContain(19);
    },
  );
});
