import "server-only";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Statement } from "better-sqlite3";
import { csvRow, csvRows, MULTI_SEPARATOR, type CsvCell } from "@/lib/csv";
import type { DealFilters } from "@/lib/filters";
import { fromMinorUnits } from "@/lib/money";
import type { Db } from "./connection";
import { dealWhere } from "./filters";
import { deals } from "./schema";

// CSV reports of exactly the filtered deals: the same filter schema and WHERE clause as the list,
// streamed in keyset-paged batches of pre-joined rows (never the whole file in memory).

export const EXPORT_LAYOUTS = ["deals", "parties", "pairs"] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

const DEALS_HEADER = [
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

/** One batch of deals in list order, each with its pre-joined cells (db/schema.ts dealCells). */
type DealRow = [
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
  types: string,
  parties: string,
  technologies: string,
  firstSourceUrl: string | null,
  quoteCount: number,
  sourcesJson: string,
  quotesJson: string,
  sortKey: unknown,
];

const BATCH = 500;
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

/**
 * The filtered deals in list order, five hundred at a time (keyset pagination on the sort key and
 * id), with their cells. Memory stays at one batch; no cursor stays open across yields.
 */
export function* dealBatches(db: Db, f: DealFilters): Generator<DealRow[]> {
  const where = dealWhere(db, f);
  if (!where) return;
  const key = SORT_KEY[f.sort];
  let after: { value: unknown; id: number } | null = null;
  for (;;) {
    const keyset: SQL = after
      ? sql`(${key.column}, "deals"."id") ${key.dir} (${after.value}, ${after.id})`
      : sql`1`;
    const batch = rows<DealRow>(
      db,
      sql`SELECT "deals"."id", title, announced_on, date_precision, binding, status, summary, value_minor, currency,
        created_at, updated_at, cells.types, cells.parties, cells.technologies, cells.first_source_url, cells.quote_count,
        cells.sources_json, cells.quotes_json, ${key.column}
      FROM deals JOIN deal_cells cells ON cells.deal_id = "deals"."id"
      WHERE ${where} AND ${keyset} ORDER BY ${sql.join(ORDER[f.sort], sql`, `)} LIMIT ${BATCH}`,
    );
    if (!batch.length) return;
    yield batch;
    const last = batch[batch.length - 1]!;
    after = { value: last[18], id: last[0] };
    if (batch.length < BATCH) return;
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
      yield csvRows(
        batch.map((d): CsvCell[] => {
          const [
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
          ] = d;
          const [types, parties, technologies, firstUrl, quoteCount, sources, quotes] = d.slice(11, 18) as [
            string,
            string,
            string,
            string | null,
            number,
            string,
            string,
          ];
          return [
            id,
            title,
            announcedOn,
            precision,
            types,
            binding,
            status,
            parties,
            technologies,
            summary,
            minor === null || !currency ? null : fromMinorUnits(minor, currency),
            currency,
            firstUrl,
            quoteCount,
            iso(created),
            iso(updated),
            sources,
            quotes,
          ];
        }),
      );
    }
    return;
  }
  if (layout === "parties") {
    yield csvRow(PARTIES_HEADER);
    for (const batch of dealBatches(db, f)) {
      const ids = sql`SELECT value FROM json_each(${JSON.stringify(batch.map((d) => d[0]))})`;
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
      yield csvRows(
        batch.flatMap((d) =>
          (parties.get(d[0]) ?? []).map(([, company, role, country, parent]): CsvCell[] => [
            d[0],
            d[1],
            d[2],
            company,
            role,
            country,
            parent,
            d[11],
            d[13],
          ]),
        ),
      );
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
