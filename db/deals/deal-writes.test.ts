import { PUBLIC_VIEWER } from "../accounts/visibility";
import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, tableCounts, testDb, unique } from "@/test/db";
import { ConflictError, InputError, NotFoundError } from "../core/errors";
import { createCompany, createTechnology, searchCompanies } from "../directory/directory";
import { createDeal, deleteDeal, restoreDeal, updateDeal } from "./deal-writes";
import { findCompanyId } from "../directory/lookups";
import { getDeal, getDealDetail, listDeals } from "./deals";
import { getDb } from "../core/index";
import { companyInput, dealFields, dealInput } from "../../lib/validation";
import { defaultFilters } from "@/lib/filters";
import { eq } from "drizzle-orm";
import { deals, revisions } from "../schema";

const actor = { actor: "test" };

beforeAll(() => {
  testDb();
});

describe("companies and aliases", () => {
  it("resolves aliases and ignores case, punctuation and legal suffixes", async () => {
    const name = unique("Telecom Nova");
    const company = await createCompany(companyInput.parse({ name, aliases: [`TN-${name}`] }));
    expect(await findCompanyId(testDb(), `${name.toUpperCase()} Co., Ltd.`)).toBe(company.id);
    expect(await findCompanyId(testDb(), `tn ${name}`)).toBe(company.id);
    expect(await findCompanyId(testDb(), company.slug)).toBe(company.id);
  });

  it("never creates the same company twice under two spellings", async () => {
    const name = unique("Orbital Systems");
    await createCompany(companyInput.parse({ name, aliases: ["OSX"] }));
    const before = (await tableCounts()).companies;
    const deal = await createDeal(
      dealFixture({
        parties: [
          { company: `${name} Inc.`, role: "partner" },
          { company: unique("Other"), role: "partner" },
        ],
      }),
      actor,
    );
    expect((await tableCounts()).companies).toBe(before! + 1);
    expect(deal.parties[0]!.company.name).toBe(name);
    await expect(createCompany(companyInput.parse({ name: `${name.toLowerCase()} plc` }))).rejects.toThrow(
      InputError,
    );
  });

  it("refuses an alias that already names another company", async () => {
    const first = await createCompany(companyInput.parse({ name: unique("First") }));
    try {
      await createCompany(companyInput.parse({ name: unique("Second"), aliases: [first.name] }));
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).fieldErrors["aliases.0"]?.[0]).toMatch(/already names/);
    }
  });

  it("finds companies by alias in type-ahead search", async () => {
    const name = unique("Quasar Mobile");
    await createCompany(companyInput.parse({ name, aliases: [`QMX ${process.pid}`] }));
    const { items } = await searchCompanies({ q: `qmx ${process.pid}` });
    expect(items.map((c) => c.name)).toContain(name);
  });

  it("refuses a duplicate technology area, whatever its case", async () => {
    const name = unique("Photonics");
    await createTechnology(name);
    await expect(createTechnology(name.toUpperCase())).rejects.toThrow(InputError);
  });
});

describe("deals", () => {
  it("stores every part and writes a create revision", async () => {
    const input = dealFixture({
      types: ["mou", "strategic_partnership", "mou"],
      value: { amount: "1250000.50", currency: "usd" },
      quotes: [{ text: "A quote", speaker: "Jane Doe", speakerTitle: "CEO", speakerCompany: "Alpha" }],
      technologies: ["5G", "ai", "AI"],
    });
    const deal = await createDeal(input, actor);
    expect(deal).toMatchObject({
      version: 1,
      types: ["mou", "strategic_partnership"],
      value: { amount: "1250000.50", currency: "USD" },
      quotes: [{ text: "A quote", speaker: "Jane Doe", speakerTitle: "CEO", speakerCompany: "Alpha" }],
    });
    expect(deal.technologies.map((t) => t.name)).toEqual(["5G", "ai"]);
    const detail = (await getDealDetail(deal.id, PUBLIC_VIEWER))!;
    expect(detail.revisions).toHaveLength(1);
    expect(detail.revisions[0]).toMatchObject({ action: "create", actor: "test", version: 1 });
    expect(detail.statusHistory).toEqual([
      expect.objectContaining({ status: "announced", effectiveOn: "2024-03-15" }),
    ]);
  });

  it("refuses two parties that are one company under different names, and saves nothing", async () => {
    const name = unique("Helix Networks");
    await createCompany(companyInput.parse({ name, aliases: [`HLX ${process.pid}`] }));
    const before = await tableCounts();
    const input = dealFixture({
      parties: [
        { company: unique("Brand New Partner"), role: "partner" },
        { company: name, role: "partner" },
        { company: `HLX ${process.pid}`, role: "partner" },
      ],
    });
    await expect(createDeal(input, actor)).rejects.toThrow(InputError);
    try {
      await createDeal(input, actor);
    } catch (error) {
      expect(Object.keys((error as InputError).fieldErrors)).toEqual(["parties.2.company"]);
    }
    // The brand-new company created before the clash was rolled back with everything else.
    expect(await tableCounts()).toEqual(before);
  });

  it("leaves nothing behind when a write fails half-way", async () => {
    const before = await tableCounts();
    await expect(createDeal(dealFixture({ expandsDealId: 999_999 }), actor)).rejects.toThrow(InputError);
    expect(await tableCounts()).toEqual(before);
  });

  it("updates with the current version, records what changed, and refuses a stale version", async () => {
    const deal = await createDeal(dealFixture(), actor);
    const edited = dealInput.parse({ ...dealFixture(), title: `${deal.title} (edited)`, status: "active" });
    const updated = await updateDeal(deal.id, edited, 1, actor);
    expect(updated.version).toBe(2);
    const detail = (await getDealDetail(deal.id, PUBLIC_VIEWER))!;
    expect(detail.revisions[0]).toMatchObject({ action: "update", version: 2 });
    expect(detail.revisions[0]!.changedFields).toEqual(
      expect.arrayContaining(["title", "status", "parties"]),
    );
    expect((detail.revisions[0]!.before as { title: string }).title).toBe(deal.title);
    expect(detail.statusHistory.map((s) => s.status)).toEqual(["announced", "active"]);

    const before = await tableCounts();
    await expect(updateDeal(deal.id, edited, 1, actor)).rejects.toThrow(ConflictError);
    expect(await tableCounts()).toEqual(before);
    expect((await getDeal(deal.id))!.version).toBe(2);
  });

  it("lists a deal's fields in the input's order: in the record and in a revision's changed fields", async () => {
    const deal = await createDeal(dealFixture(), actor);
    // The input's fields as declared, less statusOn, which a deal does not keep.
    const fields = Object.keys(dealFields.shape).filter((key) => key !== "statusOn");
    expect(Object.keys(deal)).toEqual([
      "id",
      "version",
      ...fields,
      "demo",
      "createdAt",
      "updatedAt",
      "deletedAt",
    ]);
    const edited = dealInput.parse({
      ...dealFixture(),
      summary: "Changed",
      status: "active",
      title: "Changed",
    });
    await updateDeal(deal.id, edited, 1, actor);
    // The snapshots' own key order is the engine's (PostgreSQL's jsonb sorts keys); the list is ours.
    const [update] = (await getDealDetail(deal.id, PUBLIC_VIEWER))!.revisions;
    expect(update!.changedFields).toEqual(["title", "status", "summary", "parties"]);
  });

  it("does not bump the version when a save changes nothing", async () => {
    const input = dealFixture();
    const deal = await createDeal(input, actor);
    const same = await updateDeal(deal.id, input, 1, actor);
    expect(same.version).toBe(1);
    expect((await getDealDetail(deal.id, PUBLIC_VIEWER))!.revisions).toHaveLength(1);
  });

  it("soft-deletes and restores, with a revision for each", async () => {
    const deal = await createDeal(dealFixture(), actor);
    const filters = { ...defaultFilters, q: deal.title };
    expect((await listDeals(filters)).total).toBe(1);
    await deleteDeal(deal.id, actor);
    expect(await getDeal(deal.id)).toBeUndefined();
    expect((await listDeals(filters)).total).toBe(0);
    await expect(deleteDeal(deal.id, actor)).rejects.toThrow(NotFoundError);
    const restored = await restoreDeal(deal.id, actor);
    expect(restored).toMatchObject({ version: 3, deletedAt: null });
    expect((await listDeals(filters)).total).toBe(1);
    expect((await getDealDetail(deal.id, PUBLIC_VIEWER))!.revisions.map((r) => r.action)).toEqual([
      "restore",
      "delete",
      "create",
    ]);
  });

  it("links a deal to the earlier deal it expands", async () => {
    const earlier = await createDeal(dealFixture(), actor);
    const later = await createDeal(dealFixture({ expandsDealId: earlier.id }), actor);
    expect((await getDealDetail(later.id, PUBLIC_VIEWER))!.expands?.id).toBe(earlier.id);
    expect((await getDealDetail(earlier.id, PUBLIC_VIEWER))!.expandedBy.map((d) => d.id)).toEqual([later.id]);
    const selfLink = dealInput.parse({ ...dealFixture(), expandsDealId: later.id });
    await expect(updateDeal(later.id, selfLink, later.version, actor)).rejects.toThrow(InputError);
  });

  it("lets exactly one of 8 parallel saves at one version through; the others conflict", async () => {
    const deal = await createDeal(dealFixture(), actor);
    const saves = Array.from({ length: 8 }, (_, i) =>
      updateDeal(deal.id, dealInput.parse({ ...dealFixture(), title: `${deal.title} #${i}` }), 1, actor),
    );
    const results = await Promise.allSettled(saves);
    const saved = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(saved).toHaveLength(1);
    expect(refused).toHaveLength(7);
    for (const error of refused) expect(error).toBeInstanceOf(ConflictError);
    const detail = (await getDealDetail(deal.id, PUBLIC_VIEWER))!;
    expect(detail.version).toBe(2);
    expect(detail.revisions.map((r) => r.action)).toEqual(["update", "create"]);
  });

  it("rolls back a deal, its parties and its revision when the transaction throws after them", async () => {
    const before = await tableCounts();
    await expect(
      getDb().write(async (tx) => {
        const deal = await createDeal(dealFixture({ technologies: [unique("Area")] }), actor);
        const [row] = await tx.select({ id: deals.id }).from(deals).where(eq(deals.id, deal.id));
        expect(row?.id).toBe(deal.id); // written inside the transaction…
        throw new Error("half-way");
      }),
    ).rejects.toThrow("half-way");
    expect(await tableCounts()).toEqual(before); // …and gone with it
  });
});

describe("revision ids", () => {
  it("become visible in id order, so watermarks never skip one (concurrent writers take turns)", async () => {
    testDb();
    const finished: string[] = [];
    // A writer that saves a deal, then keeps its transaction open a while…
    const slow = getDb().write(async () => {
      const deal = await createDeal(dealFixture(), { actor: "slow" });
      await new Promise((r) => setTimeout(r, 300));
      finished.push("slow");
      return deal;
    });
    await new Promise((r) => setTimeout(r, 50));
    // …and one that starts later and is quick.
    const quick = createDeal(dealFixture(), { actor: "quick" }).then((deal) => {
      finished.push("quick");
      return deal;
    });
    const [a, b] = await Promise.all([slow, quick]);
    const revisionOf = async (dealId: number) =>
      (await getDb().select({ id: revisions.id }).from(revisions).where(eq(revisions.dealId, dealId)))[0]!.id;
    expect(finished).toEqual(["slow", "quick"]);
    expect(await revisionOf(a.id)).toBeLessThan(await revisionOf(b.id));
  });
});
