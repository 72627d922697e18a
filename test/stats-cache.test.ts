import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "@/db/core/connection";
import { memoStats } from "@/db/stats/stats-cache";
import { testDb } from "./db";

// The dashboard cache is keyed on the database's change counter, so a write through any app server
// on the same database (here: a second handle, as a second process would open) invalidates it.

describe("stats cache", () => {
  it("computes once for concurrent cold requests of one key", async () => {
    testDb();
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { n: computed };
    };
    const [a, b] = await Promise.all([memoStats("cold", compute), memoStats("cold", compute)]);
    expect(computed).toBe(1);
    expect(a).toBe(b);
    expect(await memoStats("cold", compute)).toBe(a);
  });

  it("recomputes after a write through another handle on the same database", async () => {
    const db = testDb();
    let computed = 0;
    const compute = () => ++computed;
    expect(await memoStats("other-server", compute)).toBe(1);
    expect(await memoStats("other-server", compute)).toBe(1);
    const internals = db.internals;
    const other = openDatabase(internals.engine === "pg" ? internals.url : internals.file);
    try {
      // A write that changes nothing keeps the answer…
      await other.write(async (tx) => {
        await tx.execute(sql`SELECT 1`);
      });
      expect(await memoStats("other-server", compute)).toBe(1);
      // …one that changes a row, through another handle (another app server), does not.
      await other.write(async (tx) => {
        await tx.execute(
          sql`INSERT INTO app_settings (key, value) VALUES ('stats-cache-test', 'x') ON CONFLICT (key) DO UPDATE SET value = excluded.value || 'x'`,
        );
      });
    } finally {
      await other.close();
    }
    expect(await memoStats("other-server", compute)).toBe(2);
  });

  it("forgets a failed computation, so the next request retries", async () => {
    testDb();
    await expect(
      memoStats("failing", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await memoStats("failing", () => "fine")).toBe("fine");
  });
});

describe("warm-up at start", () => {
  it("leaves the unfiltered dashboard's answers in the cache the page and the API read", async () => {
    testDb();
    const { warmDashboard } = await import("@/server/widgets");
    const { DASHBOARD_WIDGETS, widgetSearch } = await import("@/lib/widgets");
    const { dealFilters } = await import("@/lib/filters");
    await warmDashboard();
    const filters = dealFilters.parse({});
    for (const name of DASHBOARD_WIDGETS) {
      // Cached: the compute function below is never called.
      const answer = await memoStats(`${name}${widgetSearch(name, filters)}`, () => {
        throw new Error(`${name} was not warmed`);
      });
      expect(answer).toBeTruthy();
    }
  });
});
