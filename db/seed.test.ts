import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "@/test/db";
import { defaultFilters } from "@/lib/filters";
import { openDatabase } from "./connection";
import { migrateDatabase } from "./migrate";
import { getDealDetail, listDeals } from "./deals";
import { GENERATED_SOURCE, generateDemoDeals, isEmpty, seedRealDeals } from "./seed";
import shipped from "./demo/real-deals.json";

const all = { ...defaultFilters, pageSize: 500 };

beforeAll(() => {
  const db = testDb();
  expect(isEmpty(db)).toBe(true);
  expect(seedRealDeals(db)).toEqual({ companies: 44, deals: 54 });
});

describe("the real demo data", () => {
  it("matches the shared, verified data set it was copied from", () => {
    const shared = path.resolve(process.cwd(), "..", "shared", "data", "real-deals.json");
    // The app ships its own copy (../shared is not there on a user's machine); CI has both.
    if (!fs.existsSync(shared)) return;
    expect(shipped).toEqual(JSON.parse(fs.readFileSync(shared, "utf8")));
  });

  it("holds the Microsoft × SK Telecom MoU exactly as reported", () => {
    const [mou] = listDeals({
      ...all,
      company: ["MSFT", "SKT"],
      type: ["mou"],
      from: "2019-05-13",
      to: "2019-05-13",
    }).items;
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

    const detail = getDealDetail(mou!.id)!;
    expect(detail.expands?.title).toMatch(/Metatron/);
    const earlier = getDealDetail(detail.expands!.id)!;
    expect(earlier).toMatchObject({ announcedOn: "2019-02-01", datePrecision: "month", status: "expanded" });
    expect(earlier.statusHistory.map((s) => [s.status, s.effectiveOn])).toEqual([
      ["announced", "2019-02-01"],
      ["expanded", "2019-05-13"],
    ]);
  });

  it("keeps every record of the file, none flagged as generated", () => {
    const deals = listDeals(all).items;
    expect(deals).toHaveLength(54);
    expect(deals.every((d) => !d.demo)).toBe(true);
    expect(new Set(deals.map((d) => d.title))).toEqual(new Set(shipped.deals.map((d) => d.title)));
  });
});

describe("generated demo data", () => {
  function generateInto(n: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-gen-"));
    const db = openDatabase(path.join(dir, "gen.db"));
    migrateDatabase(db);
    generateDemoDeals(db, n);
    const rows = db.$client
      .prepare(
        `SELECT d.title, d.announced_on, d.demo, group_concat(c.name, '|') AS parties
         FROM deals d JOIN deal_parties p ON p.deal_id = d.id JOIN companies c ON c.id = p.company_id
         GROUP BY d.id ORDER BY d.id`,
      )
      .all();
    const sources = db.$client.prepare("SELECT DISTINCT url FROM sources").all();
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
    return { rows, sources };
  }

  it("is deterministic for a given size, fictional and flagged", () => {
    const a = generateInto(300);
    const b = generateInto(300);
    expect(a.rows).toHaveLength(300);
    expect(a.rows).toEqual(b.rows);
    expect(a.sources).toEqual([{ url: GENERATED_SOURCE }]);
    for (const row of a.rows as { demo: number; parties: string }[]) {
      expect(row.demo).toBe(1);
      expect(row.parties.split("|").every((name) => name.endsWith("(fictional)"))).toBe(true);
    }
  });

  it("is searchable and counted like real data", () => {
    const db = testDb();
    generateDemoDeals(db, 100);
    expect(listDeals(all).total).toBe(154);
    expect(listDeals({ ...all, q: "fictional" }).total).toBe(100);
  });
});
