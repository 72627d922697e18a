import "server-only";
import { count, eq, sql } from "drizzle-orm";
import realDeals from "../demo/real-deals.json";
import { companyKey, labelKey, slugify } from "@/lib/names";
import { createCompany } from "../directory/directory";
import { createDeal, refreshDealCells } from "../deals/deal-writes";
import { insertSearchRows } from "../deals/search";
import { countDeals, STAT_TABLES } from "../stats/stat-counts";
import { insertJsonRows, isPg } from "../core/dialect";
import type { Tx } from "../core/connection";
import type { Db } from "../core/index";
import {
  BINDINGS,
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  DEAL_TYPES,
  quotes,
  revisions,
  sources,
  STATUSES,
  statusHistory,
  technologies,
} from "../schema";
import { companyInput, dealInput } from "../../lib/validation";

type RealDeal = (typeof realDeals.deals)[number] & { expands?: number };

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(deals);
  return (row?.n ?? 0) === 0;
}

/**
 * Loads the 54 real, sourced deals (and their companies) through the same validation and mutations
 * as the form and the API. Deals another deal builds on are created first so the link can be set.
 */
export async function seedRealDeals(db: Db): Promise<{ companies: number; deals: number }> {
  // Parents before subsidiaries, so each parent can be resolved by name.
  const pending = [...realDeals.companies];
  let created = 0;
  while (pending.length) {
    const index = pending.findIndex((c) => !c.parent || !pending.some((p) => p.name === c.parent));
    const [company] = pending.splice(index, 1);
    await createCompany(companyInput.parse(company), {}, db);
    created++;
  }

  const list = realDeals.deals as RealDeal[];
  const ids = new Map<number, number>();
  const expandedOn = new Map<number, string>();
  list.forEach((d) => d.expands !== undefined && expandedOn.set(d.expands, d.announcedOn));
  const create = async (i: number) => {
    if (ids.has(i)) return;
    const raw = list[i]!;
    if (raw.expands !== undefined) await create(raw.expands);
    const input = dealInput.parse({
      ...raw,
      expandsDealId: raw.expands !== undefined ? ids.get(raw.expands) : null,
      statusOn: raw.status === "expanded" ? expandedOn.get(i) : undefined,
    });
    ids.set(i, (await createDeal(input, { actor: "seed" }, db)).id);
  };
  for (let i = 0; i < list.length; i++) await create(i);
  return { companies: created, deals: ids.size };
}

// ---------------------------------------------------------------------------------------------
// Generated demo data: clearly fictional companies and deals for benchmarks and full charts.

/** Where the fictional companies are and what they do: a mix across M49 regions and NAICS sectors. */
const DEMO_COUNTRIES = [
  "US",
  "US",
  "KR",
  "JP",
  "CN",
  "DE",
  "GB",
  "FR",
  "IN",
  "SE",
  "FI",
  "SG",
  "BR",
  "ZA",
  "AU",
  "AE",
];
const DEMO_SECTORS = ["517", "517", "334", "511", "518", "519", "541", "336", "522", "325", "22"];

/** mulberry32: a tiny seeded PRNG, so `--demo N` always builds the same data set. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  "zen",
  "tro",
  "va",
  "qu",
  "lix",
  "mor",
  "dan",
  "ex",
  "ori",
  "pla",
  "nex",
  "tal",
  "ver",
  "syn",
  "kor",
  "bel",
  "amo",
  "rix",
];
const NOUNS = [
  "Systems",
  "Networks",
  "Telecom",
  "Labs",
  "Dynamics",
  "Robotics",
  "Cloud",
  "Semiconductor",
  "Mobility",
  "Analytics",
];
const GENERATED_AREAS = [
  "5G",
  "AI",
  "Cloud",
  "IoT",
  "Edge computing",
  "Big data",
  "Smart factory",
  "Media & entertainment",
  "Productivity software",
  "Semiconductors",
  "6G",
  "Cybersecurity",
  "Data centers",
  "Open RAN",
  "Quantum",
  "Robotics",
  "Autonomous vehicles",
  "AR/VR",
  "Blockchain",
  "Fintech",
  "Healthcare IT",
  "Satellite",
  "Energy storage",
  "Smart cities",
  "E-commerce",
  "Gaming",
  "Digital twins",
  "Drones",
  "Wearables",
  "Network virtualization",
  "Large language models",
  "Optical networking",
  "Batteries",
  "Agritech",
  "Logistics",
  "Biotech",
  "Smart home",
  "Payments",
  "Messaging",
  "Metaverse",
];

function roleFor(types: readonly string[], position: number) {
  if (types.includes("investment")) return position === 0 ? ("investor" as const) : ("investee" as const);
  if (types.includes("licensing")) return position === 0 ? ("licensor" as const) : ("licensee" as const);
  return "partner" as const;
}

/** Marks every generated source, so generated deals can always be told from real ones. */
export const GENERATED_SOURCE = "https://example.com/partnership-atlas/generated";

// Statements carry CHUNK deals; the PRNG is read DRAW deals at a time (see draw below).
const DRAW = 500;
const CHUNK = 40 * DRAW;

const ANALYZE_GENERATED = sql`ANALYZE deals, deal_parties, deal_types, deal_technologies, quotes, sources, companies, company_aliases`;

/**
 * Adds `n` fictional deals (about n/20 fictional companies, 40 areas) flagged `demo`, in one
 * transaction. Rows go in as JSON, tens of thousands a statement (db/core/dialect.ts insertJsonRows): going
 * through createDeal, or Drizzle's per-cell insert builder, would take minutes at 1,000,000 deals. The
 * derived rows (search, CSV cells) are written once at the end, in two set-based statements.
 */
export async function generateDemoDeals(db: Db, n: number): Promise<{ companies: number; deals: number }> {
  const random = prng(n);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const companyCount = Math.max(10, Math.round(n / 20));

  return db.write(async (tx) => {
    const techIds: number[] = [];
    for (const name of GENERATED_AREAS) {
      const [existing] = await tx
        .select({ id: technologies.id })
        .from(technologies)
        .where(eq(technologies.nameKey, labelKey(name)));
      const [created] = existing
        ? [existing]
        : await tx
            .insert(technologies)
            .values({ name, nameKey: labelKey(name), slug: slugify(name) })
            .returning({ id: technologies.id });
      techIds.push(created!.id);
    }

    const usedKeys = new Set((await tx.select({ key: companies.nameKey }).from(companies)).map((r) => r.key));
    const newCompanies: (typeof companies.$inferInsert)[] = [];
    for (let i = 0; newCompanies.length < companyCount; i++) {
      const stem = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join("");
      const name = `${stem[0]!.toUpperCase()}${stem.slice(1)} ${pick(NOUNS)} (fictional)`;
      const key = companyKey(name);
      if (usedKeys.has(key)) continue;
      usedKeys.add(key);
      // Real codes, so the country and sector charts have something to show at scale; taken by
      // position, not from random(), so the rest of the generated data stays as it was.
      newCompanies.push({
        name,
        nameKey: key,
        slug: `${slugify(name)}-${i}`,
        demo: true,
        country: DEMO_COUNTRIES[i % DEMO_COUNTRIES.length],
        sector: DEMO_SECTORS[(i * 7) % DEMO_SECTORS.length],
      });
    }
    const companyIds = await insertReturningIds(tx, companies, newCompanies);
    // A few big groups make the company charts skewed like real ones (power law on picks).
    const pickCompany = () => companyIds[Math.floor(companyIds.length * random() ** 2.2)]!;

    const start = Date.UTC(2015, 0, 1);
    const span = Date.UTC(2026, 10, 1) - start;
    /**
     * Draws `size` deals numbered from `done + 1`. The PRNG is read in this order, 500 deals at a
     * time (DRAW), whatever the statements' size: the same n must always give the same data.
     */
    const draw = (done: number, size: number) => {
      const rows = Array.from({ length: size }, () => {
        const date = new Date(start + random() * span).toISOString().slice(0, 10);
        const precision = random() < 0.1 ? ("month" as const) : ("day" as const);
        return {
          title: "",
          announcedOn: precision === "month" ? `${date.slice(0, 8)}01` : date,
          datePrecision: precision,
          binding: pick(BINDINGS),
          status: random() < 0.6 ? ("announced" as const) : pick(STATUSES),
          summary: "",
          demo: true,
        };
      });
      const parts = rows.map(() => {
        const a = pickCompany();
        let b = pickCompany();
        while (b === a) b = companyIds[Math.floor(random() * companyIds.length)]!;
        const parties =
          random() < 0.15 ? [a, b, companyIds[Math.floor(random() * companyIds.length)]!] : [a, b];
        const types = [...new Set([pick(DEAL_TYPES), ...(random() < 0.4 ? [pick(DEAL_TYPES)] : [])])];
        const techs = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(techIds)))];
        return { parties: [...new Set(parties)], types, techs };
      });
      rows.forEach((row, i) => {
        const area = GENERATED_AREAS[techIds.indexOf(parts[i]!.techs[0]!)]!;
        row.title = `Fictional ${pick(["alliance", "pact", "venture", "agreement", "collaboration"])} on ${area} #${done + i + 1}`;
        row.summary = `Generated demo record about ${area}; not a real announcement.`;
      });
      const quoted = rows.map(() => random() < 0.3);
      return rows.map((row, i) => ({ row, ...parts[i]!, quoted: quoted[i]! }));
    };

    const foreignKeys = isPg ? await dropForeignKeys(tx) : [];
    const indexes = await dropIndexes(tx);
    let first: number | undefined;
    let last = 0;
    for (let done = 0; done < n; done += CHUNK) {
      const drawn: ReturnType<typeof draw> = [];
      for (let at = done; at < Math.min(done + CHUNK, n); at += DRAW)
        drawn.push(...draw(at, Math.min(DRAW, n - at)));
      const ids = await insertReturningIds(
        tx,
        deals,
        drawn.map((d) => d.row),
      );
      first ??= ids[0];
      last = ids[ids.length - 1]!;
      const each = <T>(fn: (d: (typeof drawn)[number], dealId: number) => T[]) =>
        drawn.flatMap((d, i) => fn(d, ids[i]!));
      await tx.execute(
        insertJsonRows(
          dealTypes,
          each((d, dealId) => d.types.map((type, position) => ({ dealId, type, position }))),
        ),
      );
      await tx.execute(
        insertJsonRows(
          dealParties,
          each((d, dealId) =>
            d.parties.map((companyId, position) => ({
              dealId,
              companyId,
              position,
              role: roleFor(d.types, position),
            })),
          ),
        ),
      );
      await tx.execute(
        insertJsonRows(
          dealTechnologies,
          each((d, dealId) => d.techs.map((technologyId) => ({ dealId, technologyId }))),
        ),
      );
      await tx.execute(
        insertJsonRows(
          sources,
          each((_, dealId) => [{ dealId, position: 0, url: GENERATED_SOURCE, publisher: "Generated" }]),
        ),
      );
      const quoted = each((d, dealId) => (d.quoted ? [dealId] : []));
      if (quoted.length) {
        await tx.execute(
          insertJsonRows(
            quotes,
            quoted.map((dealId) => ({
              dealId,
              position: 0,
              text: "We are excited about this fictional partnership.",
              speaker: "A. Fictional",
              speakerTitle: "CEO",
            })),
          ),
        );
      }
      await tx.execute(
        insertJsonRows(
          statusHistory,
          each((d, dealId) => [{ dealId, status: d.row.status, effectiveOn: d.row.announcedOn }]),
        ),
      );
      await tx.execute(
        insertJsonRows(
          revisions,
          each((_, dealId) => [
            { dealId, version: 1, action: "create" as const, actor: "generator", changedFields: [] },
          ]),
        ),
      );
    }
    if (first !== undefined) {
      // PostgreSQL plans the derived rows' subqueries from table statistics, which tables filled
      // inside this transaction do not have until analysed: without them it scans whole tables.
      if (isPg) await tx.execute(ANALYZE_GENERATED);
      const generated = sql`d.id BETWEEN ${first} AND ${last}`;
      await insertSearchRows(tx, generated);
      await refreshDealCells(tx, generated);
      await countDeals(tx, generated, 1, true);
    }
    await addForeignKeys(tx, foreignKeys);
    await addIndexes(tx, indexes);
    return { companies: companyIds.length, deals: n };
  });
}

/** Inserts `rows` and returns their new ids in the rows' order (ids are handed out in insert order). */
async function insertReturningIds<T extends typeof deals | typeof companies>(
  tx: Tx,
  table: T,
  rows: T["$inferInsert"][],
): Promise<number[]> {
  if (!rows.length) return [];
  const { rows: ids } = await tx.execute<{ id: number }>(sql`${insertJsonRows(table, rows)} RETURNING id`);
  // RETURNING's own order is not guaranteed; the ids' order is.
  return ids.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/**
 * The tables generation fills: the deals, their parts and derived rows, and the per-bucket counts
 * (countDeals writes STAT_TABLES and stat_deal_keys).
 */
const FILLED = [
  "deals",
  "deal_types",
  "deal_parties",
  "deal_technologies",
  "sources",
  "quotes",
  "status_history",
  "revisions",
  "deal_cells",
  ...STAT_TABLES,
  "stat_deal_keys",
];

/**
 * Drops the secondary indexes of the tables generation fills, for addIndexes to build again once
 * they are full: rows arrive in deal id order, and an index in another order (a deal's title or
 * date, a party's company, a company's months by month) sent each insert to a random page — at a
 * million deals millions of page reads and writes through a cache of a few MB, where building the
 * index afterwards sorts once. Kept: unique indexes and keys (conflicts are checked on them), and
 * indexes led by deal_id, which are filled in order and which the derived rows are read by. In the
 * generation's transaction: a failure leaves them as they were; other sessions wait until it commits.
 */
async function dropIndexes(tx: Tx): Promise<string[]> {
  const tables = sql.join(
    FILLED.map((t) => sql`${t}`),
    sql`, `,
  );
  const { rows } = await tx.execute<{ name: string; definition: string }>(
    isPg
      ? sql`SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
          WHERE i.schemaname = current_schema() AND i.tablename IN (${tables})
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
          ORDER BY i.indexname`
      : sql`SELECT name, sql AS definition FROM sqlite_master
          WHERE type = 'index' AND tbl_name IN (${tables}) AND sql IS NOT NULL ORDER BY name`,
  );
  // The first "(" of either engine's definition opens the column list.
  const ledByDeal = /^[^(]*\(\s*[`"]?deal_id[`"]?\s*[,)]/;
  const dropped = rows.filter((i) => !/^CREATE UNIQUE /i.test(i.definition) && !ledByDeal.test(i.definition));
  for (const index of dropped) await tx.execute(sql`DROP INDEX ${sql.identifier(index.name)}`);
  return dropped.map((index) => index.definition);
}

async function addIndexes(tx: Tx, definitions: string[]): Promise<void> {
  // The engine's own text of the indexes just dropped (sqlite_master.sql, pg_indexes.indexdef).
  for (const definition of definitions) await tx.execute(sql.raw(definition));
}

type ForeignKey = { table: string; name: string; definition: string };

/**
 * PostgreSQL checks a foreign key row by row (an index lookup and a row lock each): some 15 million
 * checks at 1,000,000 deals, the largest part of generation. As its manual advises for bulk loads,
 * the keys of the tables filled here are dropped and added back (addForeignKeys), which checks all
 * rows in one join per key. Both inside the generation's transaction: a failure restores them. Other
 * sessions touching these tables wait until it commits.
 */
async function dropForeignKeys(tx: Tx): Promise<ForeignKey[]> {
  const { rows } = await tx.execute<ForeignKey>(sql`
    SELECT t.relname AS "table", c.conname AS name, pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
      AND t.relname IN ('deal_types', 'deal_parties', 'deal_technologies', 'sources', 'quotes',
        'status_history', 'revisions', 'deal_search', 'deal_cells')
    ORDER BY t.relname, c.conname`);
  for (const key of rows)
    await tx.execute(
      sql`ALTER TABLE ${sql.identifier(key.table)} DROP CONSTRAINT ${sql.identifier(key.name)}`,
    );
  return rows;
}

async function addForeignKeys(tx: Tx, keys: ForeignKey[]): Promise<void> {
  // The definitions are PostgreSQL's own text of the keys just dropped (pg_get_constraintdef).
  for (const key of keys)
    await tx.execute(
      sql`ALTER TABLE ${sql.identifier(key.table)} ADD CONSTRAINT ${sql.identifier(key.name)} ${sql.raw(key.definition)}`,
    );
}
