import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/test/db";
import { defaultFilters } from "@/lib/filters";
import { groupConcat } from "./dialect";
import { companies, dealParties, deals, sources } from "./schema";
import { getDealDetail, listDeals } from "./deals";
import { GENERATED_SOURCE, generateDemoDeals, isEmpty, seedRealDeals } from "./seed";
import shipped from "./demo/real-deals.json";

const all = { ...defaultFilters, pageSize: 500 };

beforeAll(async () => {
  const db = testDb();
  expect(await isEmpty(db)).toBe(true);
  expect(await seedRealDeals(db)).toEqual({ companies: 44, deals: 54 });
});

describe("the real demo data", () => {
  it("matches the shared, verified data set it was copied from", () => {
    const shared = path.resolve(process.cwd(), "..", "shared", "data", "real-deals.json");
    // The app ships its own copy (../shared is not there on a user's machine); CI has both.
    if (!fs.existsSync(shared)) return;
    expect(shipped).toEqual(JSON.parse(fs.readFileSync(shared, "utf8")));
  });

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

    const detail = (await getDealDetail(mou!.id))!;
    expect(detail.expands?.title).toMatch(/Metatron/);
    const earlier = (await getDealDetail(detail.expands!.id))!;
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
  /** The generated rows, in a transaction rolled back afterwards (the same on both engines). */
  async function generateInto(n: number) {
    const db = testDb();
    let generated: { rows: unknown[]; sources: unknown[] } | undefined;
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
        generated = { rows, sources: urls };
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

  it("is searchable and counted like real data", async () => {
    const db = testDb();
    await generateDemoDeals(db, 100);
    expect((await listDeals(all)).total).toBe(154);
    expect((await listDeals({ ...all, q: "fictional" })).total).toBe(100);
  });
});
