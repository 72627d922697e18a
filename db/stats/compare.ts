import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { bucketsBetween, type Interval } from "@/lib/buckets";
import { compareSelection, itemFilters, type CompareSelection } from "@/lib/compare";
import { DEAL_TYPES, TYPE_LABELS } from "@/lib/enums";
import type { DealFilters } from "@/lib/filters";
import { countryByCode } from "@/lib/geo/countries";
import { topSector } from "@/lib/geo/sectors";
import type { Reader } from "../core/connection";
import { InputError } from "../core/errors";
import { getDb } from "../core/index";
import { findCompanyId, findTechnologyId } from "../directory/lookups";
import { companies, dealParties, deals, technologies } from "../schema";
import type { CompareItem, CompareRow, Comparison } from "../types";
import { dealWhere } from "./filters";
import { dealsOverTime, dealTypeBreakdown, technologyCounts } from "./stats";

// The compare page (issue 23): two to four companies or technology areas over the same filters and
// the same categories, so their panels share scales. Each item's numbers come from the dashboard's
// own aggregates over that item's filters; only the partners' side (who, where, which sector) is
// counted here, from one query per item.

/** Rows a ranked panel keeps (by the items' deals together): a chart of more is unreadable. */
const RANKED_ROWS = 12;
const UNKNOWN = "Unknown";

type Resolved = CompareItem & { id: number };

/** One counted partner of one deal: the company (or its group with Roll up), where and which sector. */
type PartyRow = { dealId: number; companyId: number; country: string | null; sector: string | null };

async function resolveItems(db: Reader, s: CompareSelection): Promise<Resolved[]> {
  const table = s.kind === "company" ? companies : technologies;
  const find = s.kind === "company" ? findCompanyId : findTechnologyId;
  const ids = await Promise.all(s.given.map((given) => find(db, given)));
  const missing = s.given.filter((_, i) => ids[i] === undefined);
  if (missing.length)
    throw new InputError({
      [s.kind]: missing.map((m) =>
        s.kind === "company" ? `No company called “${m}”` : `No technology area called “${m}”`,
      ),
    });
  const rows = await db
    .select({ id: table.id, name: table.name, slug: table.slug })
    .from(table)
    .where(inArray(table.id, ids as number[]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  // Two names of one company (an alias and its name) are one item.
  const unique = [...new Set(ids as number[])];
  if (unique.length < 2)
    throw new InputError({ [s.kind]: ["These name the same record twice; choose different ones"] });
  return unique.map((id) => ({ ...byId.get(id)!, deals: 0 }));
}

/**
 * Each deal's other parties, counted as the company (or, with Roll up, its group) with its country
 * (a subsidiary without one takes its group's) and sector. For a compared company its own side
 * (itself, and its subsidiaries with Roll up) is left out: those are not its partners.
 */
async function partiesOf(db: Reader, f: DealFilters, self: number | null): Promise<PartyRow[]> {
  const where = await dealWhere(db, f);
  if (!where) return [];
  const parent = alias(companies, "parent");
  const counted = f.rollup
    ? sql<number>`coalesce(${companies.parentId}, ${companies.id})`
    : sql<number>`${companies.id}`;
  const country = f.rollup
    ? sql<string | null>`coalesce(${companies.country}, ${parent.country})`
    : sql<string | null>`${companies.country}`;
  const rows = await db
    .selectDistinct({
      dealId: dealParties.dealId,
      companyId: counted.mapWith(Number),
      country,
      sector: companies.sector,
    })
    .from(dealParties)
    .innerJoin(companies, eq(companies.id, dealParties.companyId))
    .leftJoin(parent, eq(parent.id, companies.parentId))
    .where(
      and(
        inArray(dealParties.dealId, db.select({ id: deals.id }).from(deals).where(where)),
        self === null ? undefined : sql`${counted} <> ${self}`,
      ),
    );
  return rows;
}

/** Distinct deals per key for one item: a deal counts once under each key it has. */
function dealsPerKey(rows: PartyRow[], keyOf: (r: PartyRow) => string): Map<string, number> {
  const seen = new Map<string, Set<number>>();
  for (const r of rows) {
    const key = keyOf(r);
    const set = seen.get(key) ?? new Set<number>();
    set.add(r.dealId);
    seen.set(key, set);
  }
  return new Map([...seen].map(([k, v]) => [k, v.size]));
}

/** Per-item maps as rows over the union of their keys, the largest first (ties by label). */
function rowsOf(
  items: Resolved[],
  perItem: Map<string, number>[],
  labelOf: (key: string) => string,
  keep: (counts: number[], key: string) => boolean = () => true,
  limit = RANKED_ROWS,
): CompareRow[] {
  const keys = new Set(perItem.flatMap((m) => [...m.keys()]));
  return [...keys]
    .map((key) => {
      const values = perItem.map((m) => m.get(key) ?? 0);
      return {
        key,
        label: labelOf(key),
        counts: Object.fromEntries(items.map((item, i) => [item.slug, values[i]!])),
        total: values.reduce((a, b) => a + b, 0),
        values,
      };
    })
    .filter((r) => keep(r.values, r.key))
    .sort((a, b) => b.total - a.total || a.label.localeCompare(b.label))
    .slice(0, limit)
    .map(({ key, label, counts }) => ({ key, label, counts }));
}

/** The comparison the filters ask for; a bad question (1 or 5 items, an unknown name) is an InputError. */
export async function compareDeals(
  f: DealFilters,
  interval: Interval | "auto" = "auto",
  db: Reader = getDb(),
): Promise<Comparison> {
  const parsed = compareSelection(f);
  if (!parsed.success) throw new InputError(parsed.errors);
  const s = parsed.selection;
  const items = await resolveItems(db, s);
  const filtersOf = items.map((item) => itemFilters(s, item.slug));
  // One interval for all, chosen over their deals together: the same time axis for every item.
  const chosen =
    interval === "auto"
      ? (await dealsOverTime({ ...s.base, [s.kind]: items.map((i) => i.slug) }, "auto", db)).interval
      : interval;
  const [overTime, types, areas, parties] = await Promise.all([
    Promise.all(filtersOf.map((fi) => dealsOverTime(fi, chosen, db))),
    Promise.all(filtersOf.map((fi) => dealTypeBreakdown(fi, db))),
    s.kind === "company" ? Promise.all(filtersOf.map((fi) => technologyCounts(fi, db))) : null,
    Promise.all(filtersOf.map((fi, i) => partiesOf(db, fi, s.kind === "company" ? items[i]!.id : null))),
  ]);
  items.forEach((item, i) => (item.deals = overTime[i]!.buckets.reduce((n, b) => n + b.total, 0)));

  const buckets = overTime.flatMap((o) => o.buckets.map((b) => b.bucket)).sort();
  const periods = buckets.length ? bucketsBetween(buckets[0]!, buckets.at(-1)!, chosen) : [];
  const perPeriod = overTime.map((o) => new Map(o.buckets.map((b) => [b.bucket, b.total])));
  const typeMaps = types.map((t) => new Map<string, number>(t.types.map((x) => [x.type, x.deals])));

  // Names of every company the party rows mention, for the ranked panels.
  const partyIds = [...new Set(parties.flat().map((r) => r.companyId))];
  const named = new Map(
    partyIds.length
      ? (
          await db
            .select({ id: companies.id, name: companies.name, slug: companies.slug })
            .from(companies)
            .where(inArray(companies.id, partyIds))
        ).map((c) => [String(c.id), c])
      : [],
  );
  const bySlug = (rows: CompareRow[]) => rows.map((r) => ({ ...r, key: named.get(r.key)?.slug ?? r.key }));
  const perCompany = parties.map((rows) => dealsPerKey(rows, (r) => String(r.companyId)));
  const companyName = (id: string) => named.get(id)?.name ?? id;

  const mix =
    s.kind === "company"
      ? rowsOf(
          items,
          areas!.map((list) => new Map(list.map((t) => [t.slug, t.deals]))),
          (slug) => areas!.flat().find((t) => t.slug === slug)?.name ?? slug,
        )
      : bySlug(rowsOf(items, perCompany, companyName));

  const ids = new Map(items.map((item) => [String(item.id), item.slug]));
  return {
    kind: s.kind,
    interval: chosen,
    items: items.map(({ name, slug, deals }) => ({ name, slug, deals })),
    overTime: periods.map((p) => ({
      key: p,
      label: p,
      counts: Object.fromEntries(items.map((item, i) => [item.slug, perPeriod[i]!.get(p) ?? 0])),
    })),
    types: DEAL_TYPES.filter((t) => typeMaps.some((m) => m.get(t))).map((t) => ({
      key: t,
      label: TYPE_LABELS[t],
      counts: Object.fromEntries(items.map((item, i) => [item.slug, typeMaps[i]!.get(t) ?? 0])),
    })),
    mix,
    countries: rowsOf(
      items,
      parties.map((rows) => dealsPerKey(rows, (r) => r.country?.toUpperCase() ?? "")),
      (code) => (code ? (countryByCode(code)?.name ?? code) : UNKNOWN),
      undefined,
      15,
    ),
    sectors: rowsOf(
      items,
      parties.map((rows) =>
        dealsPerKey(rows, (r) => (r.sector ? (topSector(r.sector)?.code ?? r.sector) : "")),
      ),
      (code) => (code ? (topSector(code)?.name ?? code) : UNKNOWN),
      undefined,
      Infinity,
    ),
    partners: s.kind === "company" ? bySlug(rowsOf(items, perCompany, companyName)) : [],
    shared: bySlug(
      rowsOf(
        items,
        perCompany,
        companyName,
        // A compared company is not a shared partner of the others: "between" counts those deals.
        (counts, key) => counts.filter(Boolean).length >= 2 && !ids.has(key),
        20,
      ),
    ),
    between:
      s.kind === "company"
        ? items.flatMap((a, i) =>
            items
              .slice(i + 1)
              .map((b) => ({ a: a.slug, b: b.slug, deals: perCompany[i]!.get(String(b.id)) ?? 0 })),
          )
        : [],
  };
}
