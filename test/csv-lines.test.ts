import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { openDatabase } from "@/db/core/connection";
import { isPg } from "@/db/core/dialect";
import { csvLinesMissing, writeAllCsvLines } from "@/db/deals/csv-lines";
import { createDeal, deleteDeal, restoreDeal, restoreDealVersion, updateDeal } from "@/db/deals/deal-writes";
import { getDeal } from "@/db/deals/deals";
import { exportCsv } from "@/db/deals/export";
import { commitImport } from "@/db/deals/import";
import { mergeCompanies, updateCompany } from "@/db/directory/companies";
import { createCompany } from "@/db/directory/directory";
import { undoMerge } from "@/db/directory/merges";
import { migrateCompanyReferences } from "@/db/directory/reference-data";
import { mergeTechnologies, updateTechnology } from "@/db/directory/technologies";
import { generateDemoDeals } from "@/db/ops/seed";
import { deals } from "@/db/schema";
import { autoMap, readCsv, type ParsedCsv } from "@/lib/csv-import";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { companyInput } from "@/lib/validation";
import { csvLinePass } from "@/server/csv-lines";
import { dealFixture, testDb, unique } from "./db";

// The deals CSV sends each deal's kept line (db/deals/csv-lines.ts) when it has one. The promise
// checked here: after every kind of write, an export with the kept lines is byte for byte the export
// formatted from scratch — a write that changes what a line shows and leaves the line would differ.
// Before each write every line is written, so a line the write failed to clear is there to be sent.

const db = () => testDb();
const all: DealFilters = { ...defaultFilters };

async function text(f: DealFilters, options: { freshLines?: boolean } = {}) {
  let out = "";
  for await (const chunk of exportCsv(db(), f, "deals", { rows: 0 }, options)) out += chunk;
  return out;
}

/** The kept export equals the one formatted from scratch; a difference is shown as the lines that differ. */
async function expectExact(f: DealFilters) {
  const [kept, fresh] = [await text(f), await text(f, { freshLines: true })];
  const freshLines = new Set(fresh.split("\r\n"));
  expect(kept.split("\r\n").filter((line) => !freshLines.has(line))).toEqual([]);
  expect(kept).toBe(fresh);
}

/** Every line written, then `write`, then: the kept export equals a fresh one (and again once refilled). */
async function afterWrite(write: () => Promise<unknown>) {
  await writeAllCsvLines(db());
  expect(await csvLinesMissing(db())).toBe(false);
  await write();
  await expectExact(all);
  await expectExact({ ...all, sort: "title" });
  await writeAllCsvLines(db());
  await expectExact(all);
}

async function companyVersion(name: string) {
  const { rows } = await db().execute<{ slug: string; version: number }>(
    sql`SELECT slug, version FROM companies WHERE name = ${name}`,
  );
  return { slug: rows[0]!.slug, version: Number(rows[0]!.version) };
}

async function technology(name: string) {
  const { rows } = await db().execute<{ slug: string; version: number }>(
    sql`SELECT slug, version FROM technologies WHERE name = ${name}`,
  );
  return { slug: rows[0]!.slug, version: Number(rows[0]!.version) };
}

beforeAll(async () => {
  testDb();
  await createCompany(companyInput.parse({ name: "Lined Group", country: "KR", sector: "517" }));
  await generateDemoDeals(db(), 150);
}, 60_000);

describe("the deals CSV's kept lines", { timeout: 60_000 }, () => {
  it("are sent as kept: a line changed in the table is what the export shows", async () => {
    await writeAllCsvLines(db());
    const fresh = await text(all, { freshLines: true });
    expect(await text(all)).toBe(fresh);
    const { rows } = await db().execute<{ id: number }>(sql`SELECT deal_id AS id FROM deal_cells LIMIT 1`);
    const id = rows[0]!.id;
    await db().write((tx) =>
      tx.execute(sql`UPDATE deal_cells SET csv_line = ${"kept line\r\n"} WHERE deal_id = ${id}`),
    );
    expect(await text(all)).toContain("kept line\r\n");
    expect(await text(all, { freshLines: true })).toBe(fresh);
    // Cleared, it is formatted again from the deal's cells.
    await db().write((tx) => tx.execute(sql`UPDATE deal_cells SET csv_line = NULL WHERE deal_id = ${id}`));
    expect(await text(all)).toBe(fresh);
  });

  it("stay exact after creates, edits, deletes, restores and version restores", async () => {
    let deal = await createDeal(
      dealFixture({ parties: [{ company: "Lined Group" }, { company: unique("Lined") }] }),
      {
        actor: "t",
      },
    );
    await afterWrite(async () => {
      deal = await updateDeal(
        deal.id,
        dealFixture({ title: `${deal.title} (edited)`, summary: "=cmd|' /C calc'!A0", technologies: ["5G"] }),
        deal.version,
        { actor: "t" },
      );
    });
    // A delete and a restore change only the row's updated_at: backdated first, so the line shows it.
    const backdate = () =>
      db().write((tx) =>
        tx
          .update(deals)
          .set({ updatedAt: new Date("2020-01-01") })
          .where(eq(deals.id, deal.id)),
      );
    await backdate();
    await afterWrite(() => deleteDeal(deal.id, { actor: "t" }));
    await backdate();
    await afterWrite(() => restoreDeal(deal.id, { actor: "t" }));
    const { rows } = await db().execute<{ id: number }>(
      sql`SELECT id FROM revisions WHERE deal_id = ${deal.id} AND action = 'create'`,
    );
    await afterWrite(async () => {
      const current = (await getDeal(deal.id))!;
      await restoreDealVersion(deal.id, Number(rows[0]!.id), current.version, { actor: "t" });
    });
    await afterWrite(() =>
      createDeal(dealFixture({ value: { amount: "12.5", currency: "EUR" } }), { actor: "t" }),
    );
  });

  it("stay exact after a company is renamed, moves country or sector, is merged and unmerged", async () => {
    // Each an edit of the group's company record at its current version.
    const edit = (patch: { country?: string; sector?: string; name?: string }) => async () => {
      const c = await companyVersion("Lined Group");
      await updateCompany(
        c.slug,
        { version: c.version, keepOldName: true, changeSlug: false, ...patch },
        "t",
      );
    };
    await afterWrite(edit({ country: "JP" }));
    await afterWrite(edit({ sector: "334" }));
    await afterWrite(edit({ name: "Lined Holdings" }));
    const other = await createCompany(companyInput.parse({ name: unique("Lined Other"), country: "DE" }));
    await createDeal(dealFixture({ parties: [{ company: other.name }, { company: unique("Lined") }] }), {
      actor: "t",
    });
    let mergeId = 0;
    await afterWrite(async () => {
      ({ mergeId } = await mergeCompanies(other.slug, "Lined Holdings", "t"));
    });
    await afterWrite(() => undoMerge(mergeId, "t"));
  });

  it("stay exact after an area is renamed, merged and unmerged", async () => {
    await afterWrite(async () => {
      const t = await technology("5G");
      await updateTechnology(t.slug, { version: t.version, name: "5G networks", changeSlug: false }, "t");
    });
    let mergeId = 0;
    await afterWrite(async () => {
      ({ mergeId } = await mergeTechnologies((await technology("Cloud")).slug, "5G networks", "t"));
    });
    await afterWrite(() => undoMerge(mergeId, "t"));
  });

  it("stay exact after an import that creates deals and one that updates them", async () => {
    const tag = unique("LinedImport").replace(/\W/g, "");
    const rows = (binding: string) =>
      readCsv(
        new TextEncoder().encode(
          [
            "title,announced_on,deal_types,binding,parties,technologies,source_url",
            ...Array.from(
              { length: 12 },
              (_, i) =>
                `${tag} ${i},2024-0${(i % 9) + 1}-1${i % 10},mou,${binding},${tag} A${i % 3} (partner); Lined Holdings (partner),AI,https://example.org/${tag}/${i}`,
            ),
          ].join("\n"),
        ),
      ) as ParsedCsv;
    const options = { actor: { name: "t" }, viewer: PUBLIC_VIEWER };
    const first = rows("non_binding");
    await afterWrite(() => commitImport(first, autoMap(first.header), { ...options, onDuplicate: "skip" }));
    const second = rows("binding");
    await afterWrite(() =>
      commitImport(second, autoMap(second.header), { ...options, onDuplicate: "update" }),
    );
  });

  it("stay exact after the reference migration maps a free-text country", async () => {
    await afterWrite(async () => {
      await db().write((tx) =>
        tx.execute(sql`UPDATE companies SET country = 'Germany' WHERE name = 'Lined Holdings'`),
      );
      const report = await migrateCompanyReferences(db());
      expect(report.mapped).toContainEqual(expect.objectContaining({ company: "Lined Holdings", to: "DE" }));
    });
  });

  it("are written by the background pass for every live deal, and only those", async () => {
    await db().write((tx) => tx.execute(sql`UPDATE deal_cells SET csv_line = NULL`));
    expect(await csvLinesMissing(db())).toBe(true);
    const written = await writeAllCsvLines(db(), { batch: 40 });
    const { rows } = await db().execute<{ n: number }>(
      sql`SELECT count(*) AS n FROM deals WHERE deleted_at IS NULL`,
    );
    expect(written).toBe(Number(rows[0]!.n));
    expect(await csvLinesMissing(db())).toBe(false);
    expect(await writeAllCsvLines(db())).toBe(0);
  });
});

describe("the background pass", () => {
  it("writes the missing lines, and leaves a database it cannot write alone without an error", async () => {
    await db().write((tx) => tx.execute(sql`UPDATE deal_cells SET csv_line = NULL`));
    if (!isPg) {
      // The same file opened read-only, as a server started on a file it may not write.
      const readOnly = openDatabase(process.env.DATABASE_PATH!, { readonly: true });
      try {
        expect(await csvLinePass(readOnly)).toBe(0);
      } finally {
        await readOnly.close();
      }
      expect(await csvLinesMissing(db())).toBe(true);
    }
    expect(await csvLinePass(db())).toBeGreaterThan(100);
    expect(await csvLinesMissing(db())).toBe(false);
    expect(await csvLinePass(db())).toBe(0);
  });

  it("leaves the cached dashboards valid: the lines change no answer", async () => {
    await db().write((tx) => tx.execute(sql`UPDATE deal_cells SET csv_line = NULL`));
    const before = await db().dataVersion();
    expect(await csvLinePass(db())).toBeGreaterThan(100);
    expect(await db().dataVersion()).toBe(before);
  });
});
