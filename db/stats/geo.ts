import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { countryByCode } from "@/lib/geo/countries";
import { SECTORS, sectorByCode } from "@/lib/geo/sectors";
import type { DealFilters } from "@/lib/filters";
import type { Reader } from "../core/connection";
import { getDb } from "../core/index";
import { findCompanyId } from "../directory/lookups";
import type { CountryCounts, CountryPairs, PartnerMix, SectorCounts, SectorTechnologies } from "../types";
import { dealWhere, withSubsidiaries } from "./filters";
import { scopeOn } from "./stats";

// Geography and industry aggregates (issue 23): deals by their parties' countries and sectors. The
// rule everywhere: a deal counts once in each country (sector) among its parties, so the countries'
// sum is at least the deals; deals with no party of known country (sector) are counted as unknown.
// With Roll up, a subsidiary without a country or sector of its own has its group's. These read the
// base tables (a GROUP BY over the parties of the filtered deals): no count table holds them yet.

/** A party's country (ISO alpha-2), over `deal_parties p JOIN companies c LEFT JOIN companies g`. */
const partyCountry = (rollup: boolean) => (rollup ? sql`coalesce(c.country, g.country)` : sql`c.country`);

/**
 * A party's two-digit NAICS sector: "311" → "31-33". Every subsector starts with its sector's digits
 * (the ranges 31-33, 44-45, 48-49 span several), so the first two digits find it.
 */
const RANGES = SECTORS.filter((s) => !s.parent && s.code.includes("-")).flatMap((s) => {
  const [from, to] = s.code.split("-").map(Number) as [number, number];
  return Array.from({ length: to - from + 1 }, (_, i) => ({ prefix: String(from + i), code: s.code }));
});
function partySector(rollup: boolean): SQL {
  const own = rollup ? sql`coalesce(c.sector, g.sector)` : sql`c.sector`;
  const two = sql`substr(${own}, 1, 2)`;
  const cases = RANGES.map((r) => sql`WHEN ${r.prefix} THEN ${r.code}`);
  return sql`CASE ${two} ${sql.join(cases, sql` `)} ELSE ${two} END`;
}

/** The parties of the filtered deals joined to their company (c) and its group (g). */
const partiesOf = (db: Reader, f: DealFilters, where: SQL) =>
  sql`deal_parties p JOIN companies c ON c.id = p.company_id LEFT JOIN companies g ON g.id = c.parent_id
    WHERE ${scopeOn(db, f, where, sql`p.deal_id`)}`;

/** Each filtered deal once per distinct value of `key` among its parties (null values left out). */
const dealValues = (db: Reader, f: DealFilters, where: SQL, key: SQL) =>
  sql`SELECT DISTINCT p.deal_id AS deal_id, ${key} AS k FROM ${partiesOf(db, f, where)} AND ${key} IS NOT NULL`;

/** Filtered deals none of whose parties has a value of `key`. */
async function dealsWithout(db: Reader, f: DealFilters, where: SQL, key: SQL): Promise<number> {
  const { rows } = await db.execute<{ n: number | string }>(sql`SELECT count(*) AS n FROM deals
    WHERE ${where} AND NOT EXISTS (SELECT 1 FROM deal_parties p JOIN companies c ON c.id = p.company_id
      LEFT JOIN companies g ON g.id = c.parent_id WHERE p.deal_id = deals.id AND ${key} IS NOT NULL)`);
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
) {
  const where = await dealWhere(db, f);
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
  const { items, unknown } = await countsBy(f, db, partyCountry, (k) => countryByCode(k)?.name ?? k);
  return { items: items.map(({ key, ...c }) => ({ country: key, ...c })), unknown };
}

export async function countryPairs(f: DealFilters, limit = 15, db: Reader = getDb()): Promise<CountryPairs> {
  const where = await dealWhere(db, f);
  if (!where) return { items: [] };
  const values = dealValues(db, f, where, partyCountry(f.rollup));
  const { rows } = await db.execute<{ a: string; b: string; n: number | string }>(
    sql`SELECT x.k AS a, y.k AS b, count(*) AS n FROM (${values}) x
      JOIN (${values}) y ON y.deal_id = x.deal_id AND x.k < y.k
      GROUP BY x.k, y.k ORDER BY count(*) DESC, x.k, y.k LIMIT ${limit}`,
  );
  return { items: rows.map((r) => ({ a: r.a, b: r.b, deals: Number(r.n) })) };
}

export async function sectorCounts(f: DealFilters, db: Reader = getDb()): Promise<SectorCounts> {
  const { items, unknown } = await countsBy(f, db, partySector, (k) => sectorByCode(k)?.name ?? k);
  return { items: items.map(({ key, ...c }) => ({ sector: key, ...c })), unknown };
}

/** Deals per (party sector, technology area): a deal counts once in each pair of its sectors and areas. */
export async function sectorTechnologies(f: DealFilters, db: Reader = getDb()): Promise<SectorTechnologies> {
  const where = await dealWhere(db, f);
  if (!where) return { items: [] };
  const { rows } = await db.execute<{ k: string; technology: string; slug: string; n: number | string }>(
    sql`SELECT v.k AS k, t.name AS technology, t.slug AS slug, count(*) AS n
      FROM (${dealValues(db, f, where, partySector(f.rollup))}) v
      JOIN deal_technologies dt ON dt.deal_id = v.deal_id JOIN technologies t ON t.id = dt.technology_id
      GROUP BY v.k, t.id, t.name, t.slug`,
  );
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
  const where = await dealWhere(db, f);
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
