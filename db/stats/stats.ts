import "server-only";
import {
  and,
  asc,
  count,
  countDistinct,
  desc,
  eq,
  inArray,
  isNull,
  sql,
  type AnyColumn,
  type SQL,
} from "drizzle-orm";
import { alias, type PgColumn } from "drizzle-orm/pg-core";
import type { Audience, DealFilters } from "@/lib/filters";
import { bucketOf, bucketsBetween, fillBuckets, type Interval } from "@/lib/buckets";
import type { Reader } from "../core/connection";
import { dateText, groupConcat, inIds, isPg, monthOf, yearOf } from "../core/dialect";
import { getDb } from "../core/index";
import type {
  Summary,
  OverTime,
  CompanyRank,
  TechnologyCount,
  TechnologiesOverTime,
  TypeBreakdown,
  TimelineLane,
  TimelineMarker,
  Timeline,
  Network,
} from "../types";
import { hiddenDealIds, visibleTo } from "./filters";
import { keyDealIds, keyOf, keyRowsOf, statsWhere, type KeyScope } from "./deal-keys";
import { int, typeBit } from "./count-sql";
import { keyCounts, keyCountScope, keyCountValues, keyTechnologies, type KeyCountScope } from "./key-counts";
import {
  companyCountable,
  countScope,
  dealMonthSums,
  geoKeyScope,
  hasGeoKey,
  monthCountScope,
  monthCounts,
  dealMonthsWhere,
  monthRange,
  statFrom,
  typeMonthCountable,
  nonBindingMous,
  primaryTypeOf,
  selectsAllDeals,
  typeKey,
  byAudience,
  sumByKey,
  type CountScope,
} from "./stat-counts";
import {
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  statCompanies,
  statCompanyMonths,
  statCompanyPairs,
  statTechnologies,
  technologies,
  type Binding,
  type DealType,
} from "../schema";

// Aggregates for the dashboard, computed in the database (GROUP BY over indexed joins), never by
// loading deals into JavaScript. Every function takes the shared filters, so all widgets count the
// same set. The WHERE clause is built once per call (its name lookups are round trips on PostgreSQL)
// and handed to every query of that call.

/**
 * A count table's column in a selection, as an expression: statFrom may put the audience's rows (a
 * subquery of the table's name) in the table's place, which Drizzle's check of selected columns
 * would refuse as "not part of the query".
 */
const counts = (column: AnyColumn) => sql<number>`${column}`.mapWith(Number);
const countsText = (column: AnyColumn) => sql<string>`${column}`.mapWith(String);

/** Which company a party counts as: itself, or its parent group when rolling up. */
const countedCompany = (rollup: boolean) =>
  rollup ? sql<number>`coalesce(${companies.parentId}, ${companies.id})` : sql<number>`${companies.id}`;

/**
 * The filtered deals as a condition on a junction table's deal_id, so aggregates over parties,
 * types or areas need not probe the deals table. With no filter but "not deleted", NOT IN over the
 * few deleted deals is an order of magnitude cheaper than joining 100,000 live ones.
 * The filter itself is db/stats/filters.ts dealWhere; only this "junction rows of the filtered deals"
 * shape is stats' own (db/stats/filters.ts has the opposite: deals with these parties/areas/types).
 */
export function scopeOn(db: Reader, f: DealFilters, where: SQL, dealId: PgColumn | SQL): SQL {
  if (selectsAllDeals(f))
    return sql`${dealId} NOT IN (SELECT id FROM deals WHERE deleted_at IS NOT NULL) AND ${dealId} NOT IN ${hiddenDealIds(f.audience)}`;
  // One company's or area's deals: their key's rows, without reading `deals`.
  const key = keyOf(where);
  if (key) return sql`${dealId} IN ${keyDealIds(key)}`;
  return sql`${dealId} IN ${db.select({ id: deals.id }).from(deals).where(where)}`;
}

/** The deals table's id, qualified: inside a one-table select Drizzle would print a bare "id". */
const dealsId = sql`${sql.identifier("deals")}.${sql.identifier("id")}`;

/** A count of the rows where `condition` holds (0, not null, on no rows), as a number on both engines. */
const countWhere = (condition: SQL) =>
  sql<number>`coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`.mapWith(Number);

/** The ISO date `months` calendar months before `today`. */
function isoMonthsAgo(months: number, today = new Date()) {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, today.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

export async function getSummary(f: DealFilters, db: Reader = getDb(), today = new Date()): Promise<Summary> {
  const where = await statsWhere(db, f);
  if (!where) {
    return {
      deals: 0,
      companies: 0,
      technologies: 0,
      nonBindingMous: 0,
      knownBinding: 0,
      nonBindingMouShare: 0,
      last12Months: 0,
      previous12Months: 0,
    };
  }
  const yearAgo = isoMonthsAgo(12, today);
  const twoYearsAgo = isoMonthsAgo(24, today);
  const todayIso = today.toISOString().slice(0, 10);
  const scope = countScope(f);
  // A single geography filter's totals from its month counts; its companies and areas from the base tables.
  const months = scope ?? geoKeyScope(f);
  // One area's, country's, sector's or cross-border value's companies and areas from its counts.
  const keyed = await keyCountScope(db, f);
  // Independent queries: on PostgreSQL they run side by side on the pool.
  const [totals, last12Months, previous12Months, companiesN, technologiesN] = await Promise.all([
    months ? countedTotals(db, months) : dealTotals(db, where),
    dealsBetween(db, months, where, yearAgo, todayIso),
    dealsBetween(db, months, where, twoYearsAgo, yearAgo),
    keyed
      ? keyCountValues(db, keyed, "co")
      : typeMonthCountable(scope)
        ? countedCompanies(db, scope)
        : distinctCompanies(db, f, where),
    keyed
      ? keyCountValues(db, keyed, "ta")
      : typeMonthCountable(scope)
        ? countedTechnologies(db, scope)
        : distinctTechnologies(db, f, where),
  ]);
  return {
    ...totals,
    companies: companiesN,
    technologies: technologiesN,
    last12Months,
    previous12Months,
    // Among the deals whose binding is known: most deals' is Unknown, which says nothing either way.
    nonBindingMouShare: totals.knownBinding ? totals.nonBindingMous / totals.knownBinding : 0,
  };
}

async function dealTotals(db: Reader, where: SQL) {
  const key = keyOf(where);
  if (key) {
    // The key's rows carry binding and types: no deal row is read.
    const { rows } = await db.execute<{
      n: number | string;
      mous: number | string | null;
      known: number | string | null;
    }>(
      sql`SELECT count(*) AS n,
        coalesce(sum(CASE WHEN kd.binding = 'non_binding' AND (kd.types_mask & ${int(typeBit("mou"))}) <> 0 THEN 1 ELSE 0 END), 0) AS mous,
        coalesce(sum(CASE WHEN kd.binding <> 'unknown' THEN 1 ELSE 0 END), 0) AS known
      FROM ${keyRowsOf(key)} AS kd`,
    );
    const row = rows[0]!;
    return {
      deals: Number(row.n),
      nonBindingMous: Number(row.mous ?? 0),
      knownBinding: Number(row.known ?? 0),
    };
  }
  const [totals] = await db
    .select({
      deals: count(),
      nonBindingMous: countWhere(
        sql`${deals.binding} = 'non_binding' AND EXISTS (SELECT 1 FROM deal_types t WHERE t.deal_id = ${dealsId} AND t.type = 'mou')`,
      ),
      knownBinding: countWhere(sql`${deals.binding} <> 'unknown'`),
    })
    .from(deals)
    .where(where);
  return totals!;
}

async function countedTotals(db: Reader, scope: CountScope) {
  const [[all], mous] = await Promise.all([dealMonthSums(db, scope), nonBindingMous(db, scope)]);
  return { deals: all?.total ?? 0, ...mous };
}

/** "YYYY-MM" `k` months after `month`. */
const addMonths = (month: string, k: number) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + k, 1))
    .toISOString()
    .slice(0, 7);
/** The last day of a "YYYY-MM" month. */
const endOfMonth = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * Deals announced after `after`, up to and including `until` (days). With the counts, the whole
 * months in between are summed from them and only the days of a partial first or last month are
 * counted in the deals table (an index range of a few days).
 */
async function dealsBetween(
  db: Reader,
  scope: CountScope | null,
  where: SQL,
  after: string,
  until: string,
): Promise<number> {
  // In the counts' scope the days are read by date, each deal's types checked by key (a few thousand
  // deals), rather than by the list of every deal of the type.
  const filter = scope
    ? and(
        isNull(deals.deletedAt),
        // The deals the counts hold for this reader: public ones and their teams' (statFrom).
        sql`${dealsId} NOT IN ${hiddenDealIds({ teams: scope.teams })}`,
        scope.bindings.length ? inArray(deals.binding, scope.bindings) : undefined,
        scope.types.length
          ? sql`EXISTS (SELECT 1 FROM deal_types t WHERE t.deal_id = ${dealsId} AND t.type IN (${sql.join(
              scope.types.map((type) => sql`${type}`),
              sql`, `,
            )}))`
          : undefined,
        scope.fromMonth ? sql`${deals.announcedOn} >= ${`${scope.fromMonth}-01`}` : undefined,
        scope.toMonth ? sql`${deals.announcedOn} <= ${endOfMonth(scope.toMonth)}` : undefined,
        // One geography filter's key, per deal: its set (most deals) is never listed.
        scope.fkey ? hasGeoKey({ ...scope, fkey: scope.fkey }, dealsId) : undefined,
      )!
    : where;
  const key = scope ? undefined : keyOf(where);
  const countDays = async (from: string, to: string) => {
    if (from >= to) return 0;
    if (key) {
      const { rows } = await db.execute<{ n: number | string }>(
        sql`SELECT count(*) AS n FROM ${keyRowsOf(key)} AS kd WHERE kd.announced_on > ${from} AND kd.announced_on <= ${to}`,
      );
      return Number(rows[0]?.n ?? 0);
    }
    const [row] = await db
      .select({ n: count() })
      .from(deals)
      .where(and(filter, sql`${deals.announcedOn} > ${from}`, sql`${deals.announcedOn} <= ${to}`));
    return row?.n ?? 0;
  };
  const [afterMonth, untilMonth] = [after.slice(0, 7), until.slice(0, 7)];
  if (!scope || afterMonth === untilMonth) return countDays(after, until);
  const firstWhole = addMonths(afterMonth, 1);
  const lastWhole = until === endOfMonth(untilMonth) ? untilMonth : addMonths(untilMonth, -1);
  const wholeMonths = async () => {
    if (firstWhole > lastWhole) return 0;
    const read = async (s: CountScope) => {
      const inMonths = sql`${dealMonthsWhere(s)} AND month >= ${firstWhole} AND month <= ${lastWhole}`;
      const { rows } = await db.execute<{
        n: number | string | null;
      }>(sql`SELECT sum(deals) AS n FROM ${monthCounts(s, inMonths)}
        WHERE ${inMonths}`);
      return Number(rows[0]?.n ?? 0);
    };
    return byAudience(scope, read, (a, b) => a + b);
  };
  const parts = await Promise.all([
    countDays(after, endOfMonth(afterMonth)),
    wholeMonths(),
    countDays(endOfMonth(lastWhole), until),
  ]);
  return parts.reduce((a, b) => a + b, 0);
}

/** Companies with deals in the set (groups, when rolling up). */
async function distinctCompanies(db: Reader, f: DealFilters, where: SQL): Promise<number> {
  const [row] = f.rollup
    ? await db
        .select({ n: countDistinct(countedCompany(true)) })
        .from(dealParties)
        .innerJoin(companies, eq(companies.id, dealParties.companyId))
        .where(scopeOn(db, f, where, dealParties.dealId))
    : await db
        .select({ n: countDistinct(dealParties.companyId) })
        .from(dealParties)
        .where(scopeOn(db, f, where, dealParties.dealId));
  return row?.n ?? 0;
}

async function countedCompanies(db: Reader, scope: CountScope): Promise<number> {
  if (!companyCountable(scope)) {
    const { rows } = await db.execute<{ n: number | string }>(
      sql`SELECT count(*) AS n FROM (${companyMonthTotals(scope)}) totals`,
    );
    return Number(rows[0]?.n ?? 0);
  }
  const where = and(
    eq(statCompanies.grouped, scope.rollup),
    eq(statCompanies.type, typeKey(scope)),
    sql`${statCompanies.deals} > 0`,
  )!;
  const [row] = await db.select({ n: count() }).from(statCompanies).where(where);
  if (!scope.teams.length) return row?.n ?? 0;
  // A team's deals add the companies they have that the public counts do not (byAudience).
  const teamCompanies = await db
    .selectDistinct({ id: counts(statCompanies.companyId) })
    .from(statFrom("stat_companies", { ...scope, only: "team" }, { summed: true }))
    .where(where);
  if (!teamCompanies.length) return row?.n ?? 0;
  const [counted] = await db
    .select({ n: count() })
    .from(statCompanies)
    .where(
      and(
        where,
        inIds(
          statCompanies.companyId,
          teamCompanies.map((c) => c.id),
        ),
      ),
    );
  return (row?.n ?? 0) + teamCompanies.length - (counted?.n ?? 0);
}

/** Each company's (or group's) deals in the scope's months, from the per-month counts. */
// "+company_id": grouping by the bare column would let SQLite walk the key in company order over
// every month; as an expression it reads only the months in range, by the month index.
const companyMonthTotals = (scope: CountScope) => {
  const where = sql`grouped = ${scope.rollup ? sql`TRUE` : sql`FALSE`} AND type = ${typeKey(scope)} AND ${monthRange(scope)}`;
  return sql`SELECT +company_id AS id, sum(deals) AS deals
  FROM ${statFrom("stat_company_months", scope, { where, summed: true })} WHERE ${where}
  GROUP BY +company_id HAVING sum(deals) > 0`;
};

/** Technology areas with deals in the set. */
async function distinctTechnologies(db: Reader, f: DealFilters, where: SQL): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(dealTechnologies.technologyId) })
    .from(dealTechnologies)
    .where(scopeOn(db, f, where, dealTechnologies.dealId));
  return row?.n ?? 0;
}

async function countedTechnologies(db: Reader, scope: CountScope): Promise<number> {
  // The areas themselves (a few hundred), so the public ones and a team's can be told apart.
  const read = async (s: CountScope) => {
    const where = sql`grouped = FALSE AND type = ${typeKey(s)} AND ${monthRange(s)}`;
    const { rows } = await db.execute<{ id: number }>(sql`SELECT technology_id AS id
      FROM ${statFrom("stat_technologies", s, { where, summed: true })}
      WHERE ${where} GROUP BY technology_id HAVING sum(deals) > 0`);
    return rows.map((r) => Number(r.id));
  };
  return (await byAudience(scope, read, (a, b) => [...new Set([...a, ...b])])).length;
}

/** Picks month, quarter or year so a chart has a readable number of bars for the range. */
async function autoInterval(f: DealFilters, db: Reader, where: SQL | null): Promise<Interval> {
  const scope = monthCountScope(f);
  // Months are enough: the choice below only counts months.
  const [range] =
    where && !(f.from && f.to) && scope
      ? [
          await byAudience(
            scope,
            async (s) =>
              (
                await db.execute<{ first: string | null; last: string | null }>(
                  sql`SELECT min(month) AS first, max(month) AS last FROM ${monthCounts(s, dealMonthsWhere(s))} WHERE ${dealMonthsWhere(s)} AND deals > 0`,
                )
              ).rows[0] ?? { first: null, last: null },
            (a, b) => ({
              first: [a.first, b.first].filter((m) => m !== null).sort()[0] ?? null,
              last:
                [a.last, b.last]
                  .filter((m) => m !== null)
                  .sort()
                  .at(-1) ?? null,
            }),
          ),
        ]
      : where && !(f.from && f.to) && keyOf(where)
        ? (
            await db.execute<{ first: string | null; last: string | null }>(
              sql`SELECT ${dateText(sql`min(kd.announced_on)`)} AS first, ${dateText(sql`max(kd.announced_on)`)} AS last FROM ${keyRowsOf(keyOf(where)!)} AS kd`,
            )
          ).rows
        : where && !(f.from && f.to)
          ? await db
              .select({
                first: sql<string | null>`min(${deals.announcedOn})`,
                last: sql<string | null>`max(${deals.announcedOn})`,
              })
              .from(deals)
              .where(where)
          : [];
  const from = f.from ?? range?.first;
  const to = f.to ?? range?.last;
  if (!from || !to) return "month";
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  return months <= 36 ? "month" : months <= 120 ? "quarter" : "year";
}

const bucketSql = (interval: Interval, date: AnyColumn | SQL = deals.announcedOn): SQL<string> => {
  // Mirrors lib/buckets.ts bucketOf(), which the tests use to count independently.
  switch (interval) {
    case "month":
      return monthOf(date);
    case "quarter":
      return isPg
        ? sql<string>`to_char(${date}, 'YYYY-"Q"Q')`
        : sql<string>`substr(${date}, 1, 4) || '-Q' || ((cast(substr(${date}, 6, 2) AS integer) + 2) / 3)`;
    case "year":
      return yearOf(date);
  }
};

/**
 * Deals per period, stacked by primary type: each deal counts once, under its first type, so a
 * bucket's counts add up to its total. Every period from the first to the last is there (empty: 0).
 */
export async function dealsOverTime(
  f: DealFilters,
  interval: Interval | "auto" = "auto",
  db: Reader = getDb(),
): Promise<OverTime> {
  const where = await statsWhere(db, f);
  const chosen = interval === "auto" ? await autoInterval(f, db, where) : interval;
  if (!where) return { interval: chosen, buckets: [] };
  const scope = monthCountScope(f);
  const blank = (bucket: string): OverTime["buckets"][number] => ({ bucket, counts: {}, total: 0 });
  if (scope) {
    const buckets = new Map<string, OverTime["buckets"][number]>();
    for (const month of await dealMonthSums(db, scope, "month")) {
      const key = bucketOf(`${month.key}-01`, chosen);
      const bucket = buckets.get(key) ?? blank(key);
      bucket.total += month.total;
      for (const [type, n] of Object.entries(month.primary) as [DealType, number][])
        bucket.counts[type] = (bucket.counts[type] ?? 0) + n;
      buckets.set(key, bucket);
    }
    return { interval: chosen, buckets: fillBuckets([...buckets.values()], chosen, blank) };
  }
  const key = keyOf(where);
  const rows = key
    ? (
        await db.execute<{ bucket: string; type: string; n: number | string }>(
          sql`SELECT ${bucketSql(chosen, sql`kd.announced_on`)} AS bucket, kd.primary_type AS type, count(*) AS n
            FROM ${keyRowsOf(key)} AS kd GROUP BY 1, 2 ORDER BY 1`,
        )
      ).rows.map((r) => ({ ...r, n: Number(r.n) }))
    : await baseDealsOverTime(db, where, chosen);
  const map = new Map<string, OverTime["buckets"][number]>();
  for (const row of rows) {
    const entry = map.get(row.bucket) ?? blank(row.bucket);
    entry.total += row.n;
    // '' is a deal without types: in the total, under no type.
    if (row.type) entry.counts[row.type as DealType] = row.n;
    map.set(row.bucket, entry);
  }
  return { interval: chosen, buckets: fillBuckets([...map.values()], chosen, blank) };
}

async function baseDealsOverTime(db: Reader, where: SQL, chosen: Interval) {
  const bucket = bucketSql(chosen);
  const primary = primaryTypeOf(dealsId);
  const perDeal = db
    .select({ bucket: bucket.as("bucket"), type: primary.as("type") })
    .from(deals)
    .where(where)
    .as("per_deal");
  return db
    .select({ bucket: perDeal.bucket, type: perDeal.type, n: count() })
    .from(perDeal)
    .groupBy(perDeal.bucket, perDeal.type)
    .orderBy(asc(perDeal.bucket));
}

/** The most active companies, by deals or by distinct partners; subsidiaries count under their group with rollup. */
export async function topCompanies(
  f: DealFilters,
  options: { by?: "deals" | "partners"; limit?: number } = {},
  db: Reader = getDb(),
): Promise<CompanyRank[]> {
  const where = await statsWhere(db, f);
  if (!where) return [];
  return rankCompanies(f, where, options, db);
}

async function rankCompanies(
  f: DealFilters,
  where: SQL,
  options: { by?: "deals" | "partners"; limit?: number },
  db: Reader,
): Promise<CompanyRank[]> {
  const limit = options.limit ?? 10;
  const counted = countedCompany(f.rollup);
  const other = alias(dealParties, "other");
  const otherCompany = alias(companies, "other_company");
  const otherCounted = f.rollup
    ? sql<number>`coalesce(${otherCompany.parentId}, ${otherCompany.id})`
    : sql<number>`${otherCompany.id}`;
  const scope = scopeOn(db, f, where, dealParties.dealId);
  const inCounts = countScope(f);
  const byDeals = (options.by ?? "deals") === "deals";
  const keyed = byDeals ? await keyCountScope(db, f) : null;

  let ranked: { id: number; deals: number; partners: number }[];
  if (keyed) {
    // Ties by id, as the base tables' ranking below (k1 is the id as text).
    const rows = await keyCounts(db, keyed, "co", { order: sql`deals DESC, CAST(k1 AS INTEGER)`, limit });
    ranked = rows.map((r) => ({ id: Number(r.k1), deals: r.deals, partners: 0 }));
  } else if (byDeals && typeMonthCountable(inCounts) && !companyCountable(inCounts)) {
    const { rows } = await db.execute<{ id: number; deals: number | string }>(
      sql`${companyMonthTotals(inCounts)} ORDER BY sum(deals) DESC, id LIMIT ${limit}`,
    );
    ranked = rows.map((r) => ({ id: Number(r.id), deals: Number(r.deals), partners: 0 }));
  } else if (companyCountable(inCounts) && (byDeals || (!inCounts.types.length && !inCounts.teams.length))) {
    // Partners are kept per company and per group, for all deals: by partners of one type counts below,
    // as do a confidential-deal reader's (distinct partners do not add up: statFrom).
    const rank = byDeals ? statCompanies.deals : statCompanies.partners;
    const where = and(
      eq(statCompanies.grouped, f.rollup),
      eq(statCompanies.type, typeKey(inCounts)),
      sql`${rank} > 0`,
    )!;
    const top = (n: number, also = sql`TRUE`) =>
      db
        .select({
          id: counts(statCompanies.companyId),
          deals: counts(statCompanies.deals),
          partners: byDeals ? sql<number>`0` : counts(statCompanies.partners),
        })
        .from(statCompanies)
        .where(and(where, also))
        .orderBy(desc(rank), asc(statCompanies.companyId))
        .limit(n);
    if (!inCounts.teams.length) ranked = await top(limit);
    else {
      // A team's deals add to a few companies (K): the top `limit` of the sums is among the public
      // top limit + K and those K — any other company has at least limit + K public ones, of which at
      // most K can gain, ahead of it. Both reads are short; the sums are made here (byAudience).
      const team = await db
        .select({ id: counts(statCompanies.companyId), deals: counts(statCompanies.deals) })
        .from(statFrom("stat_companies", { ...inCounts, only: "team" }))
        .where(where);
      const ids = team.map((t) => t.id);
      const [publicTop, publicOfTeam] = await Promise.all([
        top(limit + team.length),
        // One bound list (inIds): a team may touch more companies than a statement has parameters.
        ids.length ? top(ids.length, inIds(statCompanies.companyId, ids)) : Promise.resolve([]),
      ]);
      ranked = sumByKey(
        [
          ...publicTop,
          ...publicOfTeam.filter((r) => !publicTop.some((p) => p.id === r.id)),
          ...team.map((t) => ({ ...t, partners: 0 })),
        ],
        (r) => String(r.id),
        (into, from) => (into.deals += from.deals),
      )
        .sort((a, b) => b.deals - a.deals || a.id - b.id)
        .slice(0, limit);
    }
  } else if (byDeals) {
    ranked = f.rollup
      ? await db
          .select({ id: counted, deals: countDistinct(dealParties.dealId), partners: sql<number>`0` })
          .from(dealParties)
          .innerJoin(companies, eq(companies.id, dealParties.companyId))
          .where(scope)
          .groupBy(counted)
          .orderBy(desc(countDistinct(dealParties.dealId)), asc(counted))
          .limit(limit)
      : await db
          .select({ id: dealParties.companyId, deals: count(), partners: sql<number>`0` })
          .from(dealParties)
          .where(scope)
          .groupBy(dealParties.companyId)
          .orderBy(desc(count()), asc(dealParties.companyId))
          .limit(limit);
  } else {
    // Deals are all the company's (or group's) deals, as the counts keep them, also those whose
    // parties are all in one group; partners are the other companies (groups) only.
    const partners =
      sql<number>`count(DISTINCT CASE WHEN ${otherCounted} <> ${counted} THEN ${otherCounted} END)`.mapWith(
        Number,
      );
    ranked = await db
      .select({ id: counted, deals: countDistinct(dealParties.dealId), partners })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .innerJoin(other, eq(other.dealId, dealParties.dealId))
      .innerJoin(otherCompany, eq(otherCompany.id, other.companyId))
      .where(scope)
      .groupBy(counted)
      .having(sql`${partners} > 0`)
      .orderBy(desc(partners), asc(counted))
      .limit(limit);
  }
  const names = new Map(
    ranked.length
      ? (
          await db
            .select({ id: companies.id, name: companies.name, slug: companies.slug })
            .from(companies)
            .where(
              inArray(
                companies.id,
                ranked.map((r) => r.id),
              ),
            )
        ).map((c) => [c.id, c])
      : [],
  );
  return ranked.map((r) => ({ ...names.get(r.id)!, deals: r.deals, partners: r.partners }));
}

export async function technologyCounts(
  f: DealFilters,
  db: Reader = getDb(),
  limit = 40,
): Promise<TechnologyCount[]> {
  const where = await statsWhere(db, f);
  if (!where) return [];
  return countTechnologies(f, where, db, limit);
}

async function countTechnologies(f: DealFilters, where: SQL, db: Reader, limit: number) {
  const keyed = await keyCountScope(db, f);
  if (keyed) return keyTechnologies(db, keyed, limit);
  const inCounts = countScope(f);
  if (typeMonthCountable(inCounts)) {
    const n = sql<number>`sum(${statTechnologies.deals})`.mapWith(Number);
    const where = and(
      eq(statTechnologies.grouped, f.rollup),
      eq(statTechnologies.type, typeKey(inCounts)),
      monthRange(inCounts, sql`${statTechnologies.month}`),
    )!;
    const read = (s: CountScope, top?: number) => {
      const query = db
        .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals: n })
        .from(statFrom("stat_technologies", s, { where, summed: true }))
        .innerJoin(technologies, eq(technologies.id, statTechnologies.technologyId))
        .where(where)
        .groupBy(technologies.id, technologies.name, technologies.slug)
        .having(sql`sum(${statTechnologies.deals}) > 0`)
        .orderBy(desc(n), asc(technologies.name))
        .$dynamic();
      return top === undefined ? query : query.limit(top);
    };
    if (!inCounts.teams.length) return read(inCounts, limit);
    // Areas are few (hundreds): every area's public sum, plus the teams' (byAudience), then the top.
    return (
      (
        await byAudience(
          inCounts,
          (s) => read(s),
          (a, b) =>
            sumByKey(
              [...a, ...b],
              (r) => String(r.id),
              (into, from) => (into.deals += from.deals),
            ),
        )
      )
        // Names in code-point order, as the column's collation (C, binary) sorts them.
        .sort((x, y) => y.deals - x.deals || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
        .slice(0, limit)
    );
  }
  const scope = scopeOn(db, f, where, dealTechnologies.dealId);
  if (f.rollup) {
    // A deal counts under its area and under that area's broader areas (two levels up), once each.
    const own = alias(technologies, "own");
    const up = alias(technologies, "up");
    const deals = countDistinct(dealTechnologies.dealId);
    return db
      .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals })
      .from(dealTechnologies)
      .innerJoin(own, eq(own.id, dealTechnologies.technologyId))
      .leftJoin(up, eq(up.id, own.parentId))
      .innerJoin(technologies, sql`${technologies.id} IN (${own.id}, ${own.parentId}, ${up.parentId})`)
      .where(scope)
      .groupBy(technologies.id)
      .orderBy(desc(deals), asc(technologies.name))
      .limit(limit);
  }
  return db
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals: count() })
    .from(dealTechnologies)
    .innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId))
    .where(scope)
    .groupBy(technologies.id)
    .orderBy(desc(count()), asc(technologies.name))
    .limit(limit);
}

/** Deals per period for the most common areas in the filtered set (which areas are rising). */
export async function technologiesOverTime(
  f: DealFilters,
  interval: Interval | "auto" = "auto",
  db: Reader = getDb(),
  top = 6,
): Promise<TechnologiesOverTime> {
  const where = await statsWhere(db, f);
  const [chosen, areas] = await Promise.all([
    interval === "auto" ? autoInterval(f, db, where) : interval,
    where ? countTechnologies(f, where, db, top) : [],
  ]);
  if (!where || !areas.length) return { interval: chosen, areas: [], buckets: [] };
  const inCounts = countScope(f);
  const keyed = await keyCountScope(db, f);
  const rows = keyed
    ? await keyedAreasOverTime(db, keyed, chosen, areas)
    : typeMonthCountable(inCounts)
      ? await countedAreasOverTime(db, inCounts, chosen, areas)
      : await areasOverTime(db, f, where, chosen, areas);
  const map = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = map.get(row.bucket) ?? Object.fromEntries(areas.map((a) => [a.slug, 0]));
    counts[row.slug] = (counts[row.slug] ?? 0) + row.n;
    map.set(row.bucket, counts);
  }
  return {
    interval: chosen,
    areas: areas.map(({ name, slug }) => ({ name, slug })),
    buckets: fillBuckets(
      [...map.entries()].map(([b, counts]) => ({ bucket: b, counts })),
      chosen,
      (bucket) => ({ bucket, counts: Object.fromEntries(areas.map((a) => [a.slug, 0])) }),
    ),
  };
}

type Area = { id: number; slug: string };

/** One filter key's deals per month and area (stat_key_counts), in `interval` buckets. */
async function keyedAreasOverTime(db: Reader, s: KeyCountScope, interval: Interval, areas: Area[]) {
  const slugs = new Map(areas.map((a) => [String(a.id), a.slug]));
  const rows = await keyCounts(db, s, "tm", {
    where: sql`k1 IN (${sql.join(
      [...slugs.keys()].map((id) => sql`${id}`),
      sql`, `,
    )})`,
    // Ascending: the caller's buckets run from the first row's to the last's.
    order: sql`k2`,
  });
  return rows.map((r) => ({ bucket: bucketOf(`${r.k2}-01`, interval), slug: slugs.get(r.k1)!, n: r.deals }));
}

/** Deals per month and area from the counts, in `interval` buckets (ascending). */
async function countedAreasOverTime(db: Reader, scope: CountScope, interval: Interval, areas: Area[]) {
  const slugs = new Map(areas.map((a) => [a.id, a.slug]));
  const where = and(
    eq(statTechnologies.grouped, scope.rollup),
    eq(statTechnologies.type, typeKey(scope)),
    monthRange(scope, sql`${statTechnologies.month}`),
    inArray(statTechnologies.technologyId, [...slugs.keys()]),
    sql`${statTechnologies.deals} > 0`,
  )!;
  const read = (s: CountScope) =>
    db
      .select({
        month: countsText(statTechnologies.month),
        id: counts(statTechnologies.technologyId),
        n: counts(statTechnologies.deals),
      })
      .from(statFrom("stat_technologies", s, { where, summed: true }))
      .where(where)
      .orderBy(asc(statTechnologies.month));
  // The caller adds rows of one bucket and area up: a team's rows simply join the public ones.
  const rows = await byAudience(scope, read, (a, b) =>
    [...a, ...b].sort((x, y) => (x.month < y.month ? -1 : x.month > y.month ? 1 : 0)),
  );
  return rows.map((r) => ({ bucket: bucketOf(`${r.month}-01`, interval), slug: slugs.get(r.id)!, n: r.n }));
}

async function areasOverTime(db: Reader, f: DealFilters, where: SQL, interval: Interval, areas: Area[]) {
  const key = keyOf(where);
  if (key) {
    // The key's rows give each deal's date: its areas are joined to them, no deal row is read.
    const areaIds = inIds(
      sql`t.id`,
      areas.map((a) => a.id),
    );
    const joined = f.rollup
      ? sql`deal_technologies dt JOIN technologies own ON own.id = dt.technology_id
          LEFT JOIN technologies up ON up.id = own.parent_id
          JOIN technologies t ON t.id IN (own.id, own.parent_id, up.parent_id)`
      : sql`deal_technologies dt JOIN technologies t ON t.id = dt.technology_id`;
    const { rows } = await db.execute<{ bucket: string; slug: string; n: number | string }>(
      sql`SELECT ${bucketSql(interval, sql`kd.announced_on`)} AS bucket, t.slug AS slug,
          ${f.rollup ? sql`count(DISTINCT kd.deal_id)` : sql`count(*)`} AS n
        FROM ${keyRowsOf(key)} AS kd CROSS JOIN ${joined}
        WHERE dt.deal_id = kd.deal_id AND ${areaIds} GROUP BY 1, t.id, t.slug ORDER BY 1`,
    );
    return rows.map((r) => ({ bucket: r.bucket, slug: r.slug, n: Number(r.n) }));
  }
  const bucket = bucketSql(interval);
  // With Roll up, a deal also counts under its area's broader areas, as in technologyCounts.
  const own = alias(technologies, "own");
  const up = alias(technologies, "up");
  const base = db
    .select({
      bucket,
      slug: technologies.slug,
      n: f.rollup ? countDistinct(dealTechnologies.dealId) : count(),
    })
    .from(dealTechnologies)
    .innerJoin(deals, eq(deals.id, dealTechnologies.dealId))
    .$dynamic();
  const joined = f.rollup
    ? base
        .innerJoin(own, eq(own.id, dealTechnologies.technologyId))
        .leftJoin(up, eq(up.id, own.parentId))
        .innerJoin(technologies, sql`${technologies.id} IN (${own.id}, ${own.parentId}, ${up.parentId})`)
    : base.innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId));
  return joined
    .where(
      and(
        where,
        inArray(
          technologies.id,
          areas.map((a) => a.id),
        ),
      ),
    )
    .groupBy(bucket, technologies.id)
    .orderBy(asc(bucket));
}

export async function dealTypeBreakdown(f: DealFilters, db: Reader = getDb()): Promise<TypeBreakdown> {
  const where = await statsWhere(db, f);
  if (!where) return { types: [], binding: [] };
  const scope = monthCountScope(f);
  if (scope) {
    const perBinding = await dealMonthSums(db, scope, "binding");
    const types = new Map<DealType, number>();
    for (const row of perBinding)
      for (const [type, n] of Object.entries(row.types) as [DealType, number][])
        types.set(type, (types.get(type) ?? 0) + n);
    return {
      // Ties by name, as the base tables' answer below: the same order whichever path answers.
      types: [...types]
        .toSorted(([ta, a], [tb, b]) => b - a || byCode(ta, tb))
        .map(([type, n]) => ({ type, deals: n })),
      binding: perBinding
        .toSorted((a, b) => b.total - a.total || byCode(a.key, b.key))
        .map((row) => ({ binding: row.key as Binding, deals: row.total })),
    };
  }
  const [types, binding] = await Promise.all([
    db
      .select({ type: dealTypes.type, deals: count() })
      .from(dealTypes)
      .where(scopeOn(db, f, where, dealTypes.dealId))
      .groupBy(dealTypes.type)
      .orderBy(desc(count()), asc(dealTypes.type)),
    keyOf(where)
      ? db
          .execute<{ binding: Binding; deals: number | string }>(
            sql`SELECT kd.binding AS binding, count(*) AS deals FROM ${keyRowsOf(keyOf(where)!)} AS kd
              GROUP BY kd.binding ORDER BY count(*) DESC, kd.binding`,
          )
          .then(({ rows }) => rows.map((r) => ({ binding: r.binding, deals: Number(r.deals) })))
      : db
          .select({ binding: deals.binding, deals: count() })
          .from(deals)
          .where(where)
          .groupBy(deals.binding)
          .orderBy(desc(count()), asc(deals.binding)),
  ]);
  return { types, binding };
}

/** Code-point order: what ORDER BY gives for these plain ASCII codes on both engines. */
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Timeline: swimlanes of deals by company or technology

/** Above this many markers the timeline shows deals per lane and month instead of one mark each. */
const TIMELINE_MARKER_LIMIT = 1500;

export async function timeline(
  f: DealFilters,
  groupBy: "company" | "technology",
  db: Reader = getDb(),
  laneCount = 15,
  markerLimit = TIMELINE_MARKER_LIMIT,
): Promise<Timeline> {
  const where = await statsWhere(db, f);
  if (!where) return { groupBy, mode: "deals", lanes: [], markers: [] };
  const lanes: TimelineLane[] =
    groupBy === "company"
      ? (await rankCompanies(f, where, { limit: laneCount }, db)).map((c) => ({
          key: String(c.id),
          name: c.name,
          slug: c.slug,
          deals: c.deals,
        }))
      : (await countTechnologies(f, where, db, laneCount)).map((t) => ({
          key: String(t.id),
          name: t.name,
          slug: t.slug,
          deals: t.deals,
        }));
  if (!lanes.length) return { groupBy, mode: "deals", lanes: [], markers: [] };
  const laneIds = lanes.map((l) => Number(l.key));
  const laneOf =
    groupBy === "company" ? countedCompany(f.rollup) : sql<number>`${dealTechnologies.technologyId}`;
  const month = monthOf(deals.announcedOn);
  const base = () =>
    groupBy === "company"
      ? db
          .select({ lane: laneOf.as("lane"), id: deals.id, month: month.as("month") })
          .from(dealParties)
          .innerJoin(deals, eq(deals.id, dealParties.dealId))
          .innerJoin(companies, eq(companies.id, dealParties.companyId))
          .where(and(where, inArray(laneOf, laneIds)))
      : db
          .select({ lane: laneOf.as("lane"), id: deals.id, month: month.as("month") })
          .from(dealTechnologies)
          .innerJoin(deals, eq(deals.id, dealTechnologies.dealId))
          .where(and(where, inArray(laneOf, laneIds)));
  const total = lanes.reduce((sum, l) => sum + l.deals, 0);
  const key = keyOf(where);
  if (key) return keyedTimeline(db, f, key, groupBy, lanes, total > markerLimit);
  const inCounts = countScope(f);
  if (total > markerLimit && inCounts) {
    const companyCells = and(
      eq(statCompanyMonths.grouped, f.rollup),
      eq(statCompanyMonths.type, typeKey(inCounts)),
      inArray(statCompanyMonths.companyId, laneIds),
      monthRange(inCounts, sql`${statCompanyMonths.month}`),
      sql`${statCompanyMonths.deals} > 0`,
    )!;
    const areaCells = and(
      eq(statTechnologies.grouped, false),
      eq(statTechnologies.type, typeKey(inCounts)),
      inArray(statTechnologies.technologyId, laneIds),
      monthRange(inCounts, sql`${statTechnologies.month}`),
      sql`${statTechnologies.deals} > 0`,
    )!;
    const cells =
      groupBy === "company" && typeMonthCountable(inCounts)
        ? await db
            .select({
              lane: counts(statCompanyMonths.companyId),
              month: countsText(statCompanyMonths.month),
              deals: counts(statCompanyMonths.deals),
            })
            .from(statFrom("stat_company_months", inCounts, { where: companyCells }))
            .where(companyCells)
        : groupBy === "technology" && typeMonthCountable(inCounts)
          ? await db
              .select({
                lane: counts(statTechnologies.technologyId),
                month: countsText(statTechnologies.month),
                deals: counts(statTechnologies.deals),
              })
              .from(statFrom("stat_technologies", inCounts, { where: areaCells }))
              .where(areaCells)
          : null;
    if (cells) return { groupBy, mode: "months", lanes, cells: everyMonth(lanes, cells) };
  }
  if (total > markerLimit) {
    const sub = base().as("lane_deals");
    const cells = await db
      .select({ lane: sub.lane, month: sub.month, deals: countDistinct(sub.id) })
      .from(sub)
      .groupBy(sql`lane`, sql`month`);
    return { groupBy, mode: "months", lanes, cells: everyMonth(lanes, cells) };
  }
  return { groupBy, mode: "deals", lanes, markers: await markersOf(db, await base()) };
}

/**
 * The timeline of one company's or area's deals: their key's rows (date and id) joined to the
 * lanes' parties or areas, without reading `deals` but for the markers' cards.
 */
async function keyedTimeline(
  db: Reader,
  f: DealFilters,
  key: KeyScope,
  groupBy: "company" | "technology",
  lanes: TimelineLane[],
  byMonth: boolean,
): Promise<Timeline> {
  const laneIds = lanes.map((l) => Number(l.key));
  const laneRows =
    groupBy === "company"
      ? sql`SELECT ${f.rollup ? sql`coalesce(c.parent_id, c.id)` : sql`p.company_id`} AS lane, kd.deal_id AS id,
          ${monthOf(sql`kd.announced_on`)} AS month
        FROM ${keyRowsOf(key)} AS kd CROSS JOIN deal_parties p ${f.rollup ? sql`JOIN companies c ON c.id = p.company_id` : sql``}
        WHERE p.deal_id = kd.deal_id AND ${inIds(f.rollup ? sql`coalesce(c.parent_id, c.id)` : sql`p.company_id`, laneIds)}`
      : sql`SELECT dt.technology_id AS lane, kd.deal_id AS id, ${monthOf(sql`kd.announced_on`)} AS month
        FROM ${keyRowsOf(key)} AS kd CROSS JOIN deal_technologies dt
        WHERE dt.deal_id = kd.deal_id AND ${inIds(sql`dt.technology_id`, laneIds)}`;
  if (byMonth) {
    const { rows } = await db.execute<{ lane: number; month: string; deals: number | string }>(
      sql`SELECT lane, month, count(DISTINCT id) AS deals FROM (${laneRows}) AS lane_deals GROUP BY lane, month`,
    );
    return {
      groupBy,
      mode: "months",
      lanes,
      cells: everyMonth(
        lanes,
        rows.map((r) => ({ lane: Number(r.lane), month: r.month, deals: Number(r.deals) })),
      ),
    };
  }
  const { rows } = await db.execute<{ lane: number; id: number }>(laneRows);
  return { groupBy, mode: "deals", lanes, markers: await markersOf(db, rows) };
}

/** The markers of (lane, deal) rows: each once, with its deal's card, in date, lane and deal order. */
async function markersOf(
  db: Reader,
  rows: { lane: number | string; id: number }[],
): Promise<TimelineMarker[]> {
  const uniqueIds = [...new Set(rows.map((r) => Number(r.id)))];
  const details = new Map((uniqueIds.length ? await loadBriefs(db, uniqueIds) : []).map((d) => [d.id, d]));
  const seen = new Set<string>();
  const markers: TimelineMarker[] = [];
  for (const row of rows) {
    const key = `${row.lane}:${row.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    markers.push({ lane: String(row.lane), ...details.get(Number(row.id))! });
  }
  // Date, then lane and deal: the rows come in no set order (on PostgreSQL not the same twice), and an
  // answer must not change between two requests when the data did not.
  return markers.sort(
    (a, b) => byCode(a.announcedOn, b.announcedOn) || byCode(a.lane, b.lane) || a.id - b.id,
  );
}

/**
 * Each lane's cells for every month from the first to the last with deals (0 where it has none), in
 * lane then month order: a series on a true time scale, as the over-time charts are.
 */
function everyMonth(
  lanes: TimelineLane[],
  cells: { lane: number | string; month: string; deals: number }[],
): { lane: string; month: string; deals: number }[] {
  if (!cells.length) return [];
  const months = cells.map((c) => c.month).toSorted();
  const axis = bucketsBetween(months[0]!, months[months.length - 1]!, "month");
  const counted = new Map(cells.map((c) => [`${c.lane}:${c.month}`, c.deals]));
  return lanes.flatMap((lane) =>
    axis.map((month) => ({ lane: lane.key, month, deals: counted.get(`${lane.key}:${month}`) ?? 0 })),
  );
}

/** What a timeline marker's card shows. */
async function loadBriefs(db: Reader, ids: number[]): Promise<Omit<TimelineMarker, "lane">[]> {
  const idList = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const { rows } = await db.execute<{
    id: number;
    title: string;
    announcedOn: string;
    datePrecision: "day" | "month" | "year";
    types: string | null;
    parties: string | null;
    quoteText: string | null;
    quoteSpeaker: string | null;
  }>(sql`SELECT d.id, d.title, ${dateText(sql`d.announced_on`)} AS "announcedOn", d.date_precision AS "datePrecision",
      (SELECT ${groupConcat(sql`t.type`, ",", sql`t.position`)} FROM deal_types t WHERE t.deal_id = d.id) AS types,
      (SELECT ${groupConcat(sql`c.name`, "|", sql`p.position`)} FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id) AS parties,
      (SELECT q.text FROM quotes q WHERE q.deal_id = d.id ORDER BY q.position LIMIT 1) AS "quoteText",
      (SELECT q.speaker FROM quotes q WHERE q.deal_id = d.id ORDER BY q.position LIMIT 1) AS "quoteSpeaker"
    FROM deals d WHERE d.id IN (${idList})`);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    announcedOn: r.announcedOn,
    datePrecision: r.datePrecision,
    types: (r.types?.split(",") ?? []) as DealType[],
    parties: r.parties?.split("|") ?? [],
    quote: r.quoteText ? { text: r.quoteText, speaker: r.quoteSpeaker ?? "" } : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Partner network

/** The most active companies as nodes and their shared deals as weighted edges. */
export async function partnerNetwork(f: DealFilters, db: Reader = getDb(), nodeLimit = 60): Promise<Network> {
  const where = await statsWhere(db, f);
  if (!where) return { nodes: [], edges: [] };
  const nodes = (await rankCompanies(f, where, { limit: nodeLimit }, db)).map(
    ({ id, name, slug, deals: n }) => ({ id, name, slug, deals: n }),
  );
  if (nodes.length < 2) return { nodes, edges: [] };
  const ids = nodes.map((n) => n.id);
  const inCounts = countScope(f);
  if (companyCountable(inCounts) && !inCounts.types.length) {
    const pairs = and(
      eq(statCompanyPairs.grouped, f.rollup),
      inArray(statCompanyPairs.companyId, ids),
      inArray(statCompanyPairs.partnerId, ids),
      sql`${statCompanyPairs.companyId} < ${statCompanyPairs.partnerId}`,
      sql`${statCompanyPairs.deals} > 0`,
    )!;
    const edges = await db
      .select({
        source: counts(statCompanyPairs.companyId),
        target: counts(statCompanyPairs.partnerId),
        deals: counts(statCompanyPairs.deals),
      })
      .from(statFrom("stat_company_pairs", inCounts, { where: pairs }))
      .where(pairs)
      .orderBy(asc(statCompanyPairs.companyId), asc(statCompanyPairs.partnerId));
    return { nodes, edges };
  }
  const a = alias(dealParties, "a");
  const b = alias(dealParties, "b");
  const ca = alias(companies, "ca");
  const cb = alias(companies, "cb");
  const left = f.rollup ? sql<number>`coalesce(${ca.parentId}, ${ca.id})` : sql<number>`${ca.id}`;
  const right = f.rollup ? sql<number>`coalesce(${cb.parentId}, ${cb.id})` : sql<number>`${cb.id}`;
  const edges = await db
    .select({ source: left, target: right, deals: countDistinct(a.dealId) })
    .from(a)
    .innerJoin(b, eq(b.dealId, a.dealId))
    .innerJoin(ca, eq(ca.id, a.companyId))
    .innerJoin(cb, eq(cb.id, b.companyId))
    .where(
      and(
        // SQLite: "+" so the nodes' parties drive and the filtered set is only checked; probing it
        // once per node for every filtered deal took minutes at a million deals.
        scopeOn(db, f, where, isPg ? a.dealId : sql`+${a.dealId}`),
        sql`${left} < ${right}`,
        inArray(left, ids),
        inArray(right, ids),
      ),
    )
    .groupBy(left, right)
    .orderBy(asc(left), asc(right));
  return { nodes, edges };
}

/** Areas that appear in the same deals as this one, most often first. */
export async function relatedTechnologies(
  technologyId: number,
  audience: Audience | undefined,
  db: Reader = getDb(),
  limit = 10,
) {
  const a = alias(dealTechnologies, "a");
  const b = alias(dealTechnologies, "b");
  return db
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals: count() })
    .from(a)
    .innerJoin(b, and(eq(b.dealId, a.dealId), sql`${b.technologyId} <> ${a.technologyId}`))
    .innerJoin(deals, and(eq(deals.id, a.dealId), sql`${deals.deletedAt} IS NULL`, visibleTo(audience)))
    .innerJoin(technologies, eq(technologies.id, b.technologyId))
    .where(eq(a.technologyId, technologyId))
    .groupBy(technologies.id)
    .orderBy(desc(count()), asc(technologies.name))
    .limit(limit);
}

/** The pairs of companies with the most deals together in the filtered set. */
export async function topPairs(f: DealFilters, db: Reader = getDb(), limit = 10) {
  const network = await partnerNetwork(f, db, 200);
  const byId = new Map(network.nodes.map((n) => [n.id, n]));
  return network.edges
    .toSorted((x, y) => y.deals - x.deals)
    .slice(0, limit)
    .map((e) => ({ a: byId.get(e.source)!, b: byId.get(e.target)!, deals: e.deals }));
}
