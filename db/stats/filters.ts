import "server-only";
import { and, gte, inArray, isNull, lte, sql, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Audience, DealFilters } from "@/lib/filters";
import { countriesInRegion, regionByNameOrCode } from "@/lib/geo/countries";
import { sectorWithChildren } from "@/lib/geo/sectors";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Reader } from "../core/connection";
import { inIds } from "../core/dialect";
import { findCompanyId, findTechnologyId } from "../directory/lookups";
import { companies, dealParties, deals, dealTechnologies, dealTypes, technologies } from "../schema";
import { searchDealIds } from "../deals/search";

// The filter-to-SQL pieces every deal list, chart, export and saved view shares, written once.

/** The areas and the areas narrower than them (two levels down), as Roll up counts them. */
export async function withNarrowerAreas(db: Reader, ids: number[]): Promise<number[]> {
  const all = new Set(ids);
  let level = ids;
  for (let depth = 0; depth < 2 && level.length; depth++) {
    const rows = await db
      .select({ id: technologies.id })
      .from(technologies)
      .where(inArray(technologies.parentId, level));
    level = rows.map((t) => t.id).filter((id) => !all.has(id));
    level.forEach((id) => all.add(id));
  }
  return [...all];
}

/** The companies and every company whose parent is one of them. */
export async function withSubsidiaries(db: Reader, ids: number[]): Promise<number[]> {
  const subsidiaries = await db
    .select({ id: companies.id })
    .from(companies)
    .where(inIds(companies.parentId, ids)); // one bound list: there may be more ids than parameters
  return [...new Set([...ids, ...subsidiaries.map((c) => c.id)])];
}

/**
 * A set of deal ids as a parenthesised query selecting one column, `deal_id`; `repeats` when a
 * deal can appear in it more than once (several companies, areas or types).
 */
export type DealIdSet = { ids: SQLWrapper; repeats: boolean };

/** The deals whose rows in a junction table have one of these values in `key`. */
function junctionDealIds<V>(
  db: Reader,
  table: PgTable,
  dealId: PgColumn,
  key: PgColumn,
  values: V[],
): DealIdSet {
  return {
    ids: db.select({ dealId }).from(table).where(inArray(key, values)),
    repeats: values.length > 1,
  };
}

const partyDealIds = (db: Reader, companyIds: number[]) =>
  junctionDealIds(db, dealParties, dealParties.dealId, dealParties.companyId, companyIds);
const technologyDealIds = (db: Reader, technologyIds: number[]) =>
  junctionDealIds(
    db,
    dealTechnologies,
    dealTechnologies.dealId,
    dealTechnologies.technologyId,
    technologyIds,
  );
const typeDealIds = (db: Reader, types: DealFilters["type"]) =>
  junctionDealIds(db, dealTypes, dealTypes.dealId, dealTypes.type, types);

const group = alias(companies, "party_group");

/**
 * A party's country or sector as the filters count it: its own, or with Roll up its group's (the
 * parent's), falling back to its own where the group has none — so a subsidiary without a country
 * counts under its group's, and a cross-border deal is one between groups of different countries.
 * Read over `companies` LEFT JOIN `party_group` (partyCompanies below).
 */
export function partyAttribute(key: "country" | "sector", rollup: boolean): SQL<string | null> {
  return rollup ? sql`coalesce(${group[key]}, ${companies[key]})` : sql`${companies[key]}`;
}

/** The companies with their group, for partyAttribute. */
function partyCompanies(db: Reader, rollup: boolean) {
  const rows = db.select({ dealId: dealParties.dealId }).from(dealParties);
  const joined = rows.innerJoin(companies, sql`${companies.id} = ${dealParties.companyId}`);
  return rollup ? joined.leftJoin(group, sql`${group.id} = ${companies.parentId}`) : joined;
}

/** The deals having a party whose country (or sector) is one of `values`. */
function attributeDealIds(
  db: Reader,
  key: "country" | "sector",
  values: string[],
  rollup: boolean,
): DealIdSet {
  return {
    ids: partyCompanies(db, rollup).where(inArray(partyAttribute(key, rollup), values)),
    repeats: true,
  };
}

/**
 * Cross-border deals: parties from at least two countries (a party of unknown country does not
 * stop a deal being cross-border). Domestic: every party's country known, and one. A deal with a
 * party of unknown country and the rest in one country is neither: it might be either.
 */
function crossBorderDealIds(db: Reader, crossBorder: boolean, rollup: boolean): DealIdSet {
  const country = partyAttribute("country", rollup);
  const countries = sql`count(DISTINCT ${country})`;
  return {
    ids: partyCompanies(db, rollup)
      .groupBy(dealParties.dealId)
      .having(crossBorder ? sql`${countries} > 1` : sql`${countries} = 1 AND count(${country}) = count(*)`),
    repeats: false,
  };
}

/** `column` is a deal id of a deal having one of these companies as a party. */
export function dealsWithParty(db: Reader, column: AnyColumn, companyIds: number[]): SQL {
  return inArray(column, partyDealIds(db, companyIds).ids);
}

/** `column` is a deal id of a deal in one of these technology areas. */
export function dealsWithTechnology(db: Reader, column: AnyColumn, technologyIds: number[]): SQL {
  return inArray(column, technologyDealIds(db, technologyIds).ids);
}

/** `column` is a deal id of a deal of one of these types. */
export function dealsWithType(db: Reader, column: AnyColumn, types: DealFilters["type"]): SQL {
  return inArray(column, typeDealIds(db, types).ids);
}

/**
 * A filter in the pieces the deals list counts with (db/deals/deals.ts): sets of deal ids (parties, areas,
 * types, text), conditions on a deal's own fields (binding, status) and on its date. Every deal
 * matching all of them that is not deleted is in the filtered set.
 */
export type DealFilterParts = { sets: DealIdSet[]; fields: SQL[]; dates: SQL[]; hidden: SQL };

/**
 * The ids of the confidential deals (deleted ones too) an audience does not see (issue 25): a
 * parenthesised query over deals_team_idx, empty when nobody keeps confidential deals. Written as
 * ids to leave out rather than a test of each deal's `team_id`, so a list walking a live-deals index
 * (which does not hold team_id) still reads no deal row, as for deleted deals.
 */
export function hiddenDealIds(audience: Audience | undefined): SQL {
  const teams = audience?.teams ?? [];
  return sql`(SELECT ${deals.id} FROM ${deals} WHERE ${deals.teamId} IS NOT NULL${
    teams.length ? sql` AND NOT ${inIds(deals.teamId, [...teams])}` : sql``
  })`;
}

/** `id` is a deal the audience may see (public, or one of its teams'). */
export const visibleTo = (audience: Audience | undefined, id: SQLWrapper = deals.id): SQL =>
  sql`${id} NOT IN ${hiddenDealIds(audience)}`;

/** The pieces of a filter set, or null when it selects nothing (an unknown company or area, an empty region). */
export async function dealFilterParts(db: Reader, f: DealFilters): Promise<DealFilterParts | null> {
  const parts: DealFilterParts = { sets: [], fields: [], dates: [], hidden: hiddenDealIds(f.audience) };
  if (f.company.length) {
    const named = (await Promise.all(f.company.map((c) => findCompanyId(db, c)))).flatMap((id) => id ?? []);
    if (!named.length) return null;
    parts.sets.push(partyDealIds(db, f.rollup ? await withSubsidiaries(db, named) : named));
  }
  for (const partner of f.partner) {
    const id = await findCompanyId(db, partner);
    if (!id) return null;
    parts.sets.push(partyDealIds(db, f.rollup ? await withSubsidiaries(db, [id]) : [id]));
  }
  if (f.technology.length) {
    const named = (await Promise.all(f.technology.map((t) => findTechnologyId(db, t)))).flatMap(
      (id) => id ?? [],
    );
    if (!named.length) return null;
    parts.sets.push(technologyDealIds(db, f.rollup ? await withNarrowerAreas(db, named) : named));
  }
  if (f.type.length) parts.sets.push(typeDealIds(db, f.type));
  if (f.country.length) parts.sets.push(attributeDealIds(db, "country", f.country, f.rollup));
  if (f.region) {
    const region = regionByNameOrCode(f.region);
    const codes = region ? countriesInRegion(region) : [];
    if (!codes.length) return null;
    parts.sets.push(attributeDealIds(db, "country", codes, f.rollup));
  }
  if (f.sector.length) {
    const codes = [...new Set(f.sector.flatMap(sectorWithChildren))];
    parts.sets.push(attributeDealIds(db, "sector", codes, f.rollup));
  }
  if (f.crossBorder !== undefined) parts.sets.push(crossBorderDealIds(db, f.crossBorder, f.rollup));
  if (f.binding.length) parts.fields.push(inArray(deals.binding, f.binding));
  if (f.status.length) parts.fields.push(inArray(deals.status, f.status));
  if (f.from) parts.dates.push(gte(deals.announcedOn, f.from));
  if (f.to) parts.dates.push(lte(deals.announcedOn, f.to));
  const search = f.q ? searchDealIds(f.q) : null;
  if (search) parts.sets.push({ ids: search, repeats: false });
  return parts;
}

/**
 * The WHERE clause of the pieces: live deals in every set, matching every condition. `id` is how
 * the deal's id is written in the set tests (SQLite: `+id` keeps the planner from looking the sets'
 * ids up in an index it should be walking instead, db/deals/deals.ts).
 */
export function whereOfParts(parts: DealFilterParts, id: SQLWrapper = deals.id): SQL {
  return and(
    isNull(deals.deletedAt),
    sql`${id} NOT IN ${parts.hidden}`,
    ...parts.sets.map((set) => inArray(id, set.ids)),
    ...parts.fields,
    ...parts.dates,
  )!;
}

/** The WHERE clause for a filter set, or null when a named company/technology does not exist. */
export async function dealWhere(db: Reader, f: DealFilters): Promise<SQL | null> {
  const parts = await dealFilterParts(db, f);
  return parts && whereOfParts(parts);
}
