import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { SECTORS } from "@/lib/geo/sectors";

// A party's country and sector as SQL, over `companies c LEFT JOIN companies g ON g.id = c.parent_id`
// (the party's company and its group): shared by the geography charts on the base tables
// (db/stats/geo.ts) and the per-bucket counts that answer them (db/stats/stat-counts.ts), so the two
// can never disagree on what a party's country or sector is.

/** Joins a party `p` (a deal_parties row) to its company `c` and that company's group `g`. */
export const partyCompanies = sql`JOIN companies c ON c.id = p.company_id LEFT JOIN companies g ON g.id = c.parent_id`;

/**
 * A party's country (ISO alpha-2). With Roll up a party is its group: the group's country, or its
 * own where the group has none — the rule of the filters (partyAttribute in ./filters.ts), so a
 * chart's bar and the list its click opens count the same deals.
 */
export const partyCountry = (rollup: boolean): SQL =>
  rollup ? sql`coalesce(g.country, c.country)` : sql`c.country`;

/**
 * A party's two-digit NAICS sector: "311" → "31-33". Every subsector starts with its sector's digits
 * (the ranges 31-33, 44-45, 48-49 span several), so the first two digits find it.
 */
const RANGES = SECTORS.filter((s) => !s.parent && s.code.includes("-")).flatMap((s) => {
  const [from, to] = s.code.split("-").map(Number) as [number, number];
  return Array.from({ length: to - from + 1 }, (_, i) => ({ prefix: String(from + i), code: s.code }));
});
export function partySector(rollup: boolean): SQL {
  const own = rollup ? sql`coalesce(g.sector, c.sector)` : sql`c.sector`;
  const two = sql`substr(${own}, 1, 2)`;
  const cases = RANGES.map((r) => sql`WHEN ${r.prefix} THEN ${r.code}`);
  return sql`CASE ${two} ${sql.join(cases, sql` `)} ELSE ${two} END`;
}
