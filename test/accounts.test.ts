import { and, eq, notInArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createFirstOwner, setUserActive, setUserRole } from "@/db/auth";
import { InputError } from "@/db/errors";
import { users } from "@/db/schema";
import { claimDueDeliveries, createWebhook, sendTestEvent } from "@/db/webhooks";
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

  it("a first owner is created once however many submit at once", async () => {
    testDb();
    const owners = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        createFirstOwner({ name: `Owner ${i}`, email: `owner${i}@example.org`, passwordHash: "x" }),
      ),
    );
    // Users exist already (made above), so none is created here; the check ran in the write.
    expect(owners.every((o) => o === undefined)).toBe(true);
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
