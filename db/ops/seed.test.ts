import { PUBLIC_VIEWER } from "../accounts/visibility";
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/test/db";
import { defaultFilters } from "@/lib/filters";
import { groupConcat, isPg } from "../core/dialect";
import type { Tx } from "../core/connection";
import {
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  quotes,
  sources,
  statusHistory,
  technologies,
} from "../schema";
import { getDealDetail, listDeals } from "../deals/deals";
import { GENERATED_SOURCE, generateDemoDeals, isEmpty, seedRealDeals } from "./seed";
import shipped from "../demo/real-deals.json";

const all = { ...defaultFilters, pageSize: 500 };

beforeAll(async () => {
  const db = testDb();
  expect(await isEmpty(db)).toBe(true);
  expect(await seedRealDeals(db)).toEqual({ companies: 44, deals: 54 });
});

describe("the real demo data", () => {
  it("holds the Microsoft × SK Telecom MoU exactly as reported", async () => {
    const [mou] = (
      await listDeals({
        ...all,
        company: ["MSFT", "SKT"],
        type: ["mou"],
        from: "2019-05-13",
        to: "2019-05-13",
      })
    ).items;
    expect(mou).toMatchObject({
      announcedOn: "2019-05-13",
      datePrecision: "day",
      types: ["mou", "strategic_partnership"],
      binding: "non_binding",
      status: "announced",
    });
    expect(mou!.parties.map((p) => [p.company.name, p.role])).toEqual([
      ["Microsoft", "partner"],
      ["SK Telecom", "partner"],
    ]);
    expect(mou!.technologies.map((t) => t.name).sort()).toEqual(
      ["5G", "AI", "Cloud", "IoT", "Media & entertainment", "Productivity software", "Smart factory"].sort(),
    );
    expect(mou!.quotes.map((q) => [q.speaker, q.speakerCompany])).toEqual([
      ["Jason Zander", "Microsoft"],
      ["Park Jung-ho", "SK Telecom"],
      ["Park Jung-ho", "SK Telecom"],
    ]);
    expect(mou!.quotes[0]!.speakerTitle).toMatch(/executive vice president/i);
    expect(mou!.quotes[1]!.speakerTitle).toBe("President and CEO");
    expect(mou!.sources[0]).toEqual({
      url: "https://winbuzzer.com/2019/05/14/microsoft-and-koreas-sk-announce-strategic-partnership-on-5g-iot-and-artificial-intelligence-xcxwbn/",
      title:
        "Microsoft and Korea’s SK Announce Strategic Partnership on 5G, IoT, and Artificial Intelligence",
      publisher: "WinBuzzer",
      publishedOn: "2019-05-14",
    });

    const detail = (await getDealDetail(mou!.id, PUBLIC_VIEWER))!;
    expect(detail.expands?.title).toMatch(/Metatron/);
    const earlier = (await getDealDetail(detail.expands!.id, PUBLIC_VIEWER))!;
    expect(earlier).toMatchObject({ announcedOn: "2019-02-01", datePrecision: "month", status: "expanded" });
    expect(earlier.statusHistory.map((s) => [s.status, s.effectiveOn])).toEqual([
      ["announced", "2019-02-01"],
      ["expanded", "2019-05-13"],
    ]);
  });

  it("keeps every record of the file, none flagged as generated", async () => {
    const items = (await listDeals(all)).items;
    expect(items).toHaveLength(54);
    expect(items.every((d) => !d.demo)).toBe(true);
    expect(new Set(items.map((d) => d.title))).toEqual(new Set(shipped.deals.map((d) => d.title)));
  });
});

describe("generated demo data", () => {
  /** A digest of every generated deal and its parts, by title (ids and timestamps left out). */
  async function fingerprint(tx: Tx): Promise<string> {
    const demo = eq(deals.demo, true);
    const parts = [
      await tx
        .select({
          t: deals.title,
          on: deals.announcedOn,
          p: deals.datePrecision,
          b: deals.binding,
          s: deals.status,
        })
        .from(deals)
        .where(demo)
        .orderBy(deals.id),
      await tx
        .select({ t: deals.title, type: dealTypes.type })
        .from(dealTypes)
        .innerJoin(deals, eq(deals.id, dealTypes.dealId))
        .where(demo)
        .orderBy(deals.id, dealTypes.type),
      await tx
        .select({ t: deals.title, name: companies.name, role: dealParties.role, at: dealParties.position })
        .from(dealParties)
        .innerJoin(deals, eq(deals.id, dealParties.dealId))
        .innerJoin(companies, eq(companies.id, dealParties.companyId))
        .where(demo)
        .orderBy(deals.id, dealParties.position),
      await tx
        .select({ t: deals.title, area: technologies.name })
        .from(dealTechnologies)
        .innerJoin(deals, eq(deals.id, dealTechnologies.dealId))
        .innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId))
        .where(demo)
        .orderBy(deals.id, technologies.name),
      await tx
        .select({ t: deals.title, text: quotes.text, speaker: quotes.speaker })
        .from(quotes)
        .innerJoin(deals, eq(deals.id, quotes.dealId))
        .where(demo)
        .orderBy(deals.id),
      await tx
        .select({ t: deals.title, s: statusHistory.status, on: statusHistory.effectiveOn })
        .from(statusHistory)
        .innerJoin(deals, eq(deals.id, statusHistory.dealId))
        .where(demo)
        .orderBy(deals.id),
    ];
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  /** The generated rows, in a transaction rolled back afterwards (the same on both engines). */
  async function generateInto(n: number) {
    const db = testDb();
    let generated: { rows: unknown[]; sources: unknown[]; fingerprint: string } | undefined;
    await db
      .write(async (tx) => {
        await generateDemoDeals(db, n);
        const rows = await tx
          .select({
            title: deals.title,
            announcedOn: deals.announcedOn,
            demo: deals.demo,
            parties: groupConcat(companies.name, "|", dealParties.position),
          })
          .from(deals)
          .innerJoin(dealParties, eq(dealParties.dealId, deals.id))
          .innerJoin(companies, eq(companies.id, dealParties.companyId))
          .where(eq(deals.demo, true))
          .groupBy(deals.id)
          .orderBy(deals.id);
        const urls = await tx
          .selectDistinct({ url: sources.url })
          .from(sources)
          .innerJoin(deals, eq(deals.id, sources.dealId))
          .where(eq(deals.demo, true));
        generated = { rows, sources: urls, fingerprint: await fingerprint(tx) };
        throw new Error("roll back");
      })
      .catch((error: Error) => {
        if (error.message !== "roll back") throw error;
      });
    return generated!;
  }

  it("is deterministic for a given size, fictional and flagged", async () => {
    const a = await generateInto(300);
    const b = await generateInto(300);
    expect(a.rows).toHaveLength(300);
    expect(a.rows).toEqual(b.rows);
    expect(a.sources).toEqual([{ url: GENERATED_SOURCE }]);
    for (const row of a.rows as { demo: boolean; parties: string }[]) {
      expect(row.demo).toBe(true);
      expect(row.parties.split("|").every((name) => name.endsWith("(fictional)"))).toBe(true);
    }
  });

  it("draws the same data set as it always has for a given size", async () => {
    // Bench figures compare runs of `--deals N` across versions: the data must not change with
    // how the generator writes it (statement sizes, order of inserts), only deliberately.
    expect((await generateInto(1234)).fingerprint).toBe(
      "eae8b4374d7529cc13d97a89c5b2742f45a1078f17560b916627a4a6fef668d5",
    );
  });

  it("is searchable and counted like real data", async () => {
    const db = testDb();
    await generateDemoDeals(db, 100);
    expect((await listDeals(all)).total).toBe(154);
    expect((await listDeals({ ...all, q: "fictional" })).total).toBe(100);
  });

  it.runIf(isPg)("leaves PostgreSQL's foreign keys as it found them, and enforced", async () => {
    const db = testDb();
    const keys = sql`SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def, convalidated
      FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2`;
    const before = (await db.execute(keys)).rows;
    await generateDemoDeals(db, 50);
    expect((await db.execute(keys)).rows).toEqual(before);
    await expect(
      db.write((tx) => tx.insert(dealTypes).values({ dealId: 999_999, type: "mou" })),
    ).rejects.toMatchObject({ cause: { code: "23503" } }); // foreign_key_violation
  });
});

describe("generation's indexes", () => {
  // generateDemoDeals drops the secondary indexes of the tables it fills and builds them again.
  const indexes = isPg
    ? sql`SELECT indexname AS name, indexdef AS definition FROM pg_indexes
        WHERE schemaname = current_schema() ORDER BY 1`
    : sql`SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' ORDER BY 1`;

  it("leaves every index as it found it, and in use", async () => {
    const db = testDb();
    const before = (await db.execute(indexes)).rows;
    const fictional = async () =>
      (await listDeals({ ...all, sort: "title" })).items.filter((d) => d.title.startsWith("Fictional"))
        .length;
    const listed = await fictional();
    await generateDemoDeals(db, 60);
    expect((await db.execute(indexes)).rows).toEqual(before);
    // The list by title reads the live-title index, built again with the new deals in it.
    expect(await fictional()).toBe(listed + 60);
  });

  it("puts them back when generation fails", async () => {
    const db = testDb();
    const before = (await db.execute(indexes)).rows;
    await expect(
      db.write(async () => {
        await generateDemoDeals(db, 20);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await db.execute(indexes)).rows).toEqual(before);
  });
});
