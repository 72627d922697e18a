import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import type { Reader, Tx } from "../core/connection";
import { dateText, inIds, isPg } from "../core/dialect";
import { findCompanyId, findTechnologyId } from "../directory/lookups";
import { dealWhere } from "./filters";
import { filtersSet, int, TYPE_BITS, typeBit } from "./count-sql";

// The deals of one company, group or technology area as one range of stat_deal_keys (db/schema:
// one row per filter key and live public deal, with its date, binding and types). At a million
// deals the busiest company has 15,000 deals and an area 50,000: read from the base tables, each
// widget visited every one of those deals' rows across the file (179–458 ms on SQLite, up to a
// second on PostgreSQL); read from their key's range they are a few hundred contiguous pages.
// Kept exact like the per-bucket counts, by countDeals (db/stats/stat-counts.ts) in the write's
// transaction: its -1 deletes the rows the deals have before a change, its +1 inserts what they
// have after.

/**
 * What a row's `key_id` is: a party; the group (parent) of a party that has one; an area; an area's
 * broader area (one or two levels up). Roll up reads a company's or area's own rows and those of
 * the level above together (keyRowsOf): rows of a deal's own company or area stored twice under
 * another kind would double the table for the many companies and areas with none above or below.
 */
export const KEY_KINDS = { company: 0, group: 1, area: 2, broaderArea: 3 } as const;

/**
 * The deals matching `live` (alias `d`) with their date, binding, types mask and primary type (as
 * stat_deal_months counts them), from `deals`: (id, announced_on, binding, types_mask, primary_type).
 */
export const keyedDeals = (live: SQL) => sql`SELECT d.id AS id, d.announced_on AS announced_on,
  d.binding AS binding,
  coalesce((SELECT sum(${TYPE_BITS}) FROM deal_types t WHERE t.deal_id = d.id), 0) AS types_mask,
  coalesce((SELECT pt.type FROM deal_types pt WHERE pt.deal_id = d.id ORDER BY pt.position, pt.type LIMIT 1), '') AS primary_type
  FROM deals d WHERE ${live}`;

/**
 * Every key row of the deals in `m` (keyedDeals, or a table of its columns): (kind, key_id,
 * announced_on, deal_id, binding, types_mask, primary_type). A deal has one row per party and per
 * area, and one per parent group of its parties and per broader area of its areas (two levels up,
 * as Roll up counts) however many of its parties or areas share it.
 */
function keyRows(m: SQL): SQL {
  const facts = sql`m.announced_on AS announced_on, m.id AS deal_id, m.binding AS binding, m.types_mask AS types_mask, m.primary_type AS primary_type`;
  return sql`SELECT ${int(KEY_KINDS.company)} AS kind, p.company_id AS key_id, ${facts}
      FROM ${m} CROSS JOIN deal_parties p WHERE p.deal_id = m.id
    UNION ALL SELECT DISTINCT ${int(KEY_KINDS.group)}, c.parent_id, ${facts}
      FROM ${m} CROSS JOIN deal_parties p CROSS JOIN companies c
      WHERE p.deal_id = m.id AND c.id = p.company_id AND c.parent_id IS NOT NULL
    UNION ALL SELECT ${int(KEY_KINDS.area)}, dt.technology_id, ${facts}
      FROM ${m} CROSS JOIN deal_technologies dt WHERE dt.deal_id = m.id
    UNION ALL SELECT DISTINCT ${int(KEY_KINDS.broaderArea)}, a.id, ${facts}
      FROM ${m} CROSS JOIN deal_technologies dt JOIN technologies own ON own.id = dt.technology_id
        LEFT JOIN technologies up ON up.id = own.parent_id
        JOIN technologies a ON a.id IN (own.parent_id, up.parent_id)
      WHERE dt.deal_id = m.id`;
}

const COLUMNS = sql`kind, key_id, announced_on, deal_id, binding, types_mask, primary_type`;

/**
 * The statement that adds (`sign` 1) or removes (-1) the key rows of the live deals matching `live`
 * (alias `d`). Removing names each row by its whole key, computed from the base tables as they are
 * before the change: what adding them computed.
 */
export function dealKeyStatement(live: SQL, sign: 1 | -1): SQL {
  const rows = keyRows(sql`(${keyedDeals(live)}) m`);
  return sign === 1
    ? sql`INSERT INTO stat_deal_keys (${COLUMNS}) SELECT * FROM (${rows}) AS keyed WHERE TRUE ON CONFLICT DO NOTHING`
    : sql`DELETE FROM stat_deal_keys WHERE (kind, key_id, announced_on, deal_id) IN (
        SELECT kind, key_id, announced_on, deal_id FROM (${rows}) AS keyed)`;
}

/** The key rows the few deals of a save have, by their whole key (removeDealKeys). */
type KeyRow = { kind: number; key_id: number; announced_on: string; deal_id: number };

/**
 * Removes the key rows of the live deals matching `live` (alias `d`), before a change. A save's few
 * rows are read first and removed by their whole key: named by a subquery instead, both engines
 * walked every row of each of the deal's companies and areas (50,000 for an area at a million
 * deals). Many rows (a merge of a busy company) are removed by the subquery, in one statement.
 */
export async function removeDealKeys(tx: Tx, live: SQL): Promise<SQL | null> {
  const { rows } = await tx.execute<KeyRow>(
    sql`SELECT kind, key_id, ${dateText(sql`announced_on`)} AS announced_on, deal_id
      FROM (${keyRows(sql`(${keyedDeals(live)}) m`)}) AS keyed LIMIT ${int(MANY + 1)}`,
  );
  if (rows.length > MANY) return dealKeyStatement(live, -1);
  if (!rows.length) return null;
  return sql`DELETE FROM stat_deal_keys WHERE ${sql.join(
    rows.map(
      (r) =>
        sql`(kind = ${int(Number(r.kind))} AND key_id = ${int(Number(r.key_id))} AND announced_on = ${r.announced_on} AND deal_id = ${int(Number(r.deal_id))})`,
    ),
    sql` OR `,
  )}`;
}
const MANY = 500;

/**
 * Every live deal's key rows at once (generation, a rebuild, a database migrated from before them),
 * into an empty table: the deals' types read once into a temporary table, the rows inserted in
 * key order (in any other order each insert lands on a random page of the table).
 */
export async function addAllDealKeys(tx: Tx, live: SQL): Promise<void> {
  const temp = isPg ? sql`pg_temp` : sql`temp`;
  await tx.execute(sql`DROP TABLE IF EXISTS ${temp}.keyed_deals`);
  await tx.execute(sql`CREATE TEMP TABLE keyed_deals AS ${keyedDeals(live)}`);
  if (isPg) await tx.execute(sql`ANALYZE keyed_deals`);
  await tx.execute(sql`INSERT INTO stat_deal_keys (${COLUMNS})
    SELECT * FROM (${keyRows(sql`keyed_deals m`)}) AS keyed ORDER BY 1, 2, 3, 4`);
  await tx.execute(sql`DROP TABLE ${temp}.keyed_deals`);
}

// ---------------------------------------------------------------------------------------------
// Reading: which filter sets one key answers, and its deals

/** The filters a key's rows can answer besides the key itself: what each row carries. */
const KEYED_WITH: ReadonlySet<string> = new Set(["type", "binding", "from", "to", "rollup"]);

/** One key's deals (its rows of one kind, or two under Roll up), narrowed by types, bindings and dates. */
export type KeyScope = { kinds: number[]; keyId: number; f: DealFilters };

/**
 * The key whose rows hold `f`'s deals: exactly one company or one technology area, with any types,
 * bindings, dates and Roll up, and nothing else; null for anything else (the base tables answer).
 * `undefined` key ids (an unknown company) are null too: dealWhere answers "nothing" for those.
 */
export async function keyScope(db: Reader, f: DealFilters): Promise<KeyScope | null> {
  const keyed = filtersSet(f).filter((key) => !KEYED_WITH.has(key));
  if (keyed.length !== 1) return null;
  // Roll up filters by the company and its subsidiaries (the area and its narrower areas): its own
  // rows and those naming it as a party's group (an area's broader area).
  if (keyed[0] === "company" && f.company.length === 1) {
    const id = await findCompanyId(db, f.company[0]!);
    if (!id) return null;
    return { kinds: f.rollup ? [KEY_KINDS.company, KEY_KINDS.group] : [KEY_KINDS.company], keyId: id, f };
  }
  if (keyed[0] === "technology" && f.technology.length === 1) {
    const id = await findTechnologyId(db, f.technology[0]!);
    if (!id) return null;
    return { kinds: f.rollup ? [KEY_KINDS.area, KEY_KINDS.broaderArea] : [KEY_KINDS.area], keyId: id, f };
  }
  return null;
}

/**
 * The key's rows in scope as a parenthesised relation (deal_id, announced_on, binding, types_mask,
 * primary_type): the public deals from stat_deal_keys, and the confidential deals of the reader's
 * teams (issue 25), which the table does not hold, computed from the base tables (they are few).
 */
export function keyRowsOf(s: KeyScope): SQL {
  const { f } = s;
  const mask = f.type.reduce((bits, type) => bits | typeBit(type), 0);
  const where = sql.join(
    [
      sql`k.kind IN (${sql.join(
        s.kinds.map((kind) => int(kind)),
        sql`, `,
      )}) AND k.key_id = ${int(s.keyId)}`,
      ...(f.from ? [sql`k.announced_on >= ${f.from}`] : []),
      ...(f.to ? [sql`k.announced_on <= ${f.to}`] : []),
      ...(mask ? [sql`(k.types_mask & ${int(mask)}) <> 0`] : []),
      ...(f.binding.length
        ? [
            sql`k.binding IN (${sql.join(
              f.binding.map((b) => sql`${b}`),
              sql`, `,
            )})`,
          ]
        : []),
    ],
    sql` AND `,
  );
  // Under Roll up a deal may be in both kinds' rows (its company and a subsidiary): once each.
  const distinct = s.kinds.length > 1 ? sql`DISTINCT ` : sql``;
  const columns = sql`${distinct}k.deal_id AS deal_id, k.announced_on AS announced_on, k.binding AS binding, k.types_mask AS types_mask, k.primary_type AS primary_type`;
  const teams = f.audience?.teams ?? [];
  if (!teams.length) return sql`(SELECT ${columns} FROM stat_deal_keys k WHERE ${where})`;
  // A deal is public or a team's: the two arms never share one (UNION ALL).
  // By deals_team_idx, as statFrom: the teams' few deals looked up by id.
  const teamDeals = isPg
    ? sql`SELECT id FROM deals WHERE ${inIds(sql`team_id`, [...teams])}`
    : sql`SELECT id FROM deals INDEXED BY deals_team_idx WHERE ${inIds(sql`team_id`, [...teams])}`;
  const teamRows = keyRows(sql`(${keyedDeals(sql`d.deleted_at IS NULL AND d.id IN (${teamDeals})`)}) m`);
  return sql`(SELECT ${columns} FROM stat_deal_keys k WHERE ${where}
    UNION ALL SELECT ${columns} FROM (${teamRows}) AS k WHERE ${where})`;
}

/** The key's deal ids in scope, as a parenthesised query (each deal once: one row per key and deal). */
export const keyDealIds = (s: KeyScope): SQL => sql`(SELECT deal_id FROM ${keyRowsOf(s)} AS kd)`;

/**
 * The filter's WHERE on `deals` for the dashboard: for a key's filter set, its deals by id (the rows
 * hold only live deals the reader sees); otherwise dealWhere. Null when it selects nothing.
 */
export async function statsWhere(db: Reader, f: DealFilters): Promise<SQL | null> {
  const key = await keyScope(db, f);
  if (!key) return dealWhere(db, f);
  const where = sql`${sql.identifier("deals")}.${sql.identifier("id")} IN ${keyDealIds(key)}`;
  keyed.set(where, key);
  return where;
}

/**
 * The key behind a WHERE statsWhere made, if any: readers of junction tables (scopeOn) and of the
 * deals' dates and types read the key's rows directly instead of going through `deals`.
 */
export const keyOf = (where: SQL): KeyScope | undefined => keyed.get(where);
const keyed = new WeakMap<SQL, KeyScope>();
