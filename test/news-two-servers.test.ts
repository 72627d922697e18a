import { describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import { openDatabase, type Db } from "@/db/core/connection";
import { ENGINE } from "@/db/core/engine";
import { storeItemReading, type ItemReading } from "@/db/news/candidates";
import { candidates, newsItems, newsSources } from "@/db/schema";
import { testDb, unique } from "./db";

// Two app servers on one PostgreSQL database, each reading one report of the same announcement at
// the same moment: the second must join the first's candidate, not make a second one. SQLite has no
// such race (one writer at a time per file, and a second connection in this process would block the
// event loop on the file lock), so the case runs on PostgreSQL only.

async function twoReports() {
  const db = testDb();
  const title = unique("Acme and Globex sign a battery joint venture");
  const content = `${title}. Acme and Globex agreed to build a battery plant together in Ohio.`;
  // Two outlets, each its own source (as two servers would poll them).
  const sources = await db.write((tx) =>
    tx
      .insert(newsSources)
      .values(
        ["a", "b"].map((outlet) => ({
          name: unique(`Outlet ${outlet}`),
          url: `https://${outlet}.example/${unique("feed")}.xml`,
          nextFetchAt: new Date(),
        })),
      )
      .returning({ id: newsSources.id }),
  );
  const items = await db.write((tx) =>
    tx
      .insert(newsItems)
      .values(
        ["a", "b"].map((outlet, i) => ({
          sourceId: sources[i]!.id,
          guid: `https://${outlet}.example/${encodeURIComponent(title)}`,
          canonicalUrl: `https://${outlet}.example/${encodeURIComponent(title)}`,
          contentHash: `${outlet}-${title}`,
          title,
          url: `https://${outlet}.example/${encodeURIComponent(title)}`,
          publishedAt: new Date("2031-03-04T09:00:00Z"),
          content,
        })),
      )
      .returning({ id: newsItems.id }),
  );
  const reading = (itemId: number): ItemReading => ({
    itemId,
    reading: {
      kind: "deal",
      score: 80,
      reason: "A joint venture is announced",
      passage: content,
      change: null,
    },
    draft: { passage: content, change: null },
    parties: ["Acme", "Globex"],
    knownDealId: null,
  });
  return items.map((item) => reading(item.id));
}

/** Whether another session waits for a lock (read on A's pool, outside A's transaction). */
async function waitingForLock(db: Db): Promise<boolean> {
  const { rows } = await db.execute(sql`SELECT 1 FROM pg_locks WHERE NOT granted LIMIT 1`);
  return rows.length > 0;
}

describe("news readings on two app servers", () => {
  it.skipIf(ENGINE !== "pg")(
    "two reports of one announcement stored at once by two servers make one candidate",
    async () => {
      const [first, second] = await twoReports();
      const { internals } = testDb();
      const url = internals.engine === "pg" ? internals.url : "";
      const serverA = openDatabase(url);
      const serverB = openDatabase(url);
      let secondDoneWhileFirstOpen = true;
      try {
        let secondDone = false;
        let storingSecond: Promise<unknown> = Promise.resolve();
        // Server A's reading stays uncommitted while server B stores the other report: without
        // turns B finds no candidate and commits one of its own meanwhile.
        await serverA.write(async () => {
          await storeItemReading(first!, serverA);
          storingSecond = storeItemReading(second!, serverB).finally(() => (secondDone = true));
          // Until B has either finished or waits for a lock (a loaded machine may be slow to get there).
          for (let i = 0; i < 200 && !secondDone && !(await waitingForLock(serverA)); i++)
            await new Promise((resolve) => setTimeout(resolve, 50));
          secondDoneWhileFirstOpen = secondDone;
        });
        await storingSecond;
      } finally {
        await Promise.all([serverA.close(), serverB.close()]);
      }
      const rows = await testDb()
        .select({ candidateId: newsItems.candidateId })
        .from(newsItems)
        .where(
          inArray(
            newsItems.id,
            [first!, second!].map((r) => r.itemId),
          ),
        );
      const ids = new Set(rows.map((r) => r.candidateId));
      expect(ids.size).toBe(1);
      const [candidate] = await testDb()
        .select({ id: candidates.id })
        .from(candidates)
        .where(eq(candidates.id, [...ids][0]!));
      expect(candidate).toBeTruthy();
      // It waited for server A's reading to commit.
      expect(secondDoneWhileFirstOpen).toBe(false);
    },
  );
});
