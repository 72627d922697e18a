import "server-only";
import { and, gte, inArray, isNull, lte, type AnyColumn, type SQL, type SQLWrapper } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Reader } from "../core/connection";
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
    .where(inArray(companies.parentId, ids));
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
export type DealFilterParts = { sets: DealIdSet[]; fields: SQL[]; dates: SQL[] };

/** The pieces of a filter set, or null when a named company/technology does not exist. */
export async function dealFilterParts(db: Reader, f: DealFilters): Promise<DealFilterParts | null> {
  const parts: DealFilterParts = { sets: [], fields: [], dates: [] };
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
