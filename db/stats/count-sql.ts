import "server-only";
import { sql } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import { DEAL_TYPES, type DealType } from "@/lib/enums";

// What the per-bucket counts (stat-counts.ts) and the filter keys (deal-keys.ts) both write and
// read: a deal's types as a bit mask, integers in the SQL text, and which filters a set names.

/** Bit i of a deal's types mask is DEAL_TYPES[i]. */
export const typeBit = (type: DealType) => 2 ** DEAL_TYPES.indexOf(type);

// Integers from the code, written into the SQL text so both engines type them as integers.
export const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`Not an integer: ${n}`);
  return sql.raw(String(n));
};

/** A deal type row's bit (on alias `t`), for sum() into a types mask. */
export const TYPE_BITS = sql`CASE t.type ${sql.join(
  DEAL_TYPES.map((type) => sql`WHEN ${type} THEN ${int(typeBit(type))}`),
  sql` `,
)} END`;

/**
 * Keys of the filter set that shape a list's page, not which deals are in the set, and the reader's
 * audience (what it sees; the counts' readers check it on their own).
 */
const PAGING: ReadonlySet<string> = new Set(["sort", "page", "pageSize", "audience"]);
/** Whether a filter's value selects nothing: absent, empty text, or an empty list. */
const unset = (value: unknown) =>
  value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

/** The set keys of `f` other than paging: what narrows (or, for rollup, regroups) the deals. */
export const filtersSet = (f: DealFilters) =>
  Object.entries(f).flatMap(([key, value]) => (PAGING.has(key) || unset(value) ? [] : [key]));
