import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { mergeCompanies, updateCompany } from "@/db/directory/companies";
import { dismissDuplicate, listDuplicates, probableDuplicatesOf } from "@/db/directory/duplicates";
import { ConflictError, InputError, RefusedError } from "@/db/core/errors";
import { dealsWithParties } from "@/db/deals/extract";
import { undoMerge } from "@/db/directory/merges";
import { lockRows, makesCycle, resolveSlug } from "@/db/directory/records";
import { createDeal } from "@/db/deals/deal-writes";
import { createCompany } from "@/db/directory/directory";
import { companies, companySlugs, dealParties, deals } from "@/db/schema";
import { companyKey } from "@/lib/names";
import { dealFixture, testDb, unique } from "./db";

// What PostgreSQL needs its own proof of: concurrent merges, undos and edits give one success and
// one refusal, as SQLite's one-at-a-time writes do; an undone merge leaves the id sequence ahead;
// and the SQL of lookups, locks and duplicate finding reads the same on both engines.

beforeAll(() => {
  testDb();
});

const company = async (name = unique("Conc Co")) =>
  createCompany({ name, aliases: [], country: null, sector: null, website: null, parent: null });

/** Companies inserted with the query builder only, so these cases depend on nothing else. */
async function insertCompanies(names: string[], parentOf: (i: number) => number | null = () => null) {
  const ids: number[] = [];
  for (const [i, name] of names.entries()) {
    const [row] = await testDb().write((tx) =>
      tx
        .insert(companies)
        .values({
          name,
          nameKey: companyKey(name),
          slug: unique("slug").replace(/\W/g, "-").toLowerCase(),
          parentId: parentOf(i) === null ? null : ids[parentOf(i)!]!,
        })
        .returning({ id: companies.id, slug: companies.slug }),
    );
    ids.push(row!.id);
  }
  return ids;
}

describe("concurrent writes", () => {
  it("two merges of the same company at once: one merges, the other is refused", async () => {
    const [a, b, c] = [await company(), await company(), await company()];
    await createDeal(dealFixture({ parties: [{ company: a.name }, { company: c.name }] }), { actor: "t" });
    const results = await Promise.allSettled([
      mergeCompanies(a.slug, b.slug, "t"),
      mergeCompanies(a.slug, b.slug, "t"),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failed] = results.filter((r) => r.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(InputError);
  });

  it("two edits at the same version: one saves, the other is a conflict", async () => {
    const a = await company();
    const results = await Promise.allSettled([
      updateCompany(
        a.slug,
        { version: a.version, name: unique("First"), keepOldName: false, changeSlug: false },
        "t",
      ),
      updateCompany(
        a.slug,
        { version: a.version, name: unique("Second"), keepOldName: false, changeSlug: false },
        "t",
      ),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failed] = results.filter((r) => r.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
  });

  it("two undos of one merge: one restores, the other is refused; new ids still come after", async () => {
    const [a, b] = [await company(), await company()];
    const { mergeId } = await mergeCompanies(a.slug, b.slug, "t");
    const results = await Promise.allSettled([undoMerge(mergeId, "t"), undoMerge(mergeId, "t")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failed] = results.filter((r) => r.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(RefusedError);
    // The merged company came back under its old id; the next one gets a new, larger id.
    expect((await resolveSlug("company", a.slug))?.id).toBe(a.id);
    const next = await company();
    expect(next.id).toBeGreaterThan(Math.max(a.id, b.id));
  });
});

describe("lookups, locks and duplicates in SQL both engines read", () => {
  it("finds a record by a slug it had before, with its current slug to redirect to", async () => {
    const [id] = await insertCompanies([unique("Slugged")]);
    const [row] = await testDb()
      .select({ slug: companies.slug })
      .from(companies)
      .where(sql`id = ${id}`);
    const old = unique("old slug").replace(/\W/g, "-").toLowerCase();
    await testDb().write((tx) => tx.insert(companySlugs).values({ slug: old, companyId: id! }));
    expect(await resolveSlug("company", row!.slug)).toEqual({ id, slug: row!.slug, redirect: null });
    expect(await resolveSlug("company", old)).toEqual({ id, slug: row!.slug, redirect: row!.slug });
    expect(await resolveSlug("company", "no-such-slug-anywhere")).toBeUndefined();
  });

  it("sees a parent cycle in one query up the ancestry", async () => {
    // root ← mid ← leaf
    const [root, mid, leaf] = await insertCompanies([unique("Root"), unique("Mid"), unique("Leaf")], (i) =>
      i === 0 ? null : i - 1,
    );
    const db = testDb();
    expect(await makesCycle(db, "company", root!, leaf!)).toBe(true);
    expect(await makesCycle(db, "company", root!, mid!)).toBe(true);
    expect(await makesCycle(db, "company", leaf!, root!)).toBe(false);
  });

  it("locks rows so a second write waits for the first", async () => {
    const [id] = await insertCompanies([unique("Locked")]);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const firstLocked = new Promise<void>((resolve) => (locked = resolve));
    const first = testDb().write(async (tx) => {
      await lockRows(tx, "company", [id!]);
      order.push("first locked");
      locked();
      await held;
      order.push("first done");
    });
    // Start the second only once the first holds the lock (a fixed pause lost that race under load).
    await firstLocked;
    const second = testDb().write(async (tx) => {
      await lockRows(tx, "company", [id!]);
      order.push("second locked");
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual(["first locked"]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first locked", "first done", "second locked"]);
  });

  it("finds likely duplicates (web addresses in any case) and forgets dismissed pairs", async () => {
    const tag = unique("Dupe").replace(/\W/g, "");
    const [x, y] = await insertCompanies([`${tag} Electronic`, `${tag} Electronics`]);
    await testDb().write((tx) =>
      tx
        .update(companies)
        .set({ website: `https://WWW.${tag}.example/` })
        .where(sql`id = ${x}`),
    );
    const pair = (await listDuplicates({ limit: 500 })).find((p) => p.a.id === x && p.b.id === y);
    expect(pair?.reasons.map((r) => r.code)).toEqual(["close-spelling"]);
    const probable = await probableDuplicatesOf({
      name: unique("Unrelated"),
      website: `https://${tag}.example`,
    });
    expect(probable.map((p) => p.company.id)).toEqual([x]);
    const [slugX] = await testDb()
      .select({ slug: companies.slug })
      .from(companies)
      .where(sql`id = ${x}`);
    const [slugY] = await testDb()
      .select({ slug: companies.slug })
      .from(companies)
      .where(sql`id = ${y}`);
    await dismissDuplicate(slugX!.slug, slugY!.slug);
    await dismissDuplicate(slugY!.slug, slugX!.slug); // again: stored once
    expect((await listDuplicates({ limit: 500 })).some((p) => p.a.id === x && p.b.id === y)).toBe(false);
    await expect(dismissDuplicate(slugX!.slug, slugX!.slug)).rejects.toThrow(InputError);
  });

  it("lists live deals two of the given companies are parties to", async () => {
    const [p, q, r] = await insertCompanies([unique("Party P"), unique("Party Q"), unique("Party R")]);
    const slugs = await testDb()
      .select({ id: companies.id, slug: companies.slug })
      .from(companies)
      .where(sql`id IN (${p}, ${q}, ${r})`);
    const slugOf = (id: number) => slugs.find((s) => s.id === id)!.slug;
    const [deal] = await testDb().write(async (tx) => {
      const inserted = await tx
        .insert(deals)
        .values({
          title: unique("PQ deal"),
          announcedOn: "2024-05-01",
          datePrecision: "day",
          binding: "non_binding",
          status: "announced",
        })
        .returning({ id: deals.id });
      await tx.insert(dealParties).values([
        { dealId: inserted[0]!.id, companyId: p!, role: "partner", position: 0 },
        { dealId: inserted[0]!.id, companyId: q!, role: "partner", position: 1 },
      ]);
      return inserted;
    });
    const found = await dealsWithParties([slugOf(p!), slugOf(q!), slugOf(r!)], PUBLIC_VIEWER);
    expect(found.map((d) => d.id)).toEqual([deal!.id]);
    expect(found[0]!.partySlugs.sort()).toEqual([slugOf(p!), slugOf(q!)].sort());
    expect(await dealsWithParties([slugOf(p!), slugOf(r!)], PUBLIC_VIEWER)).toEqual([]);
  });
});
