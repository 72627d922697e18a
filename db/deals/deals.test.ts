import { beforeAll, describe, expect, it } from "vitest";
import { dealFixture, testDb, unique } from "@/test/db";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { createDeal, deleteDeal } from "./deal-writes";
import { createCompany, getCompanyBySlug, listTechnologies, searchCompanies } from "../directory/directory";
import { listDeals } from "./deals";
import { companyInput } from "../../lib/validation";

// A small world whose answers we know without asking SQL.
const tag = `q${process.pid}`;
const acme = `Acme ${tag}`;
const bolt = `Bolt ${tag}`;
const cirrus = `Cirrus ${tag}`;
const tech = `Fusion ${tag}`;
const specs = [
  {
    title: `Acme and Bolt MoU ${tag}`,
    date: "2020-01-15",
    parties: [acme, bolt],
    types: ["mou"],
    binding: "non_binding",
    status: "announced",
    tech: [tech],
  },
  {
    title: `Acme Cirrus venture ${tag}`,
    date: "2021-06-01",
    precision: "month",
    parties: [`ACME ${tag} Inc.`, cirrus],
    types: ["joint_venture", "investment"],
    binding: "binding",
    status: "active",
    tech: ["5G"],
  },
  {
    title: `Bolt Cirrus licence ${tag}`,
    date: "2022-03-10",
    parties: [bolt, cirrus],
    types: ["licensing"],
    binding: "unknown",
    status: "completed",
    tech: [tech, "5G"],
  },
  {
    title: `Deleted deal ${tag}`,
    date: "2022-05-05",
    parties: [acme, bolt],
    types: ["mou"],
    binding: "binding",
    status: "announced",
    tech: [tech],
    deleted: true,
  },
] as const;

const filters = (f: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, q: undefined, ...f });
const titles = async (f: Partial<DealFilters>) =>
  (await listDeals(filters(f))).items
    .map((d) => d.title)
    .filter((t) => t.endsWith(tag))
    .sort();
const expected = (pred: (s: (typeof specs)[number]) => boolean) =>
  specs
    .filter((s) => !("deleted" in s) && pred(s))
    .map((s) => s.title)
    .sort();

beforeAll(async () => {
  testDb();
  await createCompany(companyInput.parse({ name: acme, aliases: [`AX${tag}`], country: "US" }));
  await createCompany(companyInput.parse({ name: `Group ${tag}` }));
  await createCompany(companyInput.parse({ name: cirrus, parent: `Group ${tag}` }));
  for (const s of specs) {
    const deal = await createDeal(
      dealFixture({
        title: s.title,
        announcedOn: s.date,
        datePrecision: "precision" in s ? s.precision : "day",
        parties: s.parties.map((company) => ({ company, role: "partner" as const })),
        types: [...s.types],
        binding: s.binding,
        status: s.status,
        technologies: [...s.tech],
        quotes: [{ text: `Unusual wording ${tag}`, speaker: "Quincy Quote" }],
      }),
      { actor: "test" },
    );
    if ("deleted" in s) await deleteDeal(deal.id, { actor: "test" });
  }
});

describe("listDeals filters", () => {
  it("filters by company through names, aliases and slugs, any-of", async () => {
    expect(await titles({ company: [acme] })).toEqual(
      expected((s) => s.parties.some((p) => p.toLowerCase().startsWith("acme"))),
    );
    expect(await titles({ company: [`ax${tag}`] })).toEqual(await titles({ company: [acme] }));
    expect(
      await titles({
        company: [(await getCompanyBySlug((await searchCompanies({ q: cirrus })).items[0]!.slug))!.slug],
      }),
    ).toEqual(expected((s) => s.parties.includes(cirrus)));
    expect(await titles({ company: [acme, cirrus] })).toEqual(expected(() => true));
  });

  it("returns nothing for a company that does not exist", async () => {
    expect((await listDeals(filters({ company: [`Nobody ${tag}`] }))).total).toBe(0);
  });

  it("filters by technology, type, binding and status", async () => {
    expect(await titles({ technology: [tech.toLowerCase()] })).toEqual(
      expected((s) => (s.tech as readonly string[]).includes(tech)),
    );
    expect(await titles({ type: ["investment", "licensing"], q: tag })).toEqual(
      expected((s) => s.types.some((t) => t === "investment" || t === "licensing")),
    );
    expect(await titles({ binding: ["binding"], q: tag })).toEqual(expected((s) => s.binding === "binding"));
    expect(await titles({ status: ["active", "completed"], q: tag })).toEqual(
      expected((s) => s.status !== "announced"),
    );
  });

  it("filters by an inclusive date range, month-precision dates included", async () => {
    expect(await titles({ from: "2021-06-01", to: "2022-03-10", q: tag })).toEqual(
      expected((s) => s.date >= "2021-06-01" && s.date <= "2022-03-10"),
    );
  });

  it("searches titles, quotes and party aliases, and takes any text safely", async () => {
    expect(await titles({ q: `venture ${tag}` })).toEqual([`Acme Cirrus venture ${tag}`]);
    expect(await titles({ q: `unusual ${tag}` })).toEqual(expected(() => true));
    expect(await titles({ q: `AX${tag}` })).toEqual(
      expected((s) => s.parties.some((p) => p.toLowerCase().startsWith("acme"))),
    );
    for (const hostile of [
      `"`,
      `a" OR "b`,
      "NEAR(x y)",
      "*",
      "-",
      "col:val",
      "AND OR NOT",
      "(",
      "'; DROP TABLE deals; --",
    ]) {
      await expect(listDeals(filters({ q: hostile }))).resolves.toBeDefined();
    }
  });

  it("searches the same way on both engines: prefixes, case, accents, inner punctuation", async () => {
    const deal = await createDeal(
      dealFixture({
        title: `Café Zürich pact with AT&T and sk-telecom on 1.5 GHz ${tag}`,
        summary: "Résumé of the Ørsted-backed rollout",
      }),
      { actor: "test" },
    );
    const found = async (q: string) => (await listDeals(filters({ q }))).items.some((d) => d.id === deal.id);
    for (const q of [
      "cafe zurich",
      "CAFÉ",
      "caf",
      "at&t",
      "AT&",
      "sk-tel",
      "sk telecom",
      "1.5",
      "resume",
      "ørsted-back",
      `Zür ${tag}`,
    ]) {
      expect(await found(q), q).toBe(true);
    }
    for (const q of ["telecom-sk", "zurichx", "cafe zurich nowhere", "t&at"]) {
      expect(await found(q), q).toBe(false);
    }
    // Twelve words at most: a thirteenth that matches nothing is ignored.
    expect(await found(`${"café ".repeat(12)}nowhere`)).toBe(true);
  });

  it("sorts and pages consistently", async () => {
    const all = await listDeals(filters({ q: tag, sort: "announcedOn" }));
    expect(all.items.map((d) => d.announcedOn)).toEqual([...all.items.map((d) => d.announcedOn)].sort());
    const page2 = await listDeals(filters({ q: tag, sort: "announcedOn", pageSize: 1, page: 2 }));
    expect(page2.total).toBe(all.total);
    expect(page2.items[0]!.id).toBe(all.items[1]!.id);
  });

  it("counts exactly the deals it lists, and pages them in the same order by any plan", async () => {
    // The count is read differently per kind of filter, and a page either walks the order's index
    // or sorts the matches (db/deals/deals.ts), so each kind is checked against the full list, a deal
    // per page; the deleted deal matches most of these filters and must count in none.
    const kinds: Partial<DealFilters>[] = [
      {},
      { company: [acme] },
      { company: [acme, cirrus] },
      { type: ["mou", "licensing"] },
      { binding: ["binding"] },
      { status: ["announced"], sort: "title" },
      { technology: [tech], binding: ["non_binding"] },
      { q: tag, sort: "-updatedAt" },
      { q: tag, type: ["mou"], technology: [tech] },
      { from: "2021-01-01", to: "2022-12-31", sort: "announcedOn" },
    ];
    for (const kind of kinds) {
      const all = await listDeals(filters({ ...kind, pageSize: 500 }));
      expect(all.total, JSON.stringify(kind)).toBe(all.items.length);
      expect(all.items.every((d) => d.deletedAt === null)).toBe(true);
      const onePerPage: number[] = [];
      for (let page = 1; page <= all.total + 1; page++) {
        const one = await listDeals(filters({ ...kind, pageSize: 1, page }));
        expect(one.total).toBe(all.total);
        onePerPage.push(...one.items.map((d) => d.id));
      }
      expect(onePerPage, JSON.stringify(kind)).toEqual(all.items.map((d) => d.id));
    }
  });

  it("stores a month-precision date as the first of the month", async () => {
    const deal = (await listDeals(filters({ q: `venture ${tag}` }))).items[0]!;
    expect(deal).toMatchObject({ announcedOn: "2021-06-01", datePrecision: "month" });
  });
});

describe("companies and technologies", () => {
  it("counts each company's live deals correctly", async () => {
    for (const name of [acme, bolt, cirrus]) {
      const company = (await searchCompanies({ q: name })).items.find((c) => c.name === name)!;
      expect(company.dealCount).toBe((await listDeals(filters({ company: [name] }))).total);
    }
  });

  it("shows parents, aliases and partners on the company record", async () => {
    const company = (await getCompanyBySlug((await searchCompanies({ q: cirrus })).items[0]!.slug))!;
    expect(company.parent?.name).toBe(`Group ${tag}`);
    expect(company.partners.map((p) => [p.name, p.dealCount])).toEqual([
      [acme, 1],
      [bolt, 1],
    ]);
    const group = (await getCompanyBySlug(company.parent!.slug))!;
    expect(group.subsidiaries.map((s) => s.name)).toEqual([cirrus]);
  });

  it("counts live deals per technology", async () => {
    const fusion = (await listTechnologies()).find((t) => t.name === tech)!;
    expect(fusion.dealCount).toBe(2);
  });

  it("matches companies by alias in search", async () => {
    expect((await searchCompanies({ q: `ax${tag}` })).items.map((c) => c.name)).toEqual([acme]);
    expect((await searchCompanies({ q: unique("nothing like this") })).total).toBe(0);
  });
});
