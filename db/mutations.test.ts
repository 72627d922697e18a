import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, tableCounts, testDb, unique } from "@/test/db";
import { ConflictError, InputError, NotFoundError } from "./errors";
import {
  createCompany,
  createDeal,
  createTechnology,
  deleteDeal,
  restoreDeal,
  updateDeal,
} from "./mutations";
import { findCompanyId, getDeal, getDealDetail, listDeals, searchCompanies } from "./queries";
import { companyInput, dealInput } from "./validation";
import { defaultFilters } from "@/lib/filters";

const actor = { actor: "test" };

beforeAll(() => {
  testDb();
});

describe("companies and aliases", () => {
  it("resolves aliases and ignores case, punctuation and legal suffixes", () => {
    const name = unique("Telecom Nova");
    const company = createCompany(companyInput.parse({ name, aliases: [`TN-${name}`] }));
    expect(findCompanyId(testDb(), `${name.toUpperCase()} Co., Ltd.`)).toBe(company.id);
    expect(findCompanyId(testDb(), `tn ${name}`)).toBe(company.id);
    expect(findCompanyId(testDb(), company.slug)).toBe(company.id);
  });

  it("never creates the same company twice under two spellings", () => {
    const name = unique("Orbital Systems");
    createCompany(companyInput.parse({ name, aliases: ["OSX"] }));
    const before = tableCounts().companies;
    const deal = createDeal(
      dealFixture({
        parties: [
          { company: `${name} Inc.`, role: "partner" },
          { company: unique("Other"), role: "partner" },
        ],
      }),
      actor,
    );
    expect(tableCounts().companies).toBe(before! + 1);
    expect(deal.parties[0]!.company.name).toBe(name);
    expect(() => createCompany(companyInput.parse({ name: `${name.toLowerCase()} plc` }))).toThrow(
      InputError,
    );
  });

  it("refuses an alias that already names another company", () => {
    const first = createCompany(companyInput.parse({ name: unique("First") }));
    try {
      createCompany(companyInput.parse({ name: unique("Second"), aliases: [first.name] }));
      expect.unreachable();
    } catch (error) {
      expect((error as InputError).fieldErrors["aliases.0"]?.[0]).toMatch(/already names/);
    }
  });

  it("finds companies by alias in type-ahead search", () => {
    const name = unique("Quasar Mobile");
    createCompany(companyInput.parse({ name, aliases: [`QMX ${process.pid}`] }));
    const { items } = searchCompanies({ q: `qmx ${process.pid}` });
    expect(items.map((c) => c.name)).toContain(name);
  });

  it("refuses a duplicate technology area, whatever its case", () => {
    const name = unique("Photonics");
    createTechnology(name);
    expect(() => createTechnology(name.toUpperCase())).toThrow(InputError);
  });
});

describe("deals", () => {
  it("stores every part and writes a create revision", () => {
    const input = dealFixture({
      types: ["mou", "strategic_partnership", "mou"],
      value: { amount: "1250000.50", currency: "usd" },
      quotes: [{ text: "A quote", speaker: "Jane Doe", speakerTitle: "CEO", speakerCompany: "Alpha" }],
      technologies: ["5G", "ai", "AI"],
    });
    const deal = createDeal(input, actor);
    expect(deal).toMatchObject({
      version: 1,
      types: ["mou", "strategic_partnership"],
      value: { amount: "1250000.50", currency: "USD" },
      quotes: [{ text: "A quote", speaker: "Jane Doe", speakerTitle: "CEO", speakerCompany: "Alpha" }],
    });
    expect(deal.technologies.map((t) => t.name)).toEqual(["5G", "ai"]);
    const detail = getDealDetail(deal.id)!;
    expect(detail.revisions).toHaveLength(1);
    expect(detail.revisions[0]).toMatchObject({ action: "create", actor: "test", version: 1 });
    expect(detail.statusHistory).toEqual([
      expect.objectContaining({ status: "announced", effectiveOn: "2024-03-15" }),
    ]);
  });

  it("refuses two parties that are one company under different names, and saves nothing", () => {
    const name = unique("Helix Networks");
    createCompany(companyInput.parse({ name, aliases: [`HLX ${process.pid}`] }));
    const before = tableCounts();
    const input = dealFixture({
      parties: [
        { company: unique("Brand New Partner"), role: "partner" },
        { company: name, role: "partner" },
        { company: `HLX ${process.pid}`, role: "partner" },
      ],
    });
    expect(() => createDeal(input, actor)).toThrow(InputError);
    try {
      createDeal(input, actor);
    } catch (error) {
      expect(Object.keys((error as InputError).fieldErrors)).toEqual(["parties.2.company"]);
    }
    // The brand-new company created before the clash was rolled back with everything else.
    expect(tableCounts()).toEqual(before);
  });

  it("leaves nothing behind when a write fails half-way", () => {
    const before = tableCounts();
    expect(() => createDeal(dealFixture({ expandsDealId: 999_999 }), actor)).toThrow(InputError);
    expect(tableCounts()).toEqual(before);
  });

  it("updates with the current version, records what changed, and refuses a stale version", () => {
    const deal = createDeal(dealFixture(), actor);
    const edited = dealInput.parse({ ...dealFixture(), title: `${deal.title} (edited)`, status: "active" });
    const updated = updateDeal(deal.id, edited, 1, actor);
    expect(updated.version).toBe(2);
    const detail = getDealDetail(deal.id)!;
    expect(detail.revisions[0]).toMatchObject({ action: "update", version: 2 });
    expect(detail.revisions[0]!.changedFields).toEqual(
      expect.arrayContaining(["title", "status", "parties"]),
    );
    expect((detail.revisions[0]!.before as { title: string }).title).toBe(deal.title);
    expect(detail.statusHistory.map((s) => s.status)).toEqual(["announced", "active"]);

    const before = tableCounts();
    expect(() => updateDeal(deal.id, edited, 1, actor)).toThrow(ConflictError);
    expect(tableCounts()).toEqual(before);
    expect(getDeal(deal.id)!.version).toBe(2);
  });

  it("does not bump the version when a save changes nothing", () => {
    const input = dealFixture();
    const deal = createDeal(input, actor);
    const same = updateDeal(deal.id, input, 1, actor);
    expect(same.version).toBe(1);
    expect(getDealDetail(deal.id)!.revisions).toHaveLength(1);
  });

  it("soft-deletes and restores, with a revision for each", () => {
    const deal = createDeal(dealFixture(), actor);
    const filters = { ...defaultFilters, q: deal.title };
    expect(listDeals(filters).total).toBe(1);
    deleteDeal(deal.id, actor);
    expect(getDeal(deal.id)).toBeUndefined();
    expect(listDeals(filters).total).toBe(0);
    expect(() => deleteDeal(deal.id, actor)).toThrow(NotFoundError);
    const restored = restoreDeal(deal.id, actor);
    expect(restored).toMatchObject({ version: 3, deletedAt: null });
    expect(listDeals(filters).total).toBe(1);
    expect(getDealDetail(deal.id)!.revisions.map((r) => r.action)).toEqual(["restore", "delete", "create"]);
  });

  it("links a deal to the earlier deal it expands", () => {
    const earlier = createDeal(dealFixture(), actor);
    const later = createDeal(dealFixture({ expandsDealId: earlier.id }), actor);
    expect(getDealDetail(later.id)!.expands?.id).toBe(earlier.id);
    expect(getDealDetail(earlier.id)!.expandedBy.map((d) => d.id)).toEqual([later.id]);
    const selfLink = dealInput.parse({ ...dealFixture(), expandsDealId: later.id });
    expect(() => updateDeal(later.id, selfLink, later.version, actor)).toThrow(InputError);
  });
});
