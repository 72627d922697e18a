import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import type { Reader } from "../core/connection";
import { findTechnologyId } from "../directory/lookups";
import { filtersSet, int } from "./count-sql";
import { geoKeyScope, statFrom, type CountScope } from "./stat-counts";

// The widgets of exactly one technology area, country, sector or cross-border value (with Roll up
// as the filter defines it) from stat_key_counts: a few thousand rows per key whatever the number of
// deals. Read from the key's deals instead (stat_deal_keys, or the base tables for the geography
// keys), they joined 50,000 deals' parties or areas at a million deals for one area, 130,000 to
// 900,000 for a country, a sector or cross-border (0.15–5.5 s on SQLite). Any other filter set,
// the key with a type, a binding or dates included, reads as before: a filter the counts do not
// hold is correct before it is fast.

/** One filter key's rows in stat_key_counts, for the reader's audience. */
export type KeyCountScope = { fkey: string; grouped: boolean; scope: CountScope };

/**
 * The key whose counts answer `f`, or null: exactly one technology area (found), one country, one
 * sector (a two-digit one) or one cross-border value, beside Roll up only.
 */
export async function keyCountScope(db: Reader, f: DealFilters): Promise<KeyCountScope | null> {
  const set = filtersSet(f).filter((key) => key !== "rollup");
  if (set.length !== 1) return null;
  const scope: CountScope = { types: [], bindings: [], rollup: f.rollup, teams: f.audience?.teams ?? [] };
  let fkey: string | undefined;
  if (set[0] === "technology" && f.technology.length === 1) {
    const id = await findTechnologyId(db, f.technology[0]!);
    // An unknown area selects nothing: the filters say so on the usual path.
    fkey = id ? `area:${id}` : undefined;
  } else fkey = geoKeyScope(f)?.fkey;
  return fkey ? { fkey, grouped: f.rollup, scope } : null;
}

/** The key's rows of one widget (`dim`) for a FROM clause (alias `k`), and the WHERE that selects them. */
function keyFrom(s: KeyCountScope, dim: string, also?: SQL) {
  const where = sql`grouped = ${s.grouped ? sql`TRUE` : sql`FALSE`} AND fkey = ${s.fkey} AND dim = ${dim}${
    also ? sql` AND ${also}` : sql``
  }`;
  return {
    from: statFrom("stat_key_counts", s.scope, { as: "k", where }),
    where: sql`${where} AND deals > 0`,
  };
}

/** The key's rows of one widget (`dim`) with deals, as (k1, k2, deals); `where` narrows them (on k1, k2). */
export async function keyCounts(
  db: Reader,
  s: KeyCountScope,
  dim: string,
  options: { where?: SQL; order?: SQL; limit?: number } = {},
): Promise<{ k1: string; k2: string; deals: number }[]> {
  const { from, where } = keyFrom(s, dim, options.where);
  const { rows } = await db.execute<{ k1: string; k2: string; deals: number | string }>(
    sql`SELECT k1, k2, deals FROM ${from} WHERE ${where}${options.order ? sql` ORDER BY ${options.order}` : sql``}${
      options.limit === undefined ? sql`` : sql` LIMIT ${int(options.limit)}`
    }`,
  );
  return rows.map((r) => ({ k1: String(r.k1), k2: String(r.k2), deals: Number(r.deals) }));
}

/** How many values of one widget (`dim`) the key's deals have: the summary's companies and areas. */
export async function keyCountValues(db: Reader, s: KeyCountScope, dim: "co" | "ta"): Promise<number> {
  const { from, where } = keyFrom(s, dim);
  const { rows } = await db.execute<{ n: number | string }>(
    sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The key's areas by deals (summed over months), most first, then by name, as the area counts rank them. */
export async function keyTechnologies(db: Reader, s: KeyCountScope, limit: number) {
  const { from, where } = keyFrom(s, "tm");
  const { rows } = await db.execute<{
    id: number | string;
    name: string;
    slug: string;
    deals: number | string;
  }>(
    sql`SELECT t.id AS id, t.name AS name, t.slug AS slug, sum(k.deals) AS deals
      FROM ${from} CROSS JOIN technologies t WHERE ${where} AND t.id = CAST(k.k1 AS INTEGER)
      GROUP BY t.id, t.name, t.slug ORDER BY sum(k.deals) DESC, t.name LIMIT ${int(limit)}`,
  );
  return rows.map((r) => ({ id: Number(r.id), name: r.name, slug: r.slug, deals: Number(r.deals) }));
}

/** The key's deals per (sector, area), as (k, technology, slug, n). */
export async function keySectorTechnologies(db: Reader, s: KeyCountScope) {
  const { from, where } = keyFrom(s, "st");
  const { rows } = await db.execute<{ k: string; technology: string; slug: string; n: number | string }>(
    sql`SELECT k.k1 AS k, t.name AS technology, t.slug AS slug, k.deals AS n
      FROM ${from} CROSS JOIN technologies t WHERE ${where} AND t.id = CAST(k.k2 AS INTEGER)`,
  );
  return rows;
}
