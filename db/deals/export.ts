import "server-only";
import type { Database as SqliteConnection, Statement } from "better-sqlite3";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { PoolClient } from "pg";
import { csvRow, csvRows, MULTI_SEPARATOR, type CsvCell } from "@/lib/csv";
import { DEAL_COLUMNS, DEAL_CSV_HEADER, type DealCsvColumn } from "@/lib/deal-columns";
import type { DealFilters } from "@/lib/filters";
import { fromMinorUnits } from "@/lib/money";
import { DEAL_PLAIN_FIELDS, type DealPlainField } from "@/lib/validation";
import { openSqliteConnection, type Db } from "../core/connection";
import { inIds } from "../core/dialect";
import { dealWhere } from "../stats/filters";
import { deals } from "../schema";

// CSV reports of exactly the filtered deals: the same filter schema and WHERE clause as the list,
// streamed in batches of pre-joined rows (never the whole file in memory), from one consistent
// snapshot on a connection of the export's own, so the app's connections keep serving others:
//   - SQLite: a read-only connection to the same file, in a read transaction, keyset-paged.
//   - PostgreSQL: a client of the read pool (or the replica), in a REPEATABLE READ READ ONLY
//     transaction, reading a server-side cursor a batch at a time (the next one read ahead).

export const EXPORT_LAYOUTS = ["deals", "parties", "pairs"] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

const PARTIES_HEADER = [
  "deal_id",
  "title",
  "announced_on",
  "company",
  "role",
  "company_country",
  "company_sector",
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
  "company_a_country",
  "company_a_sector",
  "company_b_country",
  "company_b_sector",
];

const sep = MULTI_SEPARATOR;

const ORDER: Record<DealFilters["sort"], SQL[]> = {
  "-announcedOn": [desc(deals.announcedOn), desc(deals.id)],
  announcedOn: [asc(deals.announcedOn), asc(deals.id)],
  title: [asc(deals.title), asc(deals.id)],
  "-updatedAt": [desc(deals.updatedAt), desc(deals.id)],
};

const iso = (unixMillis: number) => new Date(unixMillis).toISOString();

/** One batch of deals in list order: each with its pre-joined cells (db/schema deal_cells), the sort
 * key, then the plain fields the CSV carries as stored (PLAIN_COLUMNS). */
export type DealRow = [
  id: number,
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
  partyCountries: string | null,
  partySectors: string | null,
  sortKey: string | number,
  ...plain: CsvCell[],
];
const SORT_KEY_AT = 14;

type PartyRow = [
  dealId: number,
  company: string,
  role: string,
  country: string | null,
  sector: string | null,
  parent: string | null,
];

type Column = (typeof DEAL_COLUMNS)[number];
/** A CSV column of a plain deal field (lib/validation.ts): written as its `deals` column holds it. */
type PlainCsvColumn = Extract<Column, { csv: string; field: DealPlainField }>["csv"];
const isPlain = (c: Column): c is Extract<Column, { csv: string; field: DealPlainField }> =>
  c.csv !== null && (DEAL_PLAIN_FIELDS as (string | null)[]).includes(c.field);
const PLAIN_COLUMNS = DEAL_COLUMNS.filter(isPlain);
/** Where each plain field's column sits in a selected row. */
function plainAt(field: DealPlainField): number {
  const index = PLAIN_COLUMNS.findIndex((c) => c.field === field);
  if (index < 0) throw new Error(`The CSV has no column for ${field}`);
  return SORT_KEY_AT + 1 + index;
}

/**
 * Each other CSV column's cell from a selected row; a new column in lib/deal-columns.ts that is not a
 * plain field fails to compile here.
 */
const DEAL_CELLS: Record<Exclude<DealCsvColumn, PlainCsvColumn>, (d: DealRow) => CsvCell> = {
  id: (d) => d[0],
  deal_types: (d) => d[5],
  parties: (d) => d[6],
  technology_areas: (d) => d[7],
  value: (d) => (d[1] === null || !d[2] ? null : fromMinorUnits(d[1], d[2])),
  currency: (d) => d[2],
  source_url: (d) => d[8],
  quote_count: (d) => d[9],
  created_at: (d) => iso(d[3]),
  updated_at: (d) => iso(d[4]),
  sources_json: (d) => d[10],
  quotes_json: (d) => d[11],
  party_countries: (d) => d[12],
  party_sectors: (d) => d[13],
};
const DEAL_CELLS_IN_ORDER = DEAL_COLUMNS.filter((c) => c.csv !== null).map((c): ((d: DealRow) => CsvCell) => {
  if (!isPlain(c)) return DEAL_CELLS[c.csv as Exclude<DealCsvColumn, PlainCsvColumn>];
  const at = plainAt(c.field);
  return (d) => d[at];
});
const TITLE_AT = plainAt("title");
/** A row selected with `lines`: the deal's kept line, or its cells (a DealRow) as JSON (parsed by pg). */
type KeptLineRow = [line: string, cells: null] | [line: null, cells: string | DealRow];
const ANNOUNCED_AT = plainAt("announcedOn");

/**
 * Rows per batch: SQLite pages with LIMIT (cheap per statement). PostgreSQL pays a round trip per
 * FETCH, hidden by reading the next batch ahead; a bigger batch's strings outlive Node's young
 * generation and grow the server's heap (issue 26, 100,000 deals streamed by a bare HTTP server:
 * +100 MB at 2,000 rows a batch, +55–60 MB at 500).
 */
const SQLITE_BATCH = 500;
const PG_BATCH = 500;

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
 * Where an export reads from: raw rows (arrays, not objects: at 100,000 deals the mapping would cost
 * more than the query), all of a small query at once, or a big one batch by batch.
 */
interface Source {
  readonly engine: "sqlite" | "pg";
  all<T extends unknown[]>(query: SQL): Promise<T[]>;
  /**
   * The rows of one statement in batches, never all at once (SQLite: its iterator, which keeps the
   * connection busy until the end; PostgreSQL: a DECLAREd cursor, the connection stays usable).
   */
  cursor<T extends unknown[]>(query: SQL): AsyncGenerator<T[]>;
  close(): Promise<void>;
}

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

/** A read-only connection to the same file, in a read transaction: one snapshot, writers unblocked. */
function sqliteSource(file: string): Source {
  const conn: SqliteConnection = openSqliteConnection(file, { readonly: true });
  // Statements are prepared once per text, so each keyset batch only binds new values.
  const prepared = new Map<string, Statement<unknown[]>>();
  conn.exec("BEGIN");
  return {
    engine: "sqlite",
    async all<T extends unknown[]>(query: SQL) {
      const { sql: text, params } = sqliteDialect.sqlToQuery(query);
      let statement = prepared.get(text);
      if (!statement) prepared.set(text, (statement = conn.prepare<unknown[]>(text).raw(true)));
      return statement.all(...params) as T[];
    },
    async *cursor<T extends unknown[]>(query: SQL) {
      // For layouts that run nothing else on this connection meanwhile (an open iterator blocks it).
      const { sql: text, params } = sqliteDialect.sqlToQuery(query);
      let batch: T[] = [];
      for (const row of conn
        .prepare(text)
        .raw(true)
        .iterate(...params) as Iterable<T>) {
        batch.push(row);
        if (batch.length === SQLITE_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
    async close() {
      if (conn.inTransaction) conn.exec("COMMIT");
      conn.close();
    },
  };
}

/**
 * A pooled client in a read-only snapshot. A DECLAREd cursor rather than pg-cursor: the parties
 * layout queries each batch's parties while the cursor stays open, which a protocol-level portal
 * (pg-cursor) would block on the same client.
 */
async function pgSource(client: PoolClient): Promise<Source> {
  let cursors = 0;
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  // No JIT: the deals layout's subqueries for deals without a kept line rarely run, yet the planner
  // counts them for every row, and compiling the plan cost 0.3 s of CPU at 100,000 deals (issue 26).
  await client.query("SET LOCAL jit = off");
  return {
    engine: "pg",
    async all<T extends unknown[]>(query: SQL) {
      const { sql: text, params } = pgDialect.sqlToQuery(query);
      return (await client.query<T>({ text, values: params, rowMode: "array" })).rows;
    },
    async *cursor<T extends unknown[]>(query: SQL) {
      const { sql: text, params } = pgDialect.sqlToQuery(query);
      const name = `export_${++cursors}`;
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values: params });
      const fetch = () => {
        const batch = client.query<T>({ text: `FETCH ${PG_BATCH} FROM ${name}`, rowMode: "array" });
        // Not awaited when the reader stops early: its failure is then no one's (ROLLBACK follows).
        batch.catch(() => undefined);
        return batch;
      };
      let next = fetch();
      for (;;) {
        const { rows } = await next;
        const more = rows.length === PG_BATCH;
        // PostgreSQL reads the next batch while this one is written out: two batches in hand at most.
        if (more) next = fetch();
        if (rows.length) yield rows;
        if (!more) break;
      }
      await client.query(`CLOSE ${name}`);
    },
    async close() {
      // Only read: ending the snapshot either way is the same; a broken client is discarded.
      try {
        await client.query("ROLLBACK");
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}

async function openSource(db: Db): Promise<Source> {
  const internals = db.internals;
  if (internals.engine === "sqlite") return sqliteSource(internals.file);
  // The same routing as every read: a writer's export includes what they just saved.
  const client = await (await internals.readPool()).connect();
  try {
    return await pgSource(client);
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

/** The distinct countries (or sectors) of a deal's parties, sorted: "JP; KR". */
function partyCodes(engine: "sqlite" | "pg", column: "country" | "sector"): SQL {
  const value = sql.identifier(column);
  const codes =
    engine === "pg"
      ? sql`string_agg(DISTINCT c.${value}, ${sep} ORDER BY c.${value})`
      : // SQLite takes DISTINCT only with one argument; no code holds a comma.
        sql`replace(group_concat(DISTINCT c.${value} ORDER BY c.${value}), ',', ${sep})`;
  return sql`(SELECT ${codes} FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = "deals"."id")`;
}

/**
 * The SELECT of the deals layout's rows (DealRow) in list order. With `lines`, each row is a
 * KeptLineRow: the deal's kept CSV line (db/deals/csv-lines.ts), or its cells when it has none.
 */
export function dealRowsQuery(
  engine: "sqlite" | "pg",
  where: SQL,
  sort: DealFilters["sort"],
  /** `named`: each column named c0, c1, … (for drivers that return rows as objects, in that order). */
  /** `unordered`: in no particular order (the background pass takes any missing lines). */
  options: { keyset?: SQL; limit?: number; lines?: boolean; named?: boolean; unordered?: boolean } = {},
): SQL {
  // Timestamps as whole unix milliseconds on both engines (SQLite stores seconds): a number parses
  // far faster than a timestamptz into a Date, and the CSV shows milliseconds either way.
  const millis = (column: string) =>
    engine === "pg"
      ? sql`floor(extract(epoch from ${sql.identifier(column)}) * 1000)::float8`
      : sql`${sql.identifier(column)} * 1000`;
  const cells: SQL[] = [
    sql`"deals"."id"`,
    sql`value_minor`,
    sql`currency`,
    millis("created_at"),
    millis("updated_at"),
    sql`cells.types`,
    sql`cells.parties`,
    sql`cells.technologies`,
    sql`cells.first_source_url`,
    sql`cells.quote_count`,
    sql`cells.sources_json`,
    sql`cells.quotes_json`,
    partyCodes(engine, "country"),
    partyCodes(engine, "sector"),
    SORT_KEY[sort].column,
    ...PLAIN_COLUMNS.map((c) => sql`${deals[c.field]}`),
  ];
  // With lines: two columns, the kept line or (when there is none) the cells as one JSON array. The
  // cells are read by a subquery of their own, so a deal with a line costs neither its cells nor a
  // read of its row beyond what the filters need (PostgreSQL otherwise unpacks every column the
  // cells name from each row: a quarter of its CPU at 100,000 deals, issue 26).
  const asArray = engine === "pg" ? sql`json_build_array` : sql`json_array`;
  let columns = options.lines
    ? [
        sql`kept.csv_line`,
        sql`CASE WHEN kept.csv_line IS NULL THEN (SELECT ${asArray}(${sql.join(cells, sql`, `)})
          FROM deals JOIN deal_cells cells ON cells.deal_id = "deals"."id" WHERE "deals"."id" = kept.deal_id) END`,
      ]
    : cells;
  if (options.named) columns = columns.map((column, i) => sql`${column} AS ${sql.identifier(`c${i}`)}`);
  const joined = options.lines ? sql`kept` : sql`cells`;
  return sql`SELECT ${sql.join(columns, sql`, `)}
    FROM deals JOIN deal_cells ${joined} ON ${joined}.deal_id = "deals"."id"
    WHERE ${where} AND ${options.keyset ?? sql`1 = 1`}${
      options.unordered ? sql`` : sql` ORDER BY ${sql.join(ORDER[sort], sql`, `)}`
    }${options.limit ? sql` LIMIT ${options.limit}` : sql``}`;
}

/** A deal's line of the deals layout, CRLF included, from its selected row. */
export function dealLine(row: DealRow): string {
  return csvRow(DEAL_CELLS_IN_ORDER.map((cell) => cell(row)));
}

/** The filtered deals in list order, a batch at a time, with their cells. */
async function* dealBatches(
  source: Source,
  where: SQL,
  sort: DealFilters["sort"],
  options: { queriesBetweenBatches?: boolean; lines?: boolean } = {},
): AsyncGenerator<DealRow[]> {
  const key = SORT_KEY[sort];
  if (source.engine === "pg" || !options.queriesBetweenBatches) {
    yield* source.cursor<DealRow>(dealRowsQuery(source.engine, where, sort, { lines: options.lines }));
    return;
  }
  // SQLite, when the caller queries between batches (the parties layout): keyset pagination on the
  // sort key and id, so no statement stays open across yields on the one connection. Otherwise one
  // statement streams (about 15% faster at 100,000 deals).
  let after: { value: unknown; id: number } | null = null;
  for (;;) {
    const keyset: SQL | undefined = after
      ? sql`(${key.column}, "deals"."id") ${key.dir} (${after.value}, ${after.id})`
      : undefined;
    const batch: DealRow[] = await source.all<DealRow>(
      dealRowsQuery(source.engine, where, sort, { keyset, limit: SQLITE_BATCH }),
    );
    if (!batch.length) return;
    yield batch;
    const last: DealRow = batch[batch.length - 1]!;
    after = { value: last[SORT_KEY_AT], id: last[0] };
    if (batch.length < SQLITE_BATCH) return;
  }
}

/** The deals layout's rows without the CSV writing: the bench times the statements alone. */
export async function* dealRowBatches(db: Db, f: DealFilters): AsyncGenerator<unknown[][]> {
  const where = await dealWhere(db, f);
  if (!where) return;
  const source = await openSource(db);
  try {
    yield* dealBatches(source, where, f.sort);
  } finally {
    await source.close();
  }
}

/**
 * PostgreSQL's plan (EXPLAIN VERBOSE, as JSON) of the deals layout's statement, in an export's own
 * transaction with its settings: test/deals-export.test.ts reads it.
 */
export async function dealExportPlan(db: Db, f: DealFilters): Promise<unknown> {
  const where = await dealWhere(db, f);
  if (!where) throw new Error("No deals to plan for");
  const source = await openSource(db);
  try {
    if (source.engine !== "pg") throw new Error("PostgreSQL only");
    const query = dealRowsQuery(source.engine, where, f.sort, { lines: true });
    return (await source.all<[unknown]>(sql`EXPLAIN (VERBOSE, FORMAT JSON) ${query}`))[0]![0];
  } finally {
    await source.close();
  }
}

/**
 * Yields the CSV text of the report, header first, a batch of lines at a time. It reads one
 * consistent snapshot on a connection of its own, released when the generator ends or is
 * returned early (the client went away).
 */
export async function* exportCsv(
  db: Db,
  f: DealFilters,
  layout: ExportLayout,
  /** Counts the rows written (without the header), for the audit log. */
  counter: { rows: number } = { rows: 0 },
  /** `freshLines`: every line written now, none of the kept ones (the tests' reference). */
  options: { freshLines?: boolean } = {},
): AsyncGenerator<string> {
  const where = await dealWhere(db, f);
  const source = await openSource(db);
  try {
    yield* exportLines(source, where, f.sort, layout, counter, options);
  } finally {
    await source.close();
  }
}

async function* exportLines(
  source: Source,
  where: SQL | null,
  sort: DealFilters["sort"],
  layout: ExportLayout,
  counter: { rows: number },
  options: { freshLines?: boolean },
): AsyncGenerator<string> {
  const rows = (cells: CsvCell[][]) => {
    counter.rows += cells.length;
    return csvRows(cells);
  };
  if (layout === "deals") {
    yield csvRow(DEAL_CSV_HEADER);
    if (!where) return;
    // Most deals' lines are kept ready (db/deals/csv-lines.ts): those are sent as they are, and only
    // the deals changed since the last background pass are written here.
    const lines = !options.freshLines;
    for await (const batch of dealBatches(source, where, sort, { lines })) {
      counter.rows += batch.length;
      let out = "";
      if (!lines) for (const d of batch) out += dealLine(d);
      else
        for (const [line, cells] of batch as unknown as KeptLineRow[])
          out += line ?? dealLine((typeof cells === "string" ? JSON.parse(cells) : cells) as DealRow);
      yield out;
    }
    return;
  }
  if (layout === "parties") {
    yield csvRow(PARTIES_HEADER);
    if (!where) return;
    for await (const batch of dealBatches(source, where, sort, { queriesBetweenBatches: true })) {
      const parties = new Map<number, PartyRow[]>();
      for (const row of await source.all<PartyRow>(
        sql`SELECT p.deal_id, c.name, p.role, c.country, c.sector, parent.name FROM deal_parties p JOIN companies c ON c.id = p.company_id
          LEFT JOIN companies parent ON parent.id = c.parent_id WHERE ${inIds(
            sql`p.deal_id`,
            batch.map((d) => d[0]),
          )} ORDER BY p.deal_id, p.position`,
      )) {
        const list = parties.get(row[0]);
        if (list) list.push(row);
        else parties.set(row[0], [row]);
      }
      yield rows(
        batch.flatMap((d) =>
          (parties.get(d[0]) ?? []).map(([, company, role, country, sector, parent]): CsvCell[] => [
            d[0],
            d[TITLE_AT],
            d[ANNOUNCED_AT],
            company,
            role,
            country,
            sector,
            parent,
            d[5],
            d[7],
          ]),
        ),
      );
    }
    return;
  }
  yield csvRow(PAIRS_HEADER);
  if (!where) return;
  // Areas are collected with a unit separator after each name, so names containing commas survive.
  const areas =
    source.engine === "pg"
      ? sql`string_agg(DISTINCT t.name || chr(31), ',')`
      : sql`group_concat(DISTINCT t.name || char(31))`;
  const query = sql`SELECT ca.name, cb.name, count(DISTINCT "deals"."id"), min("deals"."announced_on"), max("deals"."announced_on"), ${areas},
      ca.country, ca.sector, cb.country, cb.sector
    FROM deals JOIN deal_parties a ON a.deal_id = "deals"."id" JOIN deal_parties b ON b.deal_id = a.deal_id AND b.company_id > a.company_id
    JOIN companies ca ON ca.id = a.company_id JOIN companies cb ON cb.id = b.company_id
    LEFT JOIN deal_technologies dt ON dt.deal_id = "deals"."id" LEFT JOIN technologies t ON t.id = dt.technology_id
    WHERE ${where} GROUP BY a.company_id, b.company_id, ca.name, cb.name, ca.country, ca.sector, cb.country, cb.sector ORDER BY count(DISTINCT "deals"."id") DESC, ca.name, cb.name`;
  type PairRow = [string, string, number, string, string, string | null, ...(string | null)[]];
  for await (const batch of source.cursor<PairRow>(query)) {
    yield rows(
      batch.map(([a, b, n, first, last, names, ...codes]) => [
        a,
        b,
        n,
        first,
        last,
        (names ?? "")
          .split(/\x1f,?/)
          .filter(Boolean)
          .sort()
          .join(sep),
        ...codes,
      ]),
    );
  }
}
