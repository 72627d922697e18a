import "server-only";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { csvRow, MULTI_SEPARATOR, type CsvCell } from "@/lib/csv";
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

/**
 * Columns of the outer `deals` row, written with their table name: inside a correlated subquery a
 * bare "id" would bind to the subquery's own table (see db/queries.ts).
 */
const dealId = sql`"deals"."id"`;
const sep = MULTI_SEPARATOR;

const typesOf = sql`(SELECT group_concat(type, ${sep}) FROM (SELECT type FROM deal_types WHERE deal_id = ${dealId} ORDER BY type))`;
const techOf = sql`(SELECT group_concat(name, ${sep}) FROM (SELECT t.name FROM deal_technologies dt JOIN technologies t ON t.id = dt.technology_id WHERE dt.deal_id = ${dealId} ORDER BY t.name))`;

const ORDER: Record<DealFilters["sort"], SQL[]> = {
  "-announcedOn": [desc(deals.announcedOn), desc(deals.id)],
  announcedOn: [asc(deals.announcedOn), asc(deals.id)],
  title: [asc(deals.title), asc(deals.id)],
  "-updatedAt": [desc(deals.updatedAt), desc(deals.id)],
};

const dialect = new SQLiteSyncDialect();
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

/** Yields the CSV text of the report, header first, one line per row. */
export function* exportCsv(db: Db, f: DealFilters, layout: ExportLayout): Generator<string> {
  const where = dealWhere(db, f) ?? sql`0`;
  if (layout === "deals") {
    yield csvRow(DEALS_HEADER);
    const query = db
      .select({
        id: deals.id,
        title: deals.title,
        announcedOn: deals.announcedOn,
        datePrecision: deals.datePrecision,
        types: typesOf,
        binding: deals.binding,
        status: deals.status,
        parties: sql`(SELECT group_concat(c.name || ' (' || p.role || ')', ${sep}) FROM (SELECT * FROM deal_parties WHERE deal_id = ${dealId} ORDER BY position) p JOIN companies c ON c.id = p.company_id)`,
        technologies: techOf,
        summary: deals.summary,
        valueMinor: deals.valueMinor,
        currency: deals.currency,
        sourceUrl: sql`(SELECT url FROM sources WHERE deal_id = ${dealId} ORDER BY position LIMIT 1)`,
        quoteCount: sql`(SELECT count(*) FROM quotes WHERE deal_id = ${dealId})`,
        createdAt: sql`"deals"."created_at"`,
        updatedAt: sql`"deals"."updated_at"`,
        sourcesJson: sql`(SELECT json_group_array(json_object('url', url, 'title', title, 'publisher', publisher, 'publishedOn', published_on)) FROM (SELECT * FROM sources WHERE deal_id = ${dealId} ORDER BY position))`,
        quotesJson: sql`(SELECT json_group_array(json_object('text', text, 'speaker', speaker, 'speakerTitle', speaker_title, 'speakerCompany', speaker_company)) FROM (SELECT * FROM quotes WHERE deal_id = ${dealId} ORDER BY position))`,
      })
      .from(deals)
      .where(where)
      .orderBy(...ORDER[f.sort]);
    for (const r of iterate(db, query.toSQL())) {
      const [
        id,
        title,
        announcedOn,
        precision,
        types,
        binding,
        status,
        parties,
        techs,
        summary,
        minor,
        currency,
        url,
        quoteCount,
        created,
        updated,
        sourcesJson,
        quotesJson,
      ] = r;
      yield csvRow([
        id as number,
        title as string,
        announcedOn as string,
        precision as string,
        types as string,
        binding as string,
        status as string,
        parties as string,
        techs as string,
        summary as string,
        minor === null ? null : fromMinorUnits(minor as number, currency as string),
        currency as string | null,
        url as string | null,
        quoteCount as number,
        iso(created as number),
        iso(updated as number),
        sourcesJson as string,
        quotesJson as string,
      ]);
    }
    return;
  }
  if (layout === "parties") {
    yield csvRow(PARTIES_HEADER);
    const query = sql`SELECT "deals"."id", "deals"."title", "deals"."announced_on", c.name, p.role, c.country,
        (SELECT name FROM companies parent WHERE parent.id = c.parent_id), ${typesOf}, ${techOf}
      FROM deals JOIN deal_parties p ON p.deal_id = "deals"."id" JOIN companies c ON c.id = p.company_id
      WHERE ${where} ORDER BY ${sql.join(ORDER[f.sort], sql`, `)}, p.position`;
    for (const r of iterate(db, dialect.sqlToQuery(query))) yield csvRow(r as CsvCell[]);
    return;
  }
  yield csvRow(PAIRS_HEADER);
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
