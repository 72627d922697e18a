import "server-only";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Statement } from "better-sqlite3";
import { csvRow, MULTI_SEPARATOR } from "@/lib/csv";
import type { DealFilters } from "@/lib/filters";
import { fromMinorUnits } from "@/lib/money";
import type { Db } from "./connection";
import { dealWhere } from "./queries";
import { deals } from "./schema";

// CSV reports of exactly the filtered deals: the same filter schema and WHERE clause as the list,
// streamed row by row from one SQLite statement (never the whole file in memory).

export const EXPORT_LAYOUTS = ["deals", "parties", "pairs"] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

export const DEALS_HEADER = [
  "id",
  "title",
  "announced_on",
  "date_precision",
  "deal_types",
  "binding",
  "status",
  "parties",
  "technology_areas",
  "summary",
  "value",
  "currency",
  "source_url",
  "quote_count",
  "created_at",
  "updated_at",
  // Lossless copies of every source and quote, so an export re-imports without losing anything.
  "sources_json",
  "quotes_json",
];
const PARTIES_HEADER = [
  "deal_id",
  "title",
  "announced_on",
  "company",
  "role",
  "company_country",
  "parent_company",
  "deal_types",
  "technology_areas",
];
const PAIRS_HEADER = [
  "company_a",
  "company_b",
  "deals",
  "first_announced_on",
  "last_announced_on",
  "technology_areas",
];

const sep = MULTI_SEPARATOR;

const ORDER: Record<DealFilters["sort"], SQL[]> = {
  "-announcedOn": [desc(deals.announcedOn), desc(deals.id)],
  announcedOn: [asc(deals.announcedOn), asc(deals.id)],
  title: [asc(deals.title), asc(deals.id)],
  "-updatedAt": [desc(deals.updatedAt), desc(deals.id)],
};

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** One batch of deals in list order, with each deal's parts pre-joined by SQLite into cells. */
type Batch = {
  deals: [
    id: number,
    title: string,
    announcedOn: string,
    datePrecision: string,
    binding: string,
    status: string,
    summary: string,
    valueMinor: number | null,
    currency: string | null,
    createdAt: number,
    updatedAt: number,
    sortKey: unknown,
  ][];
  types: Map<number, string>;
  parties: Map<number, string>;
  technologies: Map<number, string>;
  /** First source URL and every source as JSON. */
  sources: Map<number, [string, string]>;
  /** Number of quotes and every quote as JSON. */
  quotes: Map<number, [number, string]>;
};

const BATCH = 1000;
const dialect = new SQLiteSyncDialect();

/** Which sort column a keyset continues from, as stored (timestamps as integers). */
const before = sql`<`;
const beyond = sql`>`;
const SORT_KEY: Record<DealFilters["sort"], { column: SQL; dir: SQL }> = {
  "-announcedOn": { column: sql`"deals"."announced_on"`, dir: before },
  announcedOn: { column: sql`"deals"."announced_on"`, dir: beyond },
  title: { column: sql`"deals"."title"`, dir: beyond },
  "-updatedAt": { column: sql`"deals"."updated_at"`, dir: before },
};

/**
 * Raw rows (arrays, not objects): at 100,000 deals the mapping would cost more than the query.
 * Statements are prepared once per connection and text, so each batch only binds new values.
 */
const prepared = new WeakMap<object, Map<string, Statement<unknown[]>>>();
function rows<T extends unknown[]>(db: Db, query: SQL): T[] {
  const { sql: text, params } = dialect.sqlToQuery(query);
  let cache = prepared.get(db.$client);
  if (!cache) prepared.set(db.$client, (cache = new Map()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = db.$client.prepare<unknown[]>(text).raw(true)));
  return statement.all(...(params as unknown[])) as T[];
}

function byDeal<V>(
  list: [number, ...unknown[]][],
  value: (row: [number, ...unknown[]]) => V,
): Map<number, V> {
  return new Map(list.map((row) => [row[0], value(row)]));
}

/**
 * The filtered deals in list order, a thousand at a time (keyset pagination on the sort key and
 * id), each batch with its parts aggregated per deal by five grouped queries. Memory stays at one
 * batch; the statements are short, so no cursor stays open across yields.
 */
function* dealBatches(db: Db, f: DealFilters): Generator<Batch> {
  const where = dealWhere(db, f);
  if (!where) return;
  const key = SORT_KEY[f.sort];
  let after: { value: unknown; id: number } | null = null;
  for (;;) {
    const keyset: SQL = after
      ? sql`(${key.column}, "deals"."id") ${key.dir} (${after.value}, ${after.id})`
      : sql`1`;
    const deals = rows<Batch["deals"][number]>(
      db,
      sql`SELECT "deals"."id", title, announced_on, date_precision, binding, status, summary, value_minor, currency,
        created_at, updated_at, ${key.column}
      FROM deals WHERE ${where} AND ${keyset} ORDER BY ${sql.join(ORDER[f.sort], sql`, `)} LIMIT ${BATCH}`,
    );
    if (!deals.length) return;
    // One JSON parameter for the batch's ids keeps the statements the same from batch to batch.
    const ids = sql`SELECT value FROM json_each(${JSON.stringify(deals.map((d) => d[0]))})`;
    const group = (query: SQL) => rows<[number, ...unknown[]]>(db, query);
    yield {
      deals,
      types: byDeal(
        group(
          sql`SELECT deal_id, group_concat(type, ${sep} ORDER BY type) FROM deal_types WHERE deal_id IN (${ids}) GROUP BY deal_id`,
        ),
        (r) => r[1] as string,
      ),
      parties: byDeal(
        group(sql`SELECT p.deal_id, group_concat(c.name || ' (' || p.role || ')', ${sep} ORDER BY p.position)
          FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id IN (${ids}) GROUP BY p.deal_id`),
        (r) => r[1] as string,
      ),
      technologies: byDeal(
        group(sql`SELECT dt.deal_id, group_concat(t.name, ${sep} ORDER BY t.name)
          FROM deal_technologies dt JOIN technologies t ON t.id = dt.technology_id WHERE dt.deal_id IN (${ids}) GROUP BY dt.deal_id`),
        (r) => r[1] as string,
      ),
      sources: byDeal(
        group(sql`SELECT deal_id, min(url) FILTER (WHERE position = 0),
            json_group_array(json_object('url', url, 'title', title, 'publisher', publisher, 'publishedOn', published_on) ORDER BY position)
          FROM sources WHERE deal_id IN (${ids}) GROUP BY deal_id`),
        (r) => [r[1] as string, r[2] as string],
      ),
      quotes: byDeal(
        group(sql`SELECT deal_id, count(*),
            json_group_array(json_object('text', text, 'speaker', speaker, 'speakerTitle', speaker_title, 'speakerCompany', speaker_company) ORDER BY position)
          FROM quotes WHERE deal_id IN (${ids}) GROUP BY deal_id`),
        (r) => [r[1] as number, r[2] as string],
      ),
    };
    const last = deals[deals.length - 1]!;
    after = { value: last[11], id: last[0] };
    if (deals.length < BATCH) return;
  }
}

/**
 * Yields the CSV text of the report, header first, one line per row. Run it on a connection of its
 * own: the whole export reads one consistent snapshot (a read transaction) while others write.
 */
export function* exportCsv(db: Db, f: DealFilters, layout: ExportLayout): Generator<string> {
  const client = db.$client;
  const ownTransaction = !client.inTransaction;
  if (ownTransaction) client.exec("BEGIN");
  try {
    yield* exportLines(db, f, layout);
  } finally {
    if (ownTransaction && client.inTransaction) client.exec("COMMIT");
  }
}

function* exportLines(db: Db, f: DealFilters, layout: ExportLayout): Generator<string> {
  if (layout === "deals") {
    yield csvRow(DEALS_HEADER);
    for (const batch of dealBatches(db, f)) {
      for (const [
        id,
        title,
        announcedOn,
        precision,
        binding,
        status,
        summary,
        minor,
        currency,
        created,
        updated,
      ] of batch.deals) {
        const [firstUrl, sources] = batch.sources.get(id) ?? [null, "[]"];
        const [quoteCount, quotes] = batch.quotes.get(id) ?? [0, "[]"];
        yield csvRow([
          id,
          title,
          announcedOn,
          precision,
          batch.types.get(id) ?? "",
          binding,
          status,
          batch.parties.get(id) ?? "",
          batch.technologies.get(id) ?? "",
          summary,
          minor === null || !currency ? null : fromMinorUnits(minor, currency),
          currency,
          firstUrl,
          quoteCount,
          iso(created),
          iso(updated),
          sources,
          quotes,
        ]);
      }
    }
    return;
  }
  if (layout === "parties") {
    yield csvRow(PARTIES_HEADER);
    for (const batch of dealBatches(db, f)) {
      const ids = sql`SELECT value FROM json_each(${JSON.stringify(batch.deals.map((d) => d[0]))})`;
      const parties = new Map<number, [number, string, string, string | null, string | null][]>();
      for (const row of rows<[number, string, string, string | null, string | null]>(
        db,
        sql`SELECT p.deal_id, c.name, p.role, c.country, parent.name FROM deal_parties p JOIN companies c ON c.id = p.company_id
          LEFT JOIN companies parent ON parent.id = c.parent_id WHERE p.deal_id IN (${ids}) ORDER BY p.deal_id, p.position`,
      )) {
        const list = parties.get(row[0]);
        if (list) list.push(row);
        else parties.set(row[0], [row]);
      }
      for (const [id, title, announcedOn] of batch.deals) {
        const types = batch.types.get(id) ?? "";
        const technologies = batch.technologies.get(id) ?? "";
        for (const [, company, role, country, parent] of parties.get(id) ?? []) {
          yield csvRow([id, title, announcedOn, company, role, country, parent, types, technologies]);
        }
      }
    }
    return;
  }
  yield csvRow(PAIRS_HEADER);
  const where = dealWhere(db, f) ?? sql`0`;
  // Areas are collected with a unit separator after each name, so names containing commas survive.
  const query = sql`SELECT ca.name, cb.name, count(DISTINCT "deals"."id"), min("deals"."announced_on"), max("deals"."announced_on"),
      group_concat(DISTINCT t.name || char(31))
    FROM deals JOIN deal_parties a ON a.deal_id = "deals"."id" JOIN deal_parties b ON b.deal_id = a.deal_id AND b.company_id > a.company_id
    JOIN companies ca ON ca.id = a.company_id JOIN companies cb ON cb.id = b.company_id
    LEFT JOIN deal_technologies dt ON dt.deal_id = "deals"."id" LEFT JOIN technologies t ON t.id = dt.technology_id
    WHERE ${where} GROUP BY a.company_id, b.company_id ORDER BY count(DISTINCT "deals"."id") DESC, ca.name, cb.name`;
  for (const [a, b, n, first, last, areas] of iterate(db, dialect.sqlToQuery(query))) {
    const names = ((areas as string | null) ?? "")
      .split(/\x1f,?/)
      .filter(Boolean)
      .sort();
    yield csvRow([a as string, b as string, n as number, first as string, last as string, names.join(sep)]);
  }
}

/** Steps through a statement's rows as arrays, without collecting them. */
function* iterate(db: Db, query: { sql: string; params: unknown[] }): Generator<unknown[]> {
  const statement = db.$client.prepare(query.sql).raw(true);
  yield* statement.iterate(...query.params) as Iterable<unknown[]>;
}
