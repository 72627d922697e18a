import { and, eq, notInArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApiToken, setUserActive, setUserRole } from "@/db/accounts/auth";
import { isPg } from "@/db/core/dialect";
import { writeOnce } from "@/db/core/idempotency";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import { InputError } from "@/db/core/errors";
import { apiTokens, users } from "@/db/schema";
import { claimDueDeliveries, createWebhook, sendTestEvent } from "@/db/follow/webhooks";
import { createUserAccount } from "@/server/auth/principal";
import { testDb, unique } from "./db";

// Read-then-write rules that must hold under concurrent transactions: on SQLite writes are serial,
// on PostgreSQL these run at the same time on separate connections (locks make them hold).

const admin = async () =>
  createUserAccount({
    name: unique("Admin"),
    email: `${unique("a").replace(/\W/g, "")}@example.org`,
    password: "password for tests",
    role: "admin",
  });

describe("concurrent account changes", () => {
  it("two admins demoting each other at once leave one active admin", async () => {
    testDb();
    const [a, b] = [await admin(), await admin()];
    // Every other admin steps down first, so a and b are the last two.
    await testDb().write((tx) =>
      tx
        .update(users)
        .set({ role: "editor" })
        .where(and(eq(users.role, "admin"), notInArray(users.id, [a.id, b.id]))),
    );
    const outcomes = await Promise.allSettled([setUserRole(a.id, "viewer"), setUserActive(b.id, false)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InputError);
  });
});

describe("webhook claims", () => {
  it("two workers claiming at once never get the same delivery", async () => {
    testDb();
    const { id } = await createWebhook(
      { url: "https://93.184.215.14/claims", events: ["deal.created"] },
      null,
    );
    for (let i = 0; i < 10; i++) await sendTestEvent(id, "test");
    const now = new Date(Date.now() + 1000);
    const [first, second] = await Promise.all([
      claimDueDeliveries(now, 60_000, 20),
      claimDueDeliveries(now, 60_000, 20),
    ]);
    const ids = [...first, ...second].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    // Leased: not due again until the lease runs out.
    expect(await claimDueDeliveries(now, 60_000, 20)).toEqual([]);
  });
});

describe("idempotency keys", () => {
  it("concurrent writes with one key write once; the others replay the first answer", async () => {
    testDb();
    const name = unique("once");
    const scope = { principal: "token:race", key: unique("k"), endpoint: "POST /x", requestHash: "h" };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        writeOnce(
          scope,
          () => createApiToken({ name, role: "viewer" }),
          (token) => ({ status: 201, body: JSON.stringify({ id: token.id }), location: null }),
        ),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => JSON.stringify(r.stored))).size).toBe(1);
    expect(await testDb().$count(apiTokens, eq(apiTokens.name, name))).toBe(1);
  });
});

describe.runIf(isPg)("unwritable PostgreSQL", () => {
  it("a read-only transaction is the same 503 message as a read-only SQLite file", async () => {
    const refused = await testDb()
      .write(async (tx) => {
        await tx.execute(sql`SET TRANSACTION READ ONLY`);
        await tx
          .insert(apiTokens)
          .values({ name: "x", role: "viewer", tokenHash: unique("h"), prefix: "pat_x" });
      })
      .catch((error: unknown) => error);
    expect(unwritableDatabaseMessage(refused)).toMatch(
      /^The database cannot be written: the database is read-only \(SQLSTATE 25006\)\. Reading still works/,
    );
  });
});
