import "server-only";
import { and, asc, count, countDistinct, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { alias } from "drizzle-orm/sqlite-core";
import { hasActiveFilters, type DealFilters } from "@/lib/filters";
import type { Interval } from "@/lib/buckets";
import { getDb } from "./index";
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
} from "./types";
import { dealWhere } from "./filters";
import { type Reader } from "./connection";
import {
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  technologies,
  type DealType,
} from "./schema";

// Aggregates for the dashboard, computed in SQLite (GROUP BY over indexed joins), never by loading
// deals into JavaScript. Every function takes the shared filters, so all widgets count the same set.

/** Which company a party counts as: itself, or its parent group when rolling up. */
const countedCompany = (rollup: boolean) =>
  rollup ? sql<number>`coalesce(${companies.parentId}, ${companies.id})` : sql<number>`${companies.id}`;

/**
 * The filtered deals as a condition on a junction table's deal_id, so aggregates over parties,
 * types or areas need not probe the deals table. With no filter but "not deleted", NOT IN over the
 * few deleted deals is an order of magnitude cheaper than joining 100,000 live ones.
 */
function scopeOn(db: Reader, f: DealFilters, dealId: SQLiteColumn): SQL | null {
  if (!hasActiveFilters(f)) return sql`${dealId} NOT IN (SELECT id FROM deals WHERE deleted_at IS NOT NULL)`;
  const where = dealWhere(db, f);
  return where ? inArray(dealId, db.select({ id: deals.id }).from(deals).where(where)) : null;
}

/** The ISO date `months` calendar months before `today`. */
function isoMonthsAgo(months: number, today = new Date()) {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - months, today.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

export function getSummary(f: DealFilters, db: Reader = getDb(), today = new Date()): Summary {
  const where = dealWhere(db, f);
  if (!where) {
    return {
      deals: 0,
      companies: 0,
      technologies: 0,
      nonBindingMous: 0,
      nonBindingMouShare: 0,
      last12Months: 0,
      previous12Months: 0,
    };
  }
  const yearAgo = isoMonthsAgo(12, today);
  const twoYearsAgo = isoMonthsAgo(24, today);
  const todayIso = today.toISOString().slice(0, 10);
  const totals = db
    .select({
      deals: count(),
      nonBindingMous: sql<number>`coalesce(sum(${deals.binding} = 'non_binding' AND EXISTS (SELECT 1 FROM deal_types t WHERE t.deal_id = ${deals.id} AND t.type = 'mou')), 0)`,
      last12Months: sql<number>`coalesce(sum(${deals.announcedOn} > ${yearAgo} AND ${deals.announcedOn} <= ${todayIso}), 0)`,
      previous12Months: sql<number>`coalesce(sum(${deals.announcedOn} > ${twoYearsAgo} AND ${deals.announcedOn} <= ${yearAgo}), 0)`,
    })
    .from(deals)
    .where(where)
    .get()!;
  const companyCount = f.rollup
    ? (db
        .select({ n: countDistinct(countedCompany(true)) })
        .from(dealParties)
        .innerJoin(companies, eq(companies.id, dealParties.companyId))
        .where(scopeOn(db, f, dealParties.dealId)!)
        .get()?.n ?? 0)
    : (db
        .select({ n: countDistinct(dealParties.companyId) })
        .from(dealParties)
        .where(scopeOn(db, f, dealParties.dealId)!)
        .get()?.n ?? 0);
  const technologyCount =
    db
      .select({ n: countDistinct(dealTechnologies.technologyId) })
      .from(dealTechnologies)
      .where(scopeOn(db, f, dealTechnologies.dealId)!)
      .get()?.n ?? 0;
  return {
    ...totals,
    companies: companyCount,
    technologies: technologyCount,
    nonBindingMouShare: totals.deals ? totals.nonBindingMous / totals.deals : 0,
  };
}

/** Picks month, quarter or year so a chart has a readable number of bars for the range. */
function autoInterval(f: DealFilters, db: Reader = getDb()): Interval {
  const where = dealWhere(db, f);
  const range = where
    ? db
        .select({
          first: sql<string | null>`min(${deals.announcedOn})`,
          last: sql<string | null>`max(${deals.announcedOn})`,
        })
        .from(deals)
        .where(where)
        .get()
    : undefined;
  const from = f.from ?? range?.first;
  const to = f.to ?? range?.last;
  if (!from || !to) return "month";
  const months =
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7));
  return months <= 36 ? "month" : months <= 120 ? "quarter" : "year";
}

const bucketSql = (interval: Interval): SQL<string> => {
  // Mirrors lib/buckets.ts bucketOf(), which the tests use to count independently.
  switch (interval) {
    case "month":
      return sql<string>`substr(${deals.announcedOn}, 1, 7)`;
    case "quarter":
      return sql<string>`substr(${deals.announcedOn}, 1, 4) || '-Q' || ((cast(substr(${deals.announcedOn}, 6, 2) AS integer) + 2) / 3)`;
    case "year":
      return sql<string>`substr(${deals.announcedOn}, 1, 4)`;
  }
};

/** Deals per period, stacked by deal type (a deal of two types counts once in each). */
export function dealsOverTime(
  f: DealFilters,
  interval: Interval | "auto" = "auto",
  db: Reader = getDb(),
): OverTime {
  const chosen = interval === "auto" ? autoInterval(f, db) : interval;
  const where = dealWhere(db, f);
  if (!where) return { interval: chosen, buckets: [] };
  const bucket = bucketSql(chosen);
  const byType = db
    .select({ bucket, type: dealTypes.type, n: count() })
    .from(deals)
    .innerJoin(dealTypes, eq(dealTypes.dealId, deals.id))
    .where(where)
    .groupBy(bucket, dealTypes.type)
    .all();
  const totals = db
    .select({ bucket, n: count() })
    .from(deals)
    .where(where)
    .groupBy(bucket)
    .orderBy(asc(bucket))
    .all();
  const map = new Map(
    totals.map((t) => [
      t.bucket,
      { bucket: t.bucket, counts: {} as Partial<Record<DealType, number>>, total: t.n },
    ]),
  );
  for (const row of byType) map.get(row.bucket)!.counts[row.type] = row.n;
  return { interval: chosen, buckets: [...map.values()] };
}

/** The most active companies, by deals or by distinct partners; subsidiaries count under their group with rollup. */
export function topCompanies(
  f: DealFilters,
  options: { by?: "deals" | "partners"; limit?: number } = {},
  db: Reader = getDb(),
): CompanyRank[] {
  const where = dealWhere(db, f);
  if (!where) return [];
  const limit = options.limit ?? 10;
  const counted = countedCompany(f.rollup);
  const other = alias(dealParties, "other");
  const otherCompany = alias(companies, "other_company");
  const otherCounted = f.rollup
    ? sql<number>`coalesce(${otherCompany.parentId}, ${otherCompany.id})`
    : sql<number>`${otherCompany.id}`;

  let ranked: { id: number; deals: number; partners: number }[];
  if ((options.by ?? "deals") === "deals") {
    const scope = scopeOn(db, f, dealParties.dealId)!;
    ranked = f.rollup
      ? db
          .select({ id: counted, deals: countDistinct(dealParties.dealId), partners: sql<number>`0` })
          .from(dealParties)
          .innerJoin(companies, eq(companies.id, dealParties.companyId))
          .where(scope)
          .groupBy(counted)
          .orderBy(desc(countDistinct(dealParties.dealId)), asc(counted))
          .limit(limit)
          .all()
      : db
          .select({ id: dealParties.companyId, deals: count(), partners: sql<number>`0` })
          .from(dealParties)
          .where(scope)
          .groupBy(dealParties.companyId)
          .orderBy(desc(count()), asc(dealParties.companyId))
          .limit(limit)
          .all();
  } else {
    ranked = db
      .select({
        id: counted,
        deals: countDistinct(dealParties.dealId),
        partners: countDistinct(otherCounted),
      })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .innerJoin(other, eq(other.dealId, dealParties.dealId))
      .innerJoin(otherCompany, eq(otherCompany.id, other.companyId))
      .where(and(scopeOn(db, f, dealParties.dealId)!, sql`${otherCounted} <> ${counted}`))
      .groupBy(counted)
      .orderBy(desc(countDistinct(otherCounted)), asc(counted))
      .limit(limit)
      .all();
  }
  const names = new Map(
    ranked.length
      ? db
          .select({ id: companies.id, name: companies.name, slug: companies.slug })
          .from(companies)
          .where(
            sql`${companies.id} IN (${sql.join(
              ranked.map((r) => sql`${r.id}`),
              sql`, `,
            )})`,
          )
          .all()
          .map((c) => [c.id, c])
      : [],
  );
  return ranked.map((r) => ({ ...names.get(r.id)!, deals: r.deals, partners: r.partners }));
}

export function technologyCounts(f: DealFilters, db: Reader = getDb(), limit = 40): TechnologyCount[] {
  const where = dealWhere(db, f);
  if (!where) return [];
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
      .where(scopeOn(db, f, dealTechnologies.dealId)!)
      .groupBy(technologies.id)
      .orderBy(desc(deals), asc(technologies.name))
      .limit(limit)
      .all();
  }
  return db
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals: count() })
    .from(dealTechnologies)
    .innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId))
    .where(scopeOn(db, f, dealTechnologies.dealId)!)
    .groupBy(technologies.id)
    .orderBy(desc(count()), asc(technologies.name))
    .limit(limit)
    .all();
}

/** Deals per period for the most common areas in the filtered set (which areas are rising). */
export function technologiesOverTime(
  f: DealFilters,
  interval: Interval | "auto" = "auto",
  db: Reader = getDb(),
  top = 6,
): TechnologiesOverTime {
  const chosen = interval === "auto" ? autoInterval(f, db) : interval;
  const areas = technologyCounts(f, db, top);
  const where = dealWhere(db, f);
  if (!where || !areas.length) return { interval: chosen, areas: [], buckets: [] };
  const bucket = bucketSql(chosen);
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
  const rows = joined
    .where(
      and(
        where,
        sql`${technologies.id} IN (${sql.join(
          areas.map((a) => sql`${a.id}`),
          sql`, `,
        )})`,
      ),
    )
    .groupBy(bucket, technologies.id)
    .orderBy(asc(bucket))
    .all();
  const map = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const counts = map.get(row.bucket) ?? Object.fromEntries(areas.map((a) => [a.slug, 0]));
    counts[row.slug] = row.n;
    map.set(row.bucket, counts);
  }
  return {
    interval: chosen,
    areas: areas.map(({ name, slug }) => ({ name, slug })),
    buckets: [...map.entries()].map(([b, counts]) => ({ bucket: b, counts })),
  };
}

export function dealTypeBreakdown(f: DealFilters, db: Reader = getDb()): TypeBreakdown {
  const where = dealWhere(db, f);
  if (!where) return { types: [], binding: [] };
  const types = db
    .select({ type: dealTypes.type, deals: count() })
    .from(dealTypes)
    .where(scopeOn(db, f, dealTypes.dealId)!)
    .groupBy(dealTypes.type)
    .orderBy(desc(count()))
    .all();
  const binding = db
    .select({ binding: deals.binding, deals: count() })
    .from(deals)
    .where(where)
    .groupBy(deals.binding)
    .orderBy(desc(count()))
    .all();
  return { types, binding };
}

// ---------------------------------------------------------------------------------------------
// Timeline: swimlanes of deals by company or technology

/** Above this many markers the timeline shows deals per lane and month instead of one mark each. */
const TIMELINE_MARKER_LIMIT = 1500;

export function timeline(
  f: DealFilters,
  groupBy: "company" | "technology",
  db: Reader = getDb(),
  laneCount = 15,
): Timeline {
  const where = dealWhere(db, f);
  const lanes: TimelineLane[] =
    groupBy === "company"
      ? topCompanies(f, { limit: laneCount }, db).map((c) => ({
          key: String(c.id),
          name: c.name,
          slug: c.slug,
          deals: c.deals,
        }))
      : technologyCounts(f, db, laneCount).map((t) => ({
          key: String(t.id),
          name: t.name,
          slug: t.slug,
          deals: t.deals,
        }));
  if (!where || !lanes.length) return { groupBy, mode: "deals", lanes: [], markers: [] };
  const laneIds = sql.join(
    lanes.map((l) => sql`${Number(l.key)}`),
    sql`, `,
  );
  const laneOf =
    groupBy === "company" ? countedCompany(f.rollup) : sql<number>`${dealTechnologies.technologyId}`;
  const base = () =>
    groupBy === "company"
      ? db
          .select({
            lane: laneOf.as("lane"),
            id: deals.id,
            month: sql<string>`substr(${deals.announcedOn}, 1, 7)`.as("month"),
          })
          .from(dealParties)
          .innerJoin(deals, eq(deals.id, dealParties.dealId))
          .innerJoin(companies, eq(companies.id, dealParties.companyId))
          .where(and(where, sql`${laneOf} IN (${laneIds})`))
      : db
          .select({
            lane: laneOf.as("lane"),
            id: deals.id,
            month: sql<string>`substr(${deals.announcedOn}, 1, 7)`.as("month"),
          })
          .from(dealTechnologies)
          .innerJoin(deals, eq(deals.id, dealTechnologies.dealId))
          .where(and(where, sql`${laneOf} IN (${laneIds})`));
  const total = lanes.reduce((sum, l) => sum + l.deals, 0);
  if (total > TIMELINE_MARKER_LIMIT) {
    const sub = base().as("lane_deals");
    const cells = db
      .select({ lane: sub.lane, month: sub.month, deals: countDistinct(sub.id) })
      .from(sub)
      .groupBy(sql`lane`, sql`month`)
      .all();
    return { groupBy, mode: "months", lanes, cells: cells.map((c) => ({ ...c, lane: String(c.lane) })) };
  }
  const rows = base().all();
  const uniqueIds = [...new Set(rows.map((r) => r.id))];
  const details = new Map((uniqueIds.length ? loadBriefs(db, uniqueIds) : []).map((d) => [d.id, d]));
  const seen = new Set<string>();
  const markers: TimelineMarker[] = [];
  for (const row of rows) {
    const key = `${row.lane}:${row.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    markers.push({ lane: String(row.lane), ...details.get(row.id)! });
  }
  markers.sort((a, b) => a.announcedOn.localeCompare(b.announcedOn));
  return { groupBy, mode: "deals", lanes, markers };
}

/** What a timeline marker's card shows. */
function loadBriefs(db: Reader, ids: number[]): Omit<TimelineMarker, "lane">[] {
  const idList = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const rows = db.all<{
    id: number;
    title: string;
    announcedOn: string;
    datePrecision: "day" | "month" | "year";
    types: string | null;
    parties: string | null;
    quoteText: string | null;
    quoteSpeaker: string | null;
  }>(sql`SELECT d.id, d.title, d.announced_on AS announcedOn, d.date_precision AS datePrecision,
      (SELECT group_concat(t.type) FROM deal_types t WHERE t.deal_id = d.id) AS types,
      (SELECT group_concat(c.name, '|') FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id) AS parties,
      (SELECT q.text FROM quotes q WHERE q.deal_id = d.id ORDER BY q.position LIMIT 1) AS quoteText,
      (SELECT q.speaker FROM quotes q WHERE q.deal_id = d.id ORDER BY q.position LIMIT 1) AS quoteSpeaker
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
export function partnerNetwork(f: DealFilters, db: Reader = getDb(), nodeLimit = 60): Network {
  const where = dealWhere(db, f);
  const nodes = topCompanies(f, { limit: nodeLimit }, db).map(({ id, name, slug, deals: n }) => ({
    id,
    name,
    slug,
    deals: n,
  }));
  if (!where || nodes.length < 2) return { nodes, edges: [] };
  const a = alias(dealParties, "a");
  const b = alias(dealParties, "b");
  const ca = alias(companies, "ca");
  const cb = alias(companies, "cb");
  const left = f.rollup ? sql<number>`coalesce(${ca.parentId}, ${ca.id})` : sql<number>`${ca.id}`;
  const right = f.rollup ? sql<number>`coalesce(${cb.parentId}, ${cb.id})` : sql<number>`${cb.id}`;
  const ids = sql.join(
    nodes.map((n) => sql`${n.id}`),
    sql`, `,
  );
  const edges = db
    .select({ source: left, target: right, deals: countDistinct(a.dealId) })
    .from(a)
    .innerJoin(b, eq(b.dealId, a.dealId))
    .innerJoin(ca, eq(ca.id, a.companyId))
    .innerJoin(cb, eq(cb.id, b.companyId))
    .where(
      and(
        scopeOn(db, f, a.dealId)!,
        sql`${left} < ${right}`,
        sql`${left} IN (${ids})`,
        sql`${right} IN (${ids})`,
      ),
    )
    .groupBy(left, right)
    .all();
  return { nodes, edges };
}

/** Areas that appear in the same deals as this one, most often first. */
export function relatedTechnologies(technologyId: number, db: Reader = getDb(), limit = 10) {
  const a = alias(dealTechnologies, "a");
  const b = alias(dealTechnologies, "b");
  return db
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug, deals: count() })
    .from(a)
    .innerJoin(b, and(eq(b.dealId, a.dealId), sql`${b.technologyId} <> ${a.technologyId}`))
    .innerJoin(deals, and(eq(deals.id, a.dealId), sql`${deals.deletedAt} IS NULL`))
    .innerJoin(technologies, eq(technologies.id, b.technologyId))
    .where(eq(a.technologyId, technologyId))
    .groupBy(technologies.id)
    .orderBy(desc(count()), asc(technologies.name))
    .limit(limit)
    .all();
}

/** The pairs of companies with the most deals together in the filtered set. */
export function topPairs(f: DealFilters, db: Reader = getDb(), limit = 10) {
  const network = partnerNetwork(f, db, 200);
  const byId = new Map(network.nodes.map((n) => [n.id, n]));
  return network.edges
    .toSorted((x, y) => y.deals - x.deals)
    .slice(0, limit)
    .map((e) => ({ a: byId.get(e.source)!, b: byId.get(e.target)!, deals: e.deals }));
}
