import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { countryByCode } from "@/lib/geo/countries";
import { sectorByCode } from "@/lib/geo/sectors";
import type { DealFilters } from "@/lib/filters";
import type { Reader } from "../core/connection";
import { getDb } from "../core/index";
import { findCompanyId } from "../directory/lookups";
import type { CountryCounts, CountryPairs, PartnerMix, SectorCounts, SectorTechnologies } from "../types";
import { withSubsidiaries } from "./filters";
import { keyOf, keyRowsOf, statsWhere } from "./deal-keys";
import { partyCompanies, partyCountry, partySector } from "./geo-keys";
import { scopeOn } from "./stats";
import { byAudience, countScope, statFrom, sumByKey, typeKey, type CountScope } from "./stat-counts";
import { keyCounts, keyCountScope, keySectorTechnologies } from "./key-counts";

// Geography and industry aggregates (issue 23): deals by their parties' countries and sectors. The
// rule everywhere: a deal counts once in each country (sector) among its parties, so the countries'
// sum is at least the deals; deals with no party of known country (sector) are counted as unknown.
// With Roll up, a party has its group's country and sector (its own where the group has none). All deals and
// single filters of whole years read the per-year counts (db/stats/stat-counts.ts); anything else a
// GROUP BY over the parties of the filtered deals.

/** Deals counted per year, at most one type, no binding: the scope of the geography counts, or null. */
function yearScope(f: DealFilters): CountScope | null {
  const s = countScope(f);
  if (!s || s.types.length > 1 || s.bindings.length) return null;
  if (s.fromMonth && !s.fromMonth.endsWith("-01")) return null;
  if (s.toMonth && !s.toMonth.endsWith("-12")) return null;
  return s;
}

/** A geography count table's rows in the scope (alias `s`). */
const inYearScope = (scope: CountScope) =>
  sql.join(
    [
      scope.rollup ? sql`s.grouped = TRUE` : sql`s.grouped = FALSE`,
      sql`s.type = ${typeKey(scope)}`,
      ...(scope.fromMonth ? [sql`s.year >= ${scope.fromMonth.slice(0, 4)}`] : []),
      ...(scope.toMonth ? [sql`s.year <= ${scope.toMonth.slice(0, 4)}`] : []),
    ],
    sql` AND `,
  );

/** The parties of the filtered deals joined to their company (c) and its group (g). */
const partiesOf = (db: Reader, f: DealFilters, where: SQL) =>
  sql`deal_parties p ${partyCompanies}
    WHERE ${scopeOn(db, f, where, sql`p.deal_id`)}`;

/** Each filtered deal once per distinct value of `key` among its parties (null values left out). */
const dealValues = (db: Reader, f: DealFilters, where: SQL, key: SQL) =>
  sql`SELECT DISTINCT p.deal_id AS deal_id, ${key} AS k FROM ${partiesOf(db, f, where)} AND ${key} IS NOT NULL`;

/** Filtered deals none of whose parties has a value of `key`. */
async function dealsWithout(db: Reader, f: DealFilters, where: SQL, key: SQL): Promise<number> {
  // One company's or area's deals by their key's rows (db/stats/deal-keys.ts), no deal row read.
  const keyed = keyOf(where);
  const deals = keyed ? sql`${keyRowsOf(keyed)} AS kd` : sql`deals`;
  const dealId = keyed ? sql`kd.deal_id` : sql`deals.id`;
  const { rows } = await db.execute<{ n: number | string }>(sql`SELECT count(*) AS n FROM ${deals}
    WHERE ${keyed ? sql`TRUE` : where} AND NOT EXISTS (SELECT 1 FROM deal_parties p ${partyCompanies}
      WHERE p.deal_id = ${dealId} AND ${key} IS NOT NULL)`);
  return Number(rows[0]?.n ?? 0);
}

/** Distinct deals per value of `key`, most first. */
async function dealsPer(db: Reader, f: DealFilters, where: SQL, key: SQL) {
  const { rows } = await db.execute<{ k: string; n: number | string }>(
    sql`SELECT k, count(*) AS n FROM (${dealValues(db, f, where, key)}) v GROUP BY k`,
  );
  return rows.map((r) => ({ key: r.k, deals: Number(r.n) }));
}

const byDeals = <T extends { deals: number; name: string }>(a: T, b: T) =>
  b.deals - a.deals || a.name.localeCompare(b.name);

/** Distinct deals per value of `key` (named by `nameOf`), most first, and the deals with none. */
async function countsBy(
  f: DealFilters,
  db: Reader,
  key: (rollup: boolean) => SQL,
  nameOf: (k: string) => string,
  counted: { table: "stat_countries" | "stat_sectors"; column: "country" | "sector" },
) {
  const keyed = await keyCountScope(db, f);
  if (keyed) {
    // One filter key's counts: '' holds its deals none of whose parties has one.
    const rows = await keyCounts(db, keyed, counted.column === "country" ? "c" : "s");
    return {
      items: rows
        .filter((r) => r.k1 !== "")
        .map((r) => ({ key: r.k1, name: nameOf(r.k1), deals: r.deals }))
        .sort(byDeals),
      unknown: rows.find((r) => r.k1 === "")?.deals ?? 0,
    };
  }
  const scope = yearScope(f);
  if (scope) {
    // '' holds the deals none of whose parties has one.
    const read = async (s: CountScope) =>
      (
        await db.execute<{ k: string; n: number | string }>(
          sql`SELECT s.${sql.identifier(counted.column)} AS k, sum(s.deals) AS n FROM ${statFrom(counted.table, s, { as: "s", where: inYearScope(s), summed: true })}
        WHERE ${inYearScope(s)} GROUP BY s.${sql.identifier(counted.column)} HAVING sum(s.deals) > 0`,
        )
      ).rows.map((r) => ({ k: r.k, n: Number(r.n) }));
    const rows = await byAudience(scope, read, (a, b) =>
      sumByKey(
        [...a, ...b],
        (r) => r.k,
        (into, from) => (into.n += from.n),
      ),
    );
    const known = rows.filter((r) => r.k !== "");
    return {
      items: known.map((r) => ({ key: r.k, name: nameOf(r.k), deals: Number(r.n) })).sort(byDeals),
      unknown: Number(rows.find((r) => r.k === "")?.n ?? 0),
    };
  }
  const where = await statsWhere(db, f);
  if (!where) return { items: [], unknown: 0 };
  const [rows, unknown] = await Promise.all([
    dealsPer(db, f, where, key(f.rollup)),
    dealsWithout(db, f, where, key(f.rollup)),
  ]);
  return {
    items: rows.map((r) => ({ key: r.key, name: nameOf(r.key), deals: r.deals })).sort(byDeals),
    unknown,
  };
}

export async function countryCounts(f: DealFilters, db: Reader = getDb()): Promise<CountryCounts> {
  const { items, unknown } = await countsBy(f, db, partyCountry, (k) => countryByCode(k)?.name ?? k, {
    table: "stat_countries",
    column: "country",
  });
  return { items: items.map(({ key, ...c }) => ({ country: key, ...c })), unknown };
}

export async function countryPairs(f: DealFilters, limit = 15, db: Reader = getDb()): Promise<CountryPairs> {
  const keyed = await keyCountScope(db, f);
  if (keyed)
    return {
      items: (await keyCounts(db, keyed, "cp", { order: sql`deals DESC, k1, k2`, limit })).map((r) => ({
        a: r.k1,
        b: r.k2,
        deals: r.deals,
      })),
    };
  const scope = yearScope(f);
  if (scope) {
    // A team's reader needs every pair's sum (a team's deals may lift one into the top): pairs of
    // countries are a few thousand.
    const read = async (s: CountScope, top?: number) =>
      (
        await db.execute<{ a: string; b: string; n: number | string }>(
          sql`SELECT s.country_a AS a, s.country_b AS b, sum(s.deals) AS n FROM ${statFrom("stat_country_pairs", s, { as: "s", where: inYearScope(s), summed: true })}
        WHERE ${inYearScope(s)} GROUP BY s.country_a, s.country_b HAVING sum(s.deals) > 0
        ORDER BY sum(s.deals) DESC, s.country_a, s.country_b${top === undefined ? sql`` : sql` LIMIT ${top}`}`,
        )
      ).rows.map((r) => ({ a: r.a, b: r.b, deals: Number(r.n) }));
    if (!scope.teams.length) return { items: await read(scope, limit) };
    const codeOrder = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const items = await byAudience(
      scope,
      (s) => read(s),
      (a, b) =>
        sumByKey(
          [...a, ...b],
          (r) => `${r.a}:${r.b}`,
          (into, from) => (into.deals += from.deals),
        ),
    );
    return {
      items: items
        .sort((x, y) => y.deals - x.deals || codeOrder(x.a, y.a) || codeOrder(x.b, y.b))
        .slice(0, limit),
    };
  }
  const where = await statsWhere(db, f);
  if (!where) return { items: [] };
  // The filtered deals' countries once (MATERIALIZED), joined to themselves by deal: written as two
  // subqueries, SQLite evaluated the filter inside the join's inner loop for some filters (a sector,
  // cross-border) — 5–10 s at 10,000 deals (npm run bench).
  const { rows } = await db.execute<{ a: string; b: string; n: number | string }>(
    sql`WITH v AS MATERIALIZED (${dealValues(db, f, where, partyCountry(f.rollup))})
      SELECT x.k AS a, y.k AS b, count(*) AS n FROM v x JOIN v y ON y.deal_id = x.deal_id AND x.k < y.k
      GROUP BY x.k, y.k ORDER BY count(*) DESC, x.k, y.k LIMIT ${limit}`,
  );
  return { items: rows.map((r) => ({ a: r.a, b: r.b, deals: Number(r.n) })) };
}

export async function sectorCounts(f: DealFilters, db: Reader = getDb()): Promise<SectorCounts> {
  const { items, unknown } = await countsBy(f, db, partySector, (k) => sectorByCode(k)?.name ?? k, {
    table: "stat_sectors",
    column: "sector",
  });
  return { items: items.map(({ key, ...c }) => ({ sector: key, ...c })), unknown };
}

/** Deals per (party sector, technology area): a deal counts once in each pair of its sectors and areas. */
export async function sectorTechnologies(f: DealFilters, db: Reader = getDb()): Promise<SectorTechnologies> {
  const keyed = await keyCountScope(db, f);
  const scope = yearScope(f);
  const where = scope || keyed ? null : await statsWhere(db, f);
  if (!scope && !where && !keyed) return { items: [] };
  type Row = { k: string; technology: string; slug: string; n: number | string };
  const rows = keyed
    ? await keySectorTechnologies(db, keyed)
    : scope
      ? await byAudience(
          scope,
          async (s) =>
            (
              await db.execute<Row>(sql`SELECT s.sector AS k, t.name AS technology, t.slug AS slug, sum(s.deals) AS n
        FROM ${statFrom("stat_sector_technologies", s, { as: "s", where: inYearScope(s), summed: true })} JOIN technologies t ON t.id = s.technology_id
        WHERE ${inYearScope(s)} GROUP BY s.sector, t.id, t.name, t.slug HAVING sum(s.deals) > 0`)
            ).rows.map((r) => ({ ...r, n: Number(r.n) })),
          (a, b) =>
            sumByKey(
              [...a, ...b],
              (r) => `${r.k}:${r.slug}`,
              (into, from) => (into.n = Number(into.n) + Number(from.n)),
            ),
        )
      : (
          await db.execute<Row>(sql`SELECT v.k AS k, t.name AS technology, t.slug AS slug, count(*) AS n
      FROM (${dealValues(db, f, where!, partySector(f.rollup))}) v
      JOIN deal_technologies dt ON dt.deal_id = v.deal_id JOIN technologies t ON t.id = dt.technology_id
      GROUP BY v.k, t.id, t.name, t.slug`)
        ).rows;
  return {
    items: rows
      .map((r) => ({
        sector: r.k,
        name: sectorByCode(r.k)?.name ?? r.k,
        technology: r.technology,
        slug: r.slug,
        deals: Number(r.n),
      }))
      .sort((a, b) => byDeals(a, b) || a.technology.localeCompare(b.technology)),
  };
}

/**
 * The partners in the filtered deals by country and by sector, each company once: on a company page
 * (a company filter) the companies it (or, rolled up, its group) dealt with; elsewhere every party.
 */
export async function partnerMix(f: DealFilters, db: Reader = getDb()): Promise<PartnerMix> {
  const empty = { countries: [], sectors: [], unknownCountry: 0, unknownSector: 0 };
  const where = await statsWhere(db, f);
  if (!where) return empty;
  const named = (await Promise.all(f.company.map((c) => findCompanyId(db, c)))).flatMap((id) => id ?? []);
  const own = f.rollup && named.length ? await withSubsidiaries(db, named) : named;
  const notOwn = own.length
    ? sql`AND p.company_id NOT IN (${sql.join(
        own.map((id) => sql`${id}`),
        sql`, `,
      )})`
    : sql``;
  const country = partyCountry(f.rollup);
  const sector = partySector(f.rollup);
  const { rows } = await db.execute<{ dim: string; k: string | null; n: number | string }>(
    sql`SELECT 'country' AS dim, k, count(*) AS n FROM (
        SELECT DISTINCT p.company_id AS id, ${country} AS k FROM ${partiesOf(db, f, where)} ${notOwn}) a GROUP BY k
      UNION ALL
      SELECT 'sector' AS dim, k, count(*) AS n FROM (
        SELECT DISTINCT p.company_id AS id, ${sector} AS k FROM ${partiesOf(db, f, where)} ${notOwn}) b GROUP BY k`,
  );
  const mix: PartnerMix = { ...empty, countries: [], sectors: [] };
  for (const r of rows) {
    const n = Number(r.n);
    if (r.dim === "country") {
      if (r.k === null) mix.unknownCountry = n;
      else mix.countries.push({ country: r.k, name: countryByCode(r.k)?.name ?? r.k, companies: n });
    } else if (r.k === null) mix.unknownSector = n;
    else mix.sectors.push({ sector: r.k, name: sectorByCode(r.k)?.name ?? r.k, companies: n });
  }
  const byCompanies = <T extends { companies: number; name: string }>(a: T, b: T) =>
    b.companies - a.companies || a.name.localeCompare(b.name);
  mix.countries.sort(byCompanies);
  mix.sectors.sort(byCompanies);
  return mix;
}
