import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import { DEAL_TYPES, type Binding, type DealType } from "@/lib/enums";
import type { Reader, Tx } from "../core/connection";
import { inIds, isPg, monthOf, yearOf } from "../core/dialect";
import { partyCompanies, partyCountry, partySector } from "./geo-keys";
import { takeDealWriteTurn } from "../core/write-order";
import { addAllDealKeys, dealKeyStatement, removeDealKeys } from "./deal-keys";
import { filtersSet, int, TYPE_BITS, typeBit } from "./count-sql";
import { SECTORS } from "@/lib/geo/sectors";

// Per-bucket counts behind the dashboard (tables in db/schema/*.ts, "Per-bucket counts"). At a
// million deals a GROUP BY over the base tables costs a second; these tables hold the same answers
// for all deals and for single filters in a few thousand rows, so those views cost the same at any
// size. They are kept exact, in the same transaction as each write: a write subtracts what the deals
// it touches counted before (`-1`), changes them, and adds what they count after (`+1`) — one set of
// statements for every kind of change (edit, delete, restore, merge, import, a new parent group), so
// there is no per-operation delta logic to get wrong. `rebuildStatCounts` recomputes everything from
// the base tables (migration of an existing database, generated data); the tests compare the kept
// counts with a rebuild after every kind of write.

/**
 * A deal's primary type: its first type as given (form, API, CSV), '' for a deal without types.
 * Stacked and summed charts count each deal once, under it, on the counts and the base tables alike.
 */
export const primaryTypeOf = (dealId: SQL): SQL<string> =>
  sql<string>`coalesce((SELECT pt.type FROM deal_types pt WHERE pt.deal_id = ${dealId}
    ORDER BY pt.position, pt.type LIMIT 1), '')`;

type StatTable = (typeof STAT_TABLES)[number];

/** One count table's rows from a set of deals: parts selecting the key's columns, then `deals` (then `extra`). */
type StatRows = { table: StatTable; key: string[]; extra: string[]; parts: SQL[] };

/**
 * What the deals matching `live` (on alias `d`: the deals to count, live ones only) count in each
 * table, `n` times (1 or -1). With `bulk`, the geography reads the temporary geo_values that
 * countDeals fills first; otherwise each deal's few party rows directly.
 */
function statRows(live: SQL, n: SQL, bulk: boolean): StatRows[] {
  const month = monthOf(sql`d.announced_on`);
  const rows: StatRows[] = [];
  const add = (table: StatTable, key: string[], parts: SQL[], extra: string[] = []) =>
    rows.push({ table, key, extra, parts });
  add(
    "stat_deal_months",
    ["month", "binding", "types_mask", "primary_type"],
    [
      sql`SELECT m.month, m.binding, m.types_mask, m.primary_type, ${n} * count(*) FROM (
      SELECT ${month} AS month, d.binding AS binding,
        ${typesMaskOf(sql`d.id`)} AS types_mask, ${primaryTypeOf(sql`d.id`)} AS primary_type
      FROM deals d WHERE ${live}) m
    GROUP BY m.month, m.binding, m.types_mask, m.primary_type`,
    ],
  );
  // Plain joins from the deals, one SELECT per kind of row: at a million deals a rebuild is a few
  // passes over indexed joins. A deal counts once per company (parties are distinct), and once
  // per group however many of the group's companies are its parties (count DISTINCT).
  const group = sql`coalesce(c.parent_id, c.id)`;
  // CROSS JOIN: SQLite joins in the order written (deals, then their rows by primary key); PostgreSQL
  // plans it as any inner join.
  const parties = sql`deals d CROSS JOIN deal_parties p`;
  const grouped = sql`${parties} CROSS JOIN companies c`;
  const partiesOn = sql`p.deal_id = d.id`;
  const groupedOn = sql`p.deal_id = d.id AND c.id = p.company_id`;
  add(
    "stat_companies",
    ["grouped", "type", "company_id"],
    [
      sql`SELECT FALSE, '*', p.company_id, ${n} * count(*), 0 FROM ${parties}
        WHERE ${partiesOn} AND ${live} GROUP BY p.company_id`,
      sql`SELECT FALSE, t.type, p.company_id, ${n} * count(*), 0
        FROM ${parties} CROSS JOIN deal_types t WHERE ${partiesOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, p.company_id`,
      sql`SELECT TRUE, '*', ${group}, ${n} * count(DISTINCT d.id), 0 FROM ${grouped}
        WHERE ${groupedOn} AND ${live} GROUP BY ${group}`,
      sql`SELECT TRUE, t.type, ${group}, ${n} * count(DISTINCT d.id), 0
        FROM ${grouped} CROSS JOIN deal_types t WHERE ${groupedOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, ${group}`,
    ],
    ["partners"],
  );
  add(
    "stat_company_months",
    ["grouped", "type", "company_id", "month"],
    [
      sql`SELECT FALSE, '*', p.company_id, ${month}, ${n} * count(*) FROM ${parties}
        WHERE ${partiesOn} AND ${live} GROUP BY p.company_id, ${month}`,
      sql`SELECT FALSE, t.type, p.company_id, ${month}, ${n} * count(*)
        FROM ${parties} CROSS JOIN deal_types t WHERE ${partiesOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, p.company_id, ${month}`,
      sql`SELECT TRUE, '*', ${group}, ${month}, ${n} * count(DISTINCT d.id) FROM ${grouped}
        WHERE ${groupedOn} AND ${live} GROUP BY ${group}, ${month}`,
      sql`SELECT TRUE, t.type, ${group}, ${month}, ${n} * count(DISTINCT d.id)
        FROM ${grouped} CROSS JOIN deal_types t WHERE ${groupedOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, ${group}, ${month}`,
    ],
  );
  const otherGroup = sql`coalesce(cb.parent_id, cb.id)`;
  add(
    "stat_company_pairs",
    ["grouped", "company_id", "partner_id"],
    [
      sql`SELECT FALSE, p.company_id, b.company_id, ${n} * count(*)
        FROM ${parties} CROSS JOIN deal_parties b
        WHERE ${partiesOn} AND b.deal_id = d.id AND b.company_id <> p.company_id AND ${live}
        GROUP BY p.company_id, b.company_id`,
      sql`SELECT TRUE, ${group}, ${otherGroup}, ${n} * count(DISTINCT d.id)
        FROM ${grouped} CROSS JOIN deal_parties b CROSS JOIN companies cb
        WHERE ${groupedOn} AND b.deal_id = d.id AND cb.id = b.company_id AND ${otherGroup} <> ${group} AND ${live}
        GROUP BY ${group}, ${otherGroup}`,
    ],
  );
  // With Roll up an area's deals also count under its broader areas (two levels up), once each.
  const areas = sql`deals d CROSS JOIN deal_technologies dt`;
  const areasOn = sql`dt.deal_id = d.id`;
  const broader = sql`${areas} JOIN technologies own ON own.id = dt.technology_id
    LEFT JOIN technologies up ON up.id = own.parent_id
    JOIN technologies a ON a.id IN (own.id, own.parent_id, up.parent_id)`;
  add(
    "stat_technologies",
    ["grouped", "type", "month", "technology_id"],
    [
      sql`SELECT FALSE, '*', ${month}, dt.technology_id, ${n} * count(*) FROM ${areas}
        WHERE ${areasOn} AND ${live} GROUP BY ${month}, dt.technology_id`,
      sql`SELECT FALSE, t.type, ${month}, dt.technology_id, ${n} * count(*)
        FROM ${areas} CROSS JOIN deal_types t WHERE ${areasOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, ${month}, dt.technology_id`,
      sql`SELECT TRUE, '*', ${month}, a.id, ${n} * count(DISTINCT d.id) FROM ${broader}
        WHERE ${areasOn} AND ${live} GROUP BY ${month}, a.id`,
      sql`SELECT TRUE, t.type, ${month}, a.id, ${n} * count(DISTINCT d.id)
        FROM ${broader} CROSS JOIN deal_types t WHERE ${areasOn} AND t.deal_id = d.id AND ${live}
        GROUP BY t.type, ${month}, a.id`,
    ],
  );

  // Geography and industry per year (db/stats/geo.ts): a deal counts once in each country (sector)
  // among its parties, under '' when none has one; once per pair of its countries; and once per
  // (sector, area) pair. Grouped rows give a subsidiary without a country (sector) its group's.
  const year = yearOf(sql`d.announced_on`);
  /** Each counted deal once per distinct non-null `key` of its parties: (deal_id, year, k). */
  const valuesOf = (key: SQL) =>
    sql`SELECT DISTINCT d.id AS deal_id, ${year} AS year, ${key} AS k
      FROM deals d CROSS JOIN deal_parties p ${partyCompanies}
      WHERE ${partiesOn} AND ${live} AND ${key} IS NOT NULL`;
  /** valuesOf, and '' once for each counted deal none of whose parties has a `key`. */
  const valuesOrNone = (key: SQL) =>
    sql`${valuesOf(key)} UNION ALL SELECT d.id, ${year}, '' FROM deals d WHERE ${live} AND NOT EXISTS (
      SELECT 1 FROM deal_parties p ${partyCompanies} WHERE p.deal_id = d.id AND ${key} IS NOT NULL)`;
  const levels = [false, true] as const;
  const level = (grouped: boolean) => (grouped ? sql`TRUE` : sql`FALSE`);
  const keyOf = { country: partyCountry, sector: partySector } as const;
  /**
   * The (deal_id, year, k) rows of one kind and level, '' rows (deals with none) included when
   * `none`. A save reads them from the deal's few rows directly; counting many deals at once reads
   * them from geo_values, filled once below: each is used by several tables, and computing them again
   * for each (24 passes over the parties) tripled what the geography added to a rebuild.
   */
  const geoValues = (kind: GeoKind, g: boolean, none: boolean) =>
    bulk
      ? storedGeoValues(kind, g, none)
      : kind === "cross"
        ? sql`(${crossValues(live, g)})`
        : sql`(${none ? valuesOrNone(keyOf[kind](g)) : valuesOf(keyOf[kind](g))})`;
  /** Every deal ('*') and per type: the rows of `from` (with its deal in `v.deal_id`) grouped by `keys`. */
  const everyAndPerType = (grouped: boolean, from: SQL, keys: SQL, where = sql`TRUE`) => [
    sql`SELECT ${level(grouped)}, '*', ${keys}, ${n} * count(*) FROM ${from} WHERE ${where} GROUP BY ${keys}`,
    sql`SELECT ${level(grouped)}, t.type, ${keys}, ${n} * count(*) FROM ${from} CROSS JOIN deal_types t
      WHERE t.deal_id = v.deal_id AND ${where} GROUP BY t.type, ${keys}`,
  ];
  add(
    "stat_countries",
    ["grouped", "type", "year", "country"],
    levels.flatMap((g) => everyAndPerType(g, sql`${geoValues("country", g, true)} v`, sql`v.year, v.k`)),
  );
  add(
    "stat_sectors",
    ["grouped", "type", "year", "sector"],
    levels.flatMap((g) => everyAndPerType(g, sql`${geoValues("sector", g, true)} v`, sql`v.year, v.k`)),
  );
  add(
    "stat_country_pairs",
    ["grouped", "type", "year", "country_a", "country_b"],
    levels.flatMap((g) =>
      everyAndPerType(
        g,
        sql`${geoValues("country", g, false)} v CROSS JOIN ${geoValues("country", g, false)} w`,
        sql`v.year, v.k, w.k`,
        sql`w.deal_id = v.deal_id AND v.k < w.k`,
      ),
    ),
  );
  add(
    "stat_sector_technologies",
    ["grouped", "type", "year", "sector", "technology_id"],
    levels.flatMap((g) =>
      everyAndPerType(
        g,
        sql`${geoValues("sector", g, false)} v CROSS JOIN deal_technologies dt`,
        sql`v.year, v.k, dt.technology_id`,
        sql`dt.deal_id = v.deal_id`,
      ),
    ),
  );

  // stat_deal_months per filter key (one country, one sector, cross-border or domestic): each deal's
  // month, binding and types (geo_deals when counting many at once) once per key it has, in one
  // statement (each part computing the deal's types again cost a save 3 ms more).
  const keys = bulk
    ? sql`(SELECT grouped, kind, deal_id, k FROM geo_values WHERE k <> '')`
    : sql`(${sql.join(
        levels.flatMap((g) =>
          GEO_KEY_KINDS.map(
            (kind) =>
              sql`SELECT ${level(g)} AS grouped, CAST(${kind} AS TEXT) AS kind, deal_id, k FROM ${geoValues(kind, g, false)} gv`,
          ),
        ),
        sql` UNION ALL `,
      )})`;
  const perDeal = bulk
    ? sql`geo_deals`
    : sql`(SELECT d.id AS id, ${month} AS month, d.binding AS binding, ${typesMaskOf(sql`d.id`)} AS types_mask,
        ${primaryTypeOf(sql`d.id`)} AS primary_type FROM deals d WHERE ${live})`;
  add(
    "stat_geo_keys",
    ["grouped", "fkey", "month", "binding", "types_mask", "primary_type"],
    [
      sql`SELECT v.grouped, v.kind || ':' || v.k, m.month, m.binding, m.types_mask, m.primary_type, ${n} * count(*)
        FROM ${bulk ? sql`${keys} v CROSS JOIN ${perDeal} m` : sql`${perDeal} m CROSS JOIN ${keys} v`}
        WHERE v.deal_id = m.id GROUP BY v.grouped, v.kind, v.k, m.month, m.binding, m.types_mask, m.primary_type`,
    ],
  );

  // stat_key_counts: what each deal counts in every widget of every filter key it has. Many deals at
  // once read their values from key_vals (keyValues, filled by countDeals), a save its deal's few.
  const perDealMonth = bulk
    ? sql`geo_deals`
    : sql`(SELECT d.id AS id, ${month} AS month FROM deals d WHERE ${live})`;
  const sources: KeySources = { perDealMonth, geoValues };
  add(
    "stat_key_counts",
    ["grouped", "fkey", "dim", "k1", "k2"],
    [
      sql`SELECT x.grouped, x.fkey, v.dim, v.k1, v.k2, ${n} * count(*)
        FROM (${dealFilterKeys(sources)}) x CROSS JOIN ${bulk ? sql`key_vals` : sql`(${keyValues(sources)})`} v
        WHERE v.deal_id = x.deal_id AND v.grouped = x.grouped
        GROUP BY x.grouped, x.fkey, v.dim, v.k1, v.k2`,
    ],
  );

  return rows;
}

type GeoKind = "country" | "sector" | "cross";

/**
 * Many deals' keyed values (keyValues) once, from geo_values and geo_deals, indexed by deal and
 * covering (the join reads no table row): each is joined to every filter key of its deal. A statement
 * of its own, for generation and rebuilds.
 */
async function fillKeyValues(tx: Tx): Promise<void> {
  await tx.execute(sql`DROP TABLE IF EXISTS ${isPg ? sql`pg_temp` : sql`temp`}.key_vals`);
  await tx.execute(
    sql`CREATE TEMP TABLE key_vals AS ${keyValues({ perDealMonth: sql`geo_deals`, geoValues: storedGeoValues })}`,
  );
  await tx.execute(sql`CREATE INDEX key_vals_deal ON key_vals (deal_id, grouped, dim, k1, k2)`);
  if (isPg) await tx.execute(sql`ANALYZE key_vals`);
}

/** What countDeals filled geo_values with for many deals at once: (deal_id, year, k) of one kind and level. */
const storedGeoValues = (kind: GeoKind, g: boolean, none: boolean) =>
  sql`(SELECT deal_id, year, k FROM geo_values WHERE kind = ${kind} AND grouped = ${g ? sql`TRUE` : sql`FALSE`}${none ? sql`` : sql` AND k <> ''`})`;

/**
 * Where the keyed counts read the deals from: `perDealMonth` (id, month) of the counted deals, and
 * their geography values of a kind and level (statRows' geoValues: (deal_id, year, k)).
 */
type KeySources = { perDealMonth: SQL; geoValues: (kind: GeoKind, g: boolean, none: boolean) => SQL };

const asText = (value: SQL) => sql`CAST(${value} AS TEXT)`;
const LEVELS = [false, true] as const;
const levelOf = (g: boolean) => (g ? sql`TRUE` : sql`FALSE`);

/** The deal's areas, or with `g` (Roll up) also their broader areas (two levels up) as `a.id`, once each. */
const dealAreas = (g: boolean) =>
  g
    ? sql`m CROSS JOIN deal_technologies dt JOIN technologies own ON own.id = dt.technology_id
        LEFT JOIN technologies up ON up.id = own.parent_id
        JOIN technologies a ON a.id IN (own.id, own.parent_id, up.parent_id) WHERE dt.deal_id = m.id`
    : sql`m CROSS JOIN deal_technologies dt WHERE dt.deal_id = m.id`;

/**
 * Each counted deal's filter keys (grouped, deal_id, fkey), as the filters define them: its areas
 * ("area:12"; rolled up also their broader ones, as the technology filter with Roll up takes an
 * area's narrower ones) and its stat_geo_keys keys ("country:US", "sector:51", "cross:1").
 */
function dealFilterKeys({ perDealMonth, geoValues }: KeySources): SQL {
  return sql.join(
    LEVELS.flatMap((g) => [
      sql`SELECT DISTINCT ${levelOf(g)} AS grouped, m.id AS deal_id, 'area:' || ${asText(g ? sql`a.id` : sql`dt.technology_id`)} AS fkey
        FROM ${perDealMonth} ${dealAreas(g)}`,
      ...(["country", "sector", "cross"] as const).map(
        (kind) =>
          sql`SELECT ${levelOf(g)}, gv.deal_id, CAST(${kind} AS TEXT) || ':' || gv.k FROM ${geoValues(kind, g, false)} gv`,
      ),
    ]),
    sql` UNION ALL `,
  );
}

/**
 * Each counted deal's values in every keyed widget (grouped, deal_id, dim, k1, k2), each once: its
 * areas per month ("tm", rolled up with their broader ones, as the area counts), its own areas
 * ("ta", the summary's), its companies or groups ("co"), countries and sectors ('' for none),
 * pairs of countries and (sector, area) pairs, at each level.
 */
export function keyValues({ perDealMonth, geoValues }: KeySources): SQL {
  return sql.join(
    LEVELS.flatMap((g) => [
      sql`SELECT DISTINCT ${levelOf(g)} AS grouped, m.id AS deal_id, 'tm' AS dim, ${asText(g ? sql`a.id` : sql`dt.technology_id`)} AS k1, m.month AS k2
        FROM ${perDealMonth} ${dealAreas(g)}`,
      sql`SELECT ${levelOf(g)}, m.id, 'ta', ${asText(sql`dt.technology_id`)}, '' FROM ${perDealMonth} ${dealAreas(false)}`,
      g
        ? sql`SELECT DISTINCT TRUE, m.id, 'co', ${asText(sql`coalesce(c.parent_id, c.id)`)}, ''
          FROM ${perDealMonth} m CROSS JOIN deal_parties p CROSS JOIN companies c WHERE p.deal_id = m.id AND c.id = p.company_id`
        : sql`SELECT FALSE, m.id, 'co', ${asText(sql`p.company_id`)}, '' FROM ${perDealMonth} m CROSS JOIN deal_parties p WHERE p.deal_id = m.id`,
      sql`SELECT ${levelOf(g)}, v.deal_id, 'c', v.k, '' FROM ${geoValues("country", g, true)} v`,
      sql`SELECT ${levelOf(g)}, v.deal_id, 's', v.k, '' FROM ${geoValues("sector", g, true)} v`,
      sql`SELECT ${levelOf(g)}, v.deal_id, 'cp', v.k, w.k FROM ${geoValues("country", g, false)} v
        CROSS JOIN ${geoValues("country", g, false)} w WHERE w.deal_id = v.deal_id AND v.k < w.k`,
      sql`SELECT ${levelOf(g)}, v.deal_id, 'st', v.k, ${asText(sql`dt.technology_id`)} FROM ${geoValues("sector", g, false)} v
        CROSS JOIN deal_technologies dt WHERE dt.deal_id = v.deal_id`,
    ]),
    sql` UNION ALL `,
  );
}

/** The kinds of filter key in stat_geo_keys: "country:US", "sector:51", "cross:1". */
const GEO_KEY_KINDS = ["country", "sector", "cross"] as const;

/** A deal's types as a bit mask (0 without types). */
const typesMaskOf = (dealId: SQL) =>
  sql`coalesce((SELECT sum(${TYPE_BITS}) FROM deal_types t WHERE t.deal_id = ${dealId}), 0)`;

/**
 * Each counted deal's cross-border value as the filter defines it (crossBorderDealIds in
 * ./filters.ts): '1' with parties from two countries or more, '0' when every party's country is
 * known and one; a deal that is neither has no row. (deal_id, year, k), as valuesOf.
 */
function crossValues(live: SQL, grouped: boolean): SQL {
  const country = partyCountry(grouped);
  const countries = sql`count(DISTINCT ${country})`;
  return sql`SELECT p.deal_id AS deal_id, min(${yearOf(sql`d.announced_on`)}) AS year,
      CASE WHEN ${countries} > 1 THEN '1' ELSE '0' END AS k
    FROM deals d CROSS JOIN deal_parties p ${partyCompanies} WHERE p.deal_id = d.id AND ${live}
    GROUP BY p.deal_id HAVING ${countries} > 1 OR (${countries} = 1 AND count(${country}) = count(*))`;
}

/** One table's rows as an upsert: added to (or taken from) the rows of the same key. */
function upsertRows({ table, key, extra, parts }: StatRows): SQL {
  const columns = (names: string[]) =>
    sql.join(
      names.map((c) => sql.identifier(c)),
      sql`, `,
    );
  return sql`INSERT INTO ${sql.identifier(table)} (${columns([...key, "deals", ...extra])})
    SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) AS counted WHERE TRUE
    ON CONFLICT (${columns(key)}) DO UPDATE SET deals = ${sql.identifier(table)}.deals + excluded.deals`;
}

/**
 * Adds (`sign` 1: new deals, or after a change) or takes away (-1: before a change) what the live
 * deals matching `condition` (on alias `d`) count. `bulk` when many deals are counted at once
 * (generation, rebuild): partners are then recounted in one pass.
 */
export async function countDeals(
  tx: Tx,
  condition: SQL,
  sign: 1 | -1,
  bulk = false,
  only?: StatTable,
): Promise<void> {
  await takeDealWriteTurn(tx);
  // SQLite: "+" keeps the live-deals partial index (in updated_at order) out of the plan, so a
  // rebuild reads the deals and their junction rows in id order instead of jumping around the file.
  // Only deals visible to everyone are counted: a confidential deal (team_id, issue 25) is added
  // on reading, for the audiences that see it (statFrom).
  const live = isPg
    ? sql`d.deleted_at IS NULL AND d.team_id IS NULL AND ${condition}`
    : sql`+d.deleted_at IS NULL AND +d.team_id IS NULL AND ${condition}`;
  const year = yearOf(sql`d.announced_on`);
  const partiesOn = sql`p.deal_id = d.id`;
  const levels = [false, true] as const;
  const level = (grouped: boolean) => (grouped ? sql`TRUE` : sql`FALSE`);
  if (bulk) {
    // One pass over the parties for all four values (a party's own and grouped country and sector),
    // then each kind's distinct values per deal, then '' for the deals left without one.
    // Named in the temporary schema, so a permanent table of the same name is never touched.
    const temp = isPg ? sql`pg_temp` : sql`temp`;
    await tx.execute(sql`DROP TABLE IF EXISTS ${temp}.geo_values`);
    await tx.execute(sql`DROP TABLE IF EXISTS ${temp}.geo_parties`);
    await tx.execute(sql`CREATE TEMP TABLE geo_parties AS
      SELECT d.id AS deal_id, ${year} AS year, ${partyCountry(false)} AS country0, ${partyCountry(true)} AS country1,
        ${partySector(false)} AS sector0, ${partySector(true)} AS sector1
      FROM deals d CROSS JOIN deal_parties p ${partyCompanies} WHERE ${partiesOn} AND ${live}`);
    await tx.execute(
      sql`CREATE TEMP TABLE geo_values (grouped BOOLEAN NOT NULL, kind TEXT NOT NULL, deal_id INTEGER NOT NULL, year TEXT NOT NULL, k TEXT NOT NULL)`,
    );
    for (const kind of ["country", "sector"] as const)
      for (const g of levels) {
        const column = sql.identifier(`${kind}${g ? 1 : 0}`);
        await tx.execute(sql`INSERT INTO geo_values (grouped, kind, deal_id, year, k)
          SELECT DISTINCT ${level(g)}, ${kind}, deal_id, year, ${column} FROM geo_parties WHERE ${column} IS NOT NULL`);
      }
    await tx.execute(sql`CREATE INDEX geo_values_deal ON geo_values (kind, grouped, deal_id, year, k)`);
    for (const kind of ["country", "sector"] as const)
      for (const g of levels)
        await tx.execute(sql`INSERT INTO geo_values (grouped, kind, deal_id, year, k)
          SELECT ${level(g)}, ${kind}, d.id, ${year}, '' FROM deals d WHERE ${live} AND NOT EXISTS (
            SELECT 1 FROM geo_values v WHERE v.kind = ${kind} AND v.grouped = ${level(g)} AND v.deal_id = d.id)`);
    // Cross-border or domestic per deal (crossValues), from the parties' rows read above.
    for (const g of levels) {
      const country = sql.identifier(`country${g ? 1 : 0}`);
      const countries = sql`count(DISTINCT ${country})`;
      await tx.execute(sql`INSERT INTO geo_values (grouped, kind, deal_id, year, k)
        SELECT ${level(g)}, 'cross', deal_id, min(year), CASE WHEN ${countries} > 1 THEN '1' ELSE '0' END
        FROM geo_parties GROUP BY deal_id
        HAVING ${countries} > 1 OR (${countries} = 1 AND count(${country}) = count(*))`);
    }
    await tx.execute(sql`DROP TABLE ${temp}.geo_parties`);
    // Each deal's month, binding and types once, for stat_geo_keys' rows of its every key.
    await tx.execute(sql`DROP TABLE IF EXISTS ${temp}.geo_deals`);
    await tx.execute(
      sql`CREATE TEMP TABLE geo_deals (id INTEGER PRIMARY KEY, month TEXT NOT NULL, binding TEXT NOT NULL, types_mask INTEGER NOT NULL, primary_type TEXT NOT NULL)`,
    );
    await tx.execute(sql`INSERT INTO geo_deals (id, month, binding, types_mask, primary_type)
      SELECT d.id, ${monthOf(sql`d.announced_on`)}, d.binding, ${typesMaskOf(sql`d.id`)}, ${primaryTypeOf(sql`d.id`)}
      FROM deals d WHERE ${live}`);
    if (isPg) await tx.execute(sql`ANALYZE geo_values`);
    if (isPg) await tx.execute(sql`ANALYZE geo_deals`);
    await fillKeyValues(tx);
  }
  const statements = statRows(live, int(sign), bulk)
    .filter((rows) => !only || rows.table === only)
    .map(upsertRows);
  // The filter keys' rows (db/stats/deal-keys.ts): many deals at once are only ever added.
  if (only) {
    // One table alone (a database migrated from before it): no filter keys, no partners.
  } else if (bulk) {
    if (sign !== 1) throw new Error("Deals are counted in bulk only to be added");
    await addAllDealKeys(tx, live);
  } else if (sign === 1) statements.push(dealKeyStatement(live, 1));
  else {
    const removal = await removeDealKeys(tx, live);
    if (removal) statements.push(removal);
  }
  // SQLite runs in process: one statement after the other. PostgreSQL: one round trip for all
  // (data-modifying WITH parts each run once; they touch different tables).
  if (isPg)
    await tx.execute(
      sql`WITH ${sql.join(
        statements.map((statement, i) => sql`${sql.identifier(`s${i}`)} AS (${statement} RETURNING 1)`),
        sql`, `,
      )} SELECT 1`,
    );
  else for (const statement of statements) await tx.execute(statement);
  if (bulk) {
    await tx.execute(sql`DROP TABLE ${isPg ? sql`pg_temp` : sql`temp`}.geo_values`);
    await tx.execute(sql`DROP TABLE ${isPg ? sql`pg_temp` : sql`temp`}.geo_deals`);
    await tx.execute(sql`DROP TABLE ${isPg ? sql`pg_temp` : sql`temp`}.key_vals`);
  }
  if (only) return;

  // Distinct partners cannot be added up; they are recounted, once the pairs are, for the companies
  // (and groups) these deals involve. Two statements, each naming rows by their whole key: with an
  // OR (or a row-value IN) both engines scanned every company's row, on every save.
  if (bulk) return recountAllPartners(tx);
  const recount = (level: SQL, companies: SQL) =>
    tx.execute(sql`UPDATE stat_companies SET partners = (
        SELECT count(*) FROM stat_company_pairs s
        WHERE s.grouped = stat_companies.grouped AND s.company_id = stat_companies.company_id AND s.deals > 0)
      WHERE grouped = ${level} AND type = '*' AND company_id IN (${companies})`);
  await recount(
    sql`FALSE`,
    sql`SELECT p.company_id FROM deals d CROSS JOIN deal_parties p WHERE ${partiesOn} AND ${live}`,
  );
  await recount(
    sql`TRUE`,
    sql`SELECT coalesce(c.parent_id, c.id) FROM deals d CROSS JOIN deal_parties p CROSS JOIN companies c
      WHERE ${partiesOn} AND c.id = p.company_id AND ${live}`,
  );
}

/**
 * Every company's partners in one pass (one join): after counting many deals at once, which only adds
 * pairs, so a company left out of the join keeps its (still right) number. Row by row,
 * PostgreSQL planned each lookup without statistics for pairs filled in the same transaction and
 * scanned the whole table per company.
 */
async function recountAllPartners(tx: Tx): Promise<void> {
  await tx.execute(sql`UPDATE stat_companies SET partners = counted.n
    FROM (SELECT grouped, company_id, count(*) AS n FROM stat_company_pairs WHERE deals > 0
      GROUP BY grouped, company_id) AS counted
    WHERE stat_companies.type = '*' AND stat_companies.grouped = counted.grouped
      AND stat_companies.company_id = counted.company_id`);
}

/** The deals with these ids, as a condition on alias `d`. */
const dealIdsIn = (ids: number[]): SQL => inIds(sql`d.id`, ids);

/**
 * Runs `change` (which may edit, delete, restore or re-party the deals matching `condition`, or
 * regroup their companies or areas) with the counts kept exact around it. `condition` must match the
 * same deals before and after (ids, not properties the change alters).
 */
export async function recounting<T>(tx: Tx, condition: SQL, change: () => Promise<T>): Promise<T> {
  await countDeals(tx, condition, -1);
  const result = await change();
  await countDeals(tx, condition, 1);
  return result;
}

/**
 * The deals these companies (or areas) are parties to (in), as a condition on alias `d` that keeps
 * naming the same deals while a merge moves them: for `countDeals(-1)` before and `(1)` after.
 */
export async function dealsOf(tx: Reader, kind: "company" | "technology", ids: number[]): Promise<SQL> {
  const { rows } = await tx.execute<{ id: number }>(
    kind === "company"
      ? sql`SELECT DISTINCT deal_id AS id FROM deal_parties WHERE ${inIds(sql`company_id`, ids)}`
      : sql`SELECT DISTINCT deal_id AS id FROM deal_technologies WHERE ${inIds(sql`technology_id`, ids)}`,
  );
  return dealIdsIn(rows.map((r) => Number(r.id)));
}

export const STAT_TABLES = [
  "stat_deal_months",
  "stat_companies",
  "stat_company_pairs",
  "stat_company_months",
  "stat_technologies",
  "stat_countries",
  "stat_country_pairs",
  "stat_sectors",
  "stat_sector_technologies",
  "stat_geo_keys",
  "stat_key_counts",
] as const;

/**
 * A count table as the scope's reader sees it, for a FROM clause (named `as`, default the table's
 * name): the table itself for the public audience; for one who also sees confidential deals (issue
 * 25), the table's rows plus what their teams' deals count — computed from the base tables, where
 * such deals are few (deals_team_idx), by the statements a save uses — so every reader of the counts
 * answers per audience unchanged. `where` (the reader's own conditions, on the table as `as`) narrows
 * the table's rows first: neither engine reliably pushes them into the union. The rows are summed per
 * key, unless the reader says it only `summed` them itself (SUM per key, min/max of months with deals,
 * a count of distinct keys): grouping every row of a table the reader reads whole (all months, say)
 * cost 20 ms at 100,000 deals. Distinct partners (stat_companies.partners) cannot be summed: they stay
 * the public deals' (rankCompanies reads the base tables to rank by partners for such a reader).
 */
export function statFrom(
  table: StatTable,
  scope: CountScope,
  options: { as?: string; where?: SQL; summed?: boolean } = {},
): SQL {
  const name = sql.identifier(options.as ?? table);
  if (!scope.teams.length) return options.as ? sql`${sql.identifier(table)} ${name}` : sql`${name}`;
  // The teams' deals by id, from deals_team_idx by name: after ANALYZE (team_id is almost always
  // null) SQLite's planner judged `team_id IN (…)` to match half the table and scanned a million deals
  // for each count table (a member's first summary: 1.2 s). By rowid, the few deals are looked up.
  const teamDeals = isPg
    ? sql`SELECT id FROM deals WHERE ${inIds(sql`team_id`, [...scope.teams])}`
    : sql`SELECT id FROM deals INDEXED BY deals_team_idx WHERE ${inIds(sql`team_id`, [...scope.teams])}`;
  const live = sql`d.deleted_at IS NULL AND d.id IN (${teamDeals})`;
  const rows = statRows(live, int(1), false).find((r) => r.table === table)!;
  const list = (names: string[]) =>
    sql.join(
      names.map((c) => sql.identifier(c)),
      sql`, `,
    );
  const columns = [...rows.key, "deals", ...rows.extra];
  // The first arm names the columns; with `only: "team"` it is empty.
  const tableRows = scope.only === "team" ? sql`FALSE` : (options.where ?? sql`TRUE`);
  const union = sql`SELECT ${list(columns)} FROM ${sql.identifier(table)} AS ${name} WHERE ${tableRows}
    UNION ALL SELECT * FROM (${sql.join(rows.parts, sql` UNION ALL `)}) AS team_rows`;
  if (options.summed) return sql`(${union}) AS ${name}`;
  const sums = sql.join(
    ["deals", ...rows.extra].map(
      (c) => sql`CAST(sum(${sql.identifier(c)}) AS INTEGER) AS ${sql.identifier(c)}`,
    ),
    sql`, `,
  );
  return sql`(SELECT ${list(rows.key)}, ${sums} FROM (${union}) AS audience_rows GROUP BY ${list(rows.key)}) AS ${name}`;
}

/**
 * A reader of the counts for a scope with teams, as two fast reads: the public counts on the reader's
 * usual path (the table's indexes, its order, its LIMIT) and only the teams' few rows (statFrom with
 * `only: "team"`), combined by `merge`. Unioning the two in SQL defeats the table's index order: at a
 * million deals a member's first summary took a second.
 */
export async function byAudience<T>(
  scope: CountScope,
  read: (s: CountScope) => Promise<T>,
  merge: (publicRows: T, teamRows: T) => T | Promise<T>,
): Promise<T> {
  if (!scope.teams.length || scope.only) return read(scope);
  const [publicRows, teamRows] = await Promise.all([
    read({ ...scope, teams: [] }),
    read({ ...scope, only: "team" }),
  ]);
  return merge(publicRows, teamRows);
}

/** Rows with a key and numbers, summed per key (the numbers of `add`'s fields). */
export function sumByKey<R extends object>(
  rows: R[],
  key: (r: R) => string,
  add: (into: R, from: R) => void,
): R[] {
  const byKey = new Map<string, R>();
  for (const row of rows) {
    const k = key(row);
    const seen = byKey.get(k);
    if (seen) add(seen, row);
    else byKey.set(k, { ...row });
  }
  return [...byKey.values()];
}

/** Recomputes every count from the base tables. */
export async function rebuildStatCounts(tx: Tx): Promise<void> {
  await takeDealWriteTurn(tx);
  for (const table of [...STAT_TABLES, "stat_deal_keys"])
    await tx.execute(sql`DELETE FROM ${sql.identifier(table)}`);
  await countDeals(tx, sql`TRUE`, 1, true);
}

/**
 * Whether the filter keys (db/stats/deal-keys.ts) were never written although live public deals
 * have parties: a database counted before they existed. Filled once on migration, alone.
 */
export async function dealKeysMissing(db: Reader): Promise<boolean> {
  const { rows } = await db.execute<{ missing: number | boolean }>(sql`SELECT
    (EXISTS (SELECT 1 FROM deals d WHERE d.deleted_at IS NULL AND d.team_id IS NULL
        AND EXISTS (SELECT 1 FROM deal_parties p WHERE p.deal_id = d.id))
      AND NOT EXISTS (SELECT 1 FROM stat_deal_keys)) AS missing`);
  return rows[0]?.missing === true || rows[0]?.missing === 1;
}

/** Writes every live public deal's filter keys into their (empty) table. */
export async function rebuildDealKeys(tx: Tx): Promise<void> {
  await takeDealWriteTurn(tx);
  await tx.execute(sql`DELETE FROM stat_deal_keys`);
  await addAllDealKeys(
    tx,
    isPg
      ? sql`d.deleted_at IS NULL AND d.team_id IS NULL`
      : sql`+d.deleted_at IS NULL AND +d.team_id IS NULL`,
  );
}

/**
 * Whether the filter keys' month counts (stat_geo_keys) were never written although a live public
 * deal has a party with a country: a database counted before they existed. Filled once on migration.
 */
export async function geoKeysMissing(db: Reader): Promise<boolean> {
  const { rows } = await db.execute<{ missing: number | boolean }>(sql`SELECT
    (EXISTS (SELECT 1 FROM deals d CROSS JOIN deal_parties p JOIN companies c ON c.id = p.company_id
        WHERE p.deal_id = d.id AND d.deleted_at IS NULL AND d.team_id IS NULL AND c.country IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM stat_geo_keys)) AS missing`);
  return rows[0]?.missing === true || rows[0]?.missing === 1;
}

/** Writes stat_geo_keys from every live public deal, by a save's statements (one pass, once). */
export async function rebuildGeoKeys(tx: Tx): Promise<void> {
  await takeDealWriteTurn(tx);
  await tx.execute(sql`DELETE FROM stat_geo_keys`);
  const live = sql`d.deleted_at IS NULL AND d.team_id IS NULL`;
  await tx.execute(upsertRows(statRows(live, int(1), false).find((r) => r.table === "stat_geo_keys")!));
}

/**
 * Whether the keyed widgets' counts (stat_key_counts) were never written although a live public deal
 * has a party: a database counted before they existed. Filled once on migration.
 */
export async function keyCountsMissing(db: Reader): Promise<boolean> {
  const { rows } = await db.execute<{ missing: number | boolean }>(sql`SELECT
    (EXISTS (SELECT 1 FROM deals d CROSS JOIN deal_parties p
        WHERE p.deal_id = d.id AND d.deleted_at IS NULL AND d.team_id IS NULL)
      AND NOT EXISTS (SELECT 1 FROM stat_key_counts)) AS missing`);
  return rows[0]?.missing === true || rows[0]?.missing === 1;
}

/** Writes stat_key_counts from every live public deal, as a rebuild counts them (once). */
export async function rebuildKeyCounts(tx: Tx): Promise<void> {
  await takeDealWriteTurn(tx);
  await tx.execute(sql`DELETE FROM stat_key_counts`);
  await countDeals(tx, sql`TRUE`, 1, true, "stat_key_counts");
}

/** Whether the counts were never built although there are deals (a database from before them). */
export async function statCountsMissing(db: Reader): Promise<boolean> {
  // Every live deal has a row in each of these (stat_countries: '' when no party has a country),
  // so one without a counted deal beside live deals is a table added since the counts were built
  // (a write before the rebuild, taking away and adding back, may leave rows of 0).
  const { rows } = await db.execute<{ missing: number | boolean }>(sql`SELECT
    (EXISTS (SELECT 1 FROM deals WHERE deleted_at IS NULL AND team_id IS NULL)
      AND (NOT EXISTS (SELECT 1 FROM stat_deal_months WHERE deals > 0)
        OR NOT EXISTS (SELECT 1 FROM stat_countries WHERE deals > 0))) AS missing`);
  return rows[0]?.missing === true || rows[0]?.missing === 1;
}

// ---------------------------------------------------------------------------------------------
// Which filter sets the counts answer

/** A filter set the count tables can answer: types, bindings and whole months, nothing else. */
export interface CountScope {
  types: DealType[];
  bindings: Binding[];
  /** First and last month ("YYYY-MM") of the date range, when the range is whole months. */
  fromMonth?: string;
  toMonth?: string;
  rollup: boolean;
  /** The teams whose confidential deals the reader also sees (statFrom adds them); [] for public. */
  teams: readonly number[];
  /**
   * "team": statFrom gives only what the teams' deals count (few rows), for readers that read the
   * public counts on their usual fast path and add these in code (byAudience).
   */
  only?: "team";
  /**
   * One geography filter's key in stat_geo_keys ("country:US"), set by geoKeyScope only: such a scope
   * answers the month readers (monthCounts), and every other count table's reader refuses it.
   */
  fkey?: string;
}

const lastDayOf = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

// An allowlist: a filter the counts do not know (a search, a company, partner, area or status, or one
// added later) sends the widgets to the base tables, so a new filter is correct before it is fast.
/** The filters the count tables can answer. */
const COUNTED_FILTERS: ReadonlySet<string> = new Set(["type", "binding", "from", "to", "rollup"]);

/** Whether `f` is every live deal: nothing set but paging and Roll up (which regroups, never drops). */
export const selectsAllDeals = (f: DealFilters) => filtersSet(f).every((key) => key === "rollup");

/**
 * The scope of `f` in the count tables, or null when it needs the base tables: any filter not in
 * COUNTED_FILTERS, or a date range that starts or ends inside a month.
 */
export function countScope(f: DealFilters): CountScope | null {
  if (!filtersSet(f).every((key) => COUNTED_FILTERS.has(key))) return null;
  if (f.from && !f.from.endsWith("-01")) return null;
  if (f.to && f.to !== lastDayOf(f.to.slice(0, 7))) return null;
  return {
    types: f.type,
    bindings: f.binding,
    fromMonth: f.from?.slice(0, 7),
    toMonth: f.to?.slice(0, 7),
    rollup: f.rollup,
    teams: f.audience?.teams ?? [],
  };
}

/**
 * The scope of `f` in stat_geo_keys, or null: exactly one country, one sector (a two-digit one, with
 * its subsectors) or a cross-border value, beside filters countScope answers. Only the readers of
 * month counts (monthCounts) take it; every other widget reads the base tables for these filters.
 */
export function geoKeyScope(f: DealFilters): CountScope | null {
  const geo = filtersSet(f).filter((key) => key === "country" || key === "sector" || key === "crossBorder");
  if (geo.length !== 1) return null;
  const fkey =
    f.country.length === 1
      ? `country:${f.country[0]}`
      : f.sector.length === 1 && SECTORS.some((s) => s.code === f.sector[0] && !s.parent)
        ? `sector:${f.sector[0]}`
        : f.crossBorder !== undefined
          ? `cross:${f.crossBorder ? 1 : 0}`
          : null;
  const rest = countScope({ ...f, country: [], sector: [], crossBorder: undefined });
  return fkey && rest ? { ...rest, fkey } : null;
}

/**
 * Whether the deal `dealId` has a geography scope's key, as its month counts define it: for the days
 * of a partial month, a few deals each checked by their parties (the filter's set is most deals).
 */
export function hasGeoKey(s: CountScope & { fkey: string }, dealId: SQL): SQL {
  const [kind, value] = s.fkey.split(/:(.*)/) as [string, string];
  const parties = sql`FROM deal_parties p ${partyCompanies} WHERE p.deal_id = ${dealId}`;
  if (kind === "cross") {
    const country = partyCountry(s.rollup);
    return sql`EXISTS (SELECT 1 FROM (SELECT count(DISTINCT ${country}) AS countries, count(${country}) AS known,
        count(*) AS parties ${parties}) AS x WHERE ${
          value === "1" ? sql`x.countries > 1` : sql`x.countries = 1 AND x.known = x.parties`
        })`;
  }
  const key = kind === "country" ? partyCountry(s.rollup) : partySector(s.rollup);
  return sql`EXISTS (SELECT 1 ${parties} AND ${key} = ${value})`;
}

/** What the month readers take: countScope's, or a single geography filter's (geoKeyScope). */
export const monthCountScope = (f: DealFilters): CountScope | null => countScope(f) ?? geoKeyScope(f);

/** Companies are counted per type, not per binding or month: at most one type, nothing else. */
export const companyCountable = (s: CountScope | null): s is CountScope =>
  !!s && !s.fkey && s.types.length <= 1 && !s.bindings.length && !s.fromMonth && !s.toMonth;

/** Areas, and companies per month, are counted per type and month: at most one type, no binding. */
export const typeMonthCountable = (s: CountScope | null): s is CountScope =>
  !!s && !s.fkey && s.types.length <= 1 && !s.bindings.length;

/**
 * The month counts of a scope for a FROM clause, with `where` (on its columns, dealMonthsWhere's
 * included) narrowing them first: stat_deal_months, or a filter key's rows in stat_geo_keys.
 */
export const monthCounts = (s: CountScope, where: SQL): SQL =>
  statFrom(s.fkey ? "stat_geo_keys" : "stat_deal_months", s, { where, summed: true });

/** The `type` column's value for a scope of at most one type. */
export const typeKey = (s: CountScope) => s.types[0] ?? "*";

/** Conditions on a count table's `month` column for the scope's whole months. */
export function monthRange(s: CountScope, column = sql`month`): SQL {
  return sql.join(
    [
      sql`TRUE`,
      ...(s.fromMonth ? [sql`${column} >= ${s.fromMonth}`] : []),
      ...(s.toMonth ? [sql`${column} <= ${s.toMonth}`] : []),
    ],
    sql` AND `,
  );
}

/** stat_deal_months (stat_geo_keys) rows in the scope: types (any of), bindings (any of), whole months. */
export function dealMonthsWhere(s: CountScope): SQL {
  const mask = s.types.reduce((bits, type) => bits | typeBit(type), 0);
  return sql.join(
    [
      monthRange(s),
      ...(s.fkey ? [sql`fkey = ${s.fkey}`, sql`grouped = ${s.rollup ? sql`TRUE` : sql`FALSE`}`] : []),
      ...(mask ? [sql`(types_mask & ${int(mask)}) <> 0`] : []),
      ...(s.bindings.length
        ? [
            sql`binding IN (${sql.join(
              s.bindings.map((b) => sql`${b}`),
              sql`, `,
            )})`,
          ]
        : []),
    ],
    sql` AND `,
  );
}

/**
 * Deals in the scope summed in SQL, per `by` ("month", "binding" or nothing): the total, per deal
 * type the deals having it (`types`, a deal in each of its types) and the deals whose primary type it
 * is (`primary`, each deal once: these add up to the total). A few hundred rows at most.
 */
export function dealMonthSums(db: Reader, s: CountScope, by?: "month" | "binding") {
  const add = (a: Partial<Record<DealType, number>>, b: Partial<Record<DealType, number>>) => {
    const sum = { ...a };
    for (const [type, n] of Object.entries(b) as [DealType, number][]) sum[type] = (sum[type] ?? 0) + n;
    return sum;
  };
  return byAudience(
    s,
    (scope) => readDealMonthSums(db, scope, by),
    (publicRows, teamRows) =>
      sumByKey(
        [...publicRows, ...teamRows],
        (r) => r.key,
        (into, from) => {
          into.total += from.total;
          into.types = add(into.types, from.types);
          into.primary = add(into.primary, from.primary);
        },
      ).sort((a, b) => a.key.localeCompare(b.key)),
  );
}

async function readDealMonthSums(db: Reader, s: CountScope, by?: "month" | "binding") {
  const perType = sql.join(
    DEAL_TYPES.map(
      (type, i) =>
        sql`sum(CASE WHEN (types_mask & ${int(typeBit(type))}) <> 0 THEN deals ELSE 0 END) AS ${sql.identifier(`t${i}`)}`,
    ),
    sql`, `,
  );
  const perPrimary = sql.join(
    DEAL_TYPES.map(
      (type, i) =>
        sql`sum(CASE WHEN primary_type = ${type} THEN deals ELSE 0 END) AS ${sql.identifier(`p${i}`)}`,
    ),
    sql`, `,
  );
  const key = by ? sql.identifier(by) : sql`''`;
  const { rows } = await db.execute<Record<string, string | number | null>>(
    sql`SELECT ${key} AS key, sum(deals) AS total, ${perType}, ${perPrimary} FROM ${monthCounts(s, dealMonthsWhere(s))}
      WHERE ${dealMonthsWhere(s)} ${by ? sql`GROUP BY ${key} HAVING sum(deals) > 0 ORDER BY ${key}` : sql``}`,
  );
  const byType = (r: Record<string, unknown>, prefix: string) =>
    Object.fromEntries(
      DEAL_TYPES.map((type, i) => [type, Number(r[`${prefix}${i}`] ?? 0)] as const).filter(([, n]) => n > 0),
    ) as Partial<Record<DealType, number>>;
  return rows.map((r) => ({
    key: String(r.key ?? ""),
    total: Number(r.total ?? 0),
    types: byType(r, "t"),
    primary: byType(r, "p"),
  }));
}

/** Non-binding deals that are MoUs, and deals whose binding is known, in the scope. */
export function nonBindingMous(db: Reader, s: CountScope) {
  return byAudience(
    s,
    (scope) => readNonBindingMous(db, scope),
    (a, b) => ({
      nonBindingMous: a.nonBindingMous + b.nonBindingMous,
      knownBinding: a.knownBinding + b.knownBinding,
    }),
  );
}

async function readNonBindingMous(db: Reader, s: CountScope) {
  const { rows } = await db.execute<{ mous: number | string | null; known: number | string | null }>(
    sql`SELECT
        sum(CASE WHEN binding = 'non_binding' AND (types_mask & ${int(typeBit("mou"))}) <> 0 THEN deals ELSE 0 END) AS mous,
        sum(CASE WHEN binding <> 'unknown' THEN deals ELSE 0 END) AS known
      FROM ${monthCounts(s, dealMonthsWhere(s))} WHERE ${dealMonthsWhere(s)}`,
  );
  return { nonBindingMous: Number(rows[0]?.mous ?? 0), knownBinding: Number(rows[0]?.known ?? 0) };
}
