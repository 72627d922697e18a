import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNull, like, lte, or, sql, type SQL } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { RunResult } from "better-sqlite3";
import type { DealFilters } from "@/lib/filters";
import { companyKey, labelKey, slugify } from "@/lib/names";
import { fromMinorUnits } from "@/lib/money";
import { getDb } from "./index";
import type {
  DealRecord,
  DealPage,
  DealDetail,
  CompanySummary,
  CompanyDetail,
  TechnologySummary,
} from "./types";
import * as schema from "./schema";
import {
  companies,
  companyAliases,
  companySlugs,
  technologySlugs,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  quotes,
  revisions,
  sources,
  statusHistory,
  technologies,
} from "./schema";

/** A connection or a transaction: reads work inside and outside a write. */
export type Reader = BaseSQLiteDatabase<"sync", RunResult, typeof schema>;

// ---------------------------------------------------------------------------------------------
// Name resolution: every lookup by company name goes through the same normalised key.

/** Finds a company by canonical name, alias or slug, ignoring case, punctuation and legal suffixes. */
export function findCompanyId(db: Reader, nameOrSlug: string): number | undefined {
  const key = companyKey(nameOrSlug);
  if (!key) return undefined;
  const byName = db.select({ id: companies.id }).from(companies).where(eq(companies.nameKey, key)).get();
  if (byName) return byName.id;
  const byAlias = db
    .select({ id: companyAliases.companyId })
    .from(companyAliases)
    .where(eq(companyAliases.aliasKey, key))
    .get();
  if (byAlias) return byAlias.id;
  const slug = nameOrSlug.trim().toLowerCase();
  return (
    db.select({ id: companies.id }).from(companies).where(eq(companies.slug, slug)).get()?.id ??
    db.select({ id: companySlugs.companyId }).from(companySlugs).where(eq(companySlugs.slug, slug)).get()?.id
  );
}

export function findTechnologyId(db: Reader, nameOrSlug: string): number | undefined {
  const slug = nameOrSlug.trim().toLowerCase();
  return (
    db
      .select({ id: technologies.id })
      .from(technologies)
      .where(or(eq(technologies.nameKey, labelKey(nameOrSlug)), eq(technologies.slug, slug)))
      .get()?.id ??
    // Old slugs, and old names by their slug: a renamed or merged area's former name still finds it.
    db
      .select({ id: technologySlugs.technologyId })
      .from(technologySlugs)
      .where(inArray(technologySlugs.slug, [...new Set([slug, slugify(nameOrSlug)])]))
      .get()?.id
  );
}

// ---------------------------------------------------------------------------------------------
// Deals

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Loads deals with all their parts, in the order of `ids`. Six indexed queries whatever the count. */
export function loadDeals(db: Reader, ids: number[]): DealRecord[] {
  if (ids.length === 0) return [];
  const rows = db.select().from(deals).where(inArray(deals.id, ids)).all();
  const partyRows = db
    .select({
      dealId: dealParties.dealId,
      role: dealParties.role,
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
    })
    .from(dealParties)
    .innerJoin(companies, eq(companies.id, dealParties.companyId))
    .where(inArray(dealParties.dealId, ids))
    .orderBy(asc(dealParties.dealId), asc(dealParties.position))
    .all();
  const typeRows = db.select().from(dealTypes).where(inArray(dealTypes.dealId, ids)).all();
  const techRows = db
    .select({
      dealId: dealTechnologies.dealId,
      id: technologies.id,
      name: technologies.name,
      slug: technologies.slug,
    })
    .from(dealTechnologies)
    .innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId))
    .where(inArray(dealTechnologies.dealId, ids))
    .orderBy(asc(technologies.name))
    .all();
  const quoteRows = db
    .select()
    .from(quotes)
    .where(inArray(quotes.dealId, ids))
    .orderBy(asc(quotes.dealId), asc(quotes.position))
    .all();
  const sourceRows = db
    .select()
    .from(sources)
    .where(inArray(sources.dealId, ids))
    .orderBy(asc(sources.dealId), asc(sources.position))
    .all();

  const group = <T extends { dealId: number }>(items: T[]) => {
    const map = new Map<number, T[]>();
    for (const item of items) {
      const list = map.get(item.dealId);
      if (list) list.push(item);
      else map.set(item.dealId, [item]);
    }
    return map;
  };
  const partiesBy = group(partyRows);
  const typesBy = group(typeRows);
  const techBy = group(techRows);
  const quotesBy = group(quoteRows);
  const sourcesBy = group(sourceRows);
  const typeOrder = new Map(schema.DEAL_TYPES.map((t, i) => [t, i]));

  const byId = new Map(
    rows.map((d): [number, DealRecord] => [
      d.id,
      {
        id: d.id,
        version: d.version,
        title: d.title,
        announcedOn: d.announcedOn,
        datePrecision: d.datePrecision,
        types: (typesBy.get(d.id) ?? [])
          .map((t) => t.type)
          .sort((a, b) => typeOrder.get(a)! - typeOrder.get(b)!),
        binding: d.binding,
        status: d.status,
        summary: d.summary,
        value:
          d.valueMinor !== null && d.currency
            ? { amount: fromMinorUnits(d.valueMinor, d.currency), currency: d.currency }
            : null,
        parties: (partiesBy.get(d.id) ?? []).map((p) => ({
          company: { id: p.id, name: p.name, slug: p.slug },
          role: p.role,
        })),
        technologies: (techBy.get(d.id) ?? []).map(({ id, name, slug }) => ({ id, name, slug })),
        quotes: (quotesBy.get(d.id) ?? []).map(({ text, speaker, speakerTitle, speakerCompany }) => ({
          text,
          speaker,
          speakerTitle,
          speakerCompany,
        })),
        sources: (sourcesBy.get(d.id) ?? []).map(({ url, title, publisher, publishedOn }) => ({
          url,
          title,
          publisher,
          publishedOn,
        })),
        expandsDealId: d.expandsDealId,
        demo: d.demo,
        createdAt: iso(d.createdAt)!,
        updatedAt: iso(d.updatedAt)!,
        deletedAt: iso(d.deletedAt),
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Turns user search text into an FTS5 query: every word becomes a quoted prefix term, so operators
 * and quotes typed by the user are matched literally and can never break the query syntax.
 */
function ftsQuery(text: string): string | null {
  // The filter schema refuses control characters; dropping them here too keeps FTS5 safe from
  // any caller that skipped it (a NUL inside a quoted term is a syntax error, not a match).
  const terms = text
    .replace(/\p{Cc}/gu, " ")
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 12)
    .map((t) => `"${t.replace(/"/g, '""')}"*`);
  return terms.length ? terms.join(" ") : null;
}

/** The WHERE clause for a filter set, or null when a named company/technology does not exist. */
export function dealWhere(db: Reader, f: DealFilters): SQL | null {
  const conditions: (SQL | undefined)[] = [isNull(deals.deletedAt)];
  if (f.company.length) {
    const named = f.company.flatMap((c) => findCompanyId(db, c) ?? []);
    if (!named.length) return null;
    const ids = f.rollup ? withSubsidiaries(db, named) : named;
    conditions.push(
      inArray(
        deals.id,
        db.select({ id: dealParties.dealId }).from(dealParties).where(inArray(dealParties.companyId, ids)),
      ),
    );
  }
  for (const partner of f.partner) {
    const id = findCompanyId(db, partner);
    if (!id) return null;
    const ids = f.rollup ? withSubsidiaries(db, [id]) : [id];
    conditions.push(
      inArray(
        deals.id,
        db.select({ id: dealParties.dealId }).from(dealParties).where(inArray(dealParties.companyId, ids)),
      ),
    );
  }
  if (f.technology.length) {
    const named = f.technology.flatMap((t) => findTechnologyId(db, t) ?? []);
    if (!named.length) return null;
    const ids = f.rollup ? withNarrowerAreas(db, named) : named;
    conditions.push(
      inArray(
        deals.id,
        db
          .select({ id: dealTechnologies.dealId })
          .from(dealTechnologies)
          .where(inArray(dealTechnologies.technologyId, ids)),
      ),
    );
  }
  if (f.type.length) {
    conditions.push(
      inArray(
        deals.id,
        db.select({ id: dealTypes.dealId }).from(dealTypes).where(inArray(dealTypes.type, f.type)),
      ),
    );
  }
  if (f.binding.length) conditions.push(inArray(deals.binding, f.binding));
  if (f.status.length) conditions.push(inArray(deals.status, f.status));
  if (f.from) conditions.push(gte(deals.announcedOn, f.from));
  if (f.to) conditions.push(lte(deals.announcedOn, f.to));
  const match = f.q ? ftsQuery(f.q) : null;
  if (match) {
    conditions.push(sql`${deals.id} IN (SELECT rowid FROM deal_search WHERE deal_search MATCH ${match})`);
  }
  return and(...conditions)!;
}

/** The areas and the areas narrower than them (two levels down), as Roll up counts them. */
function withNarrowerAreas(db: Reader, ids: number[]): number[] {
  const all = new Set(ids);
  let level = ids;
  for (let depth = 0; depth < 2 && level.length; depth++) {
    level = db
      .select({ id: technologies.id })
      .from(technologies)
      .where(inArray(technologies.parentId, level))
      .all()
      .map((t) => t.id)
      .filter((id) => !all.has(id));
    level.forEach((id) => all.add(id));
  }
  return [...all];
}

/** The companies and every company whose parent is one of them. */
function withSubsidiaries(db: Reader, ids: number[]): number[] {
  const subsidiaries = db
    .select({ id: companies.id })
    .from(companies)
    .where(inArray(companies.parentId, ids))
    .all();
  return [...new Set([...ids, ...subsidiaries.map((c) => c.id)])];
}

const ORDER = {
  "-announcedOn": [desc(deals.announcedOn), desc(deals.id)],
  announcedOn: [asc(deals.announcedOn), asc(deals.id)],
  title: [asc(deals.title), asc(deals.id)],
  "-updatedAt": [desc(deals.updatedAt), desc(deals.id)],
} as const;

export function listDeals(f: DealFilters, db: Reader = getDb()): DealPage {
  const where = dealWhere(db, f);
  const empty = { items: [], total: 0, page: f.page, pageSize: f.pageSize };
  if (!where) return empty;
  const total = db.select({ n: count() }).from(deals).where(where).get()?.n ?? 0;
  const ids = db
    .select({ id: deals.id })
    .from(deals)
    .where(where)
    .orderBy(...ORDER[f.sort])
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .all()
    .map((r) => r.id);
  return { items: loadDeals(db, ids), total, page: f.page, pageSize: f.pageSize };
}

export function getDeal(id: number, options: { includeDeleted?: boolean } = {}, db: Reader = getDb()) {
  const [deal] = loadDeals(db, [id]);
  if (!deal || (deal.deletedAt && !options.includeDeleted)) return undefined;
  return deal;
}

/** Everything the deal page shows, deleted deals included (so they can be restored). */
export function getDealDetail(id: number, db: Reader = getDb()): DealDetail | undefined {
  const deal = getDeal(id, { includeDeleted: true }, db);
  if (!deal) return undefined;
  const brief = {
    id: deals.id,
    title: deals.title,
    announcedOn: deals.announcedOn,
    datePrecision: deals.datePrecision,
  };
  const history = db
    .select()
    .from(statusHistory)
    .where(eq(statusHistory.dealId, id))
    .orderBy(asc(statusHistory.id))
    .all();
  const revs = db.select().from(revisions).where(eq(revisions.dealId, id)).orderBy(desc(revisions.id)).all();
  const expands = deal.expandsDealId
    ? (db.select(brief).from(deals).where(eq(deals.id, deal.expandsDealId)).get() ?? null)
    : null;
  const expandedBy = db
    .select(brief)
    .from(deals)
    .where(and(eq(deals.expandsDealId, id), isNull(deals.deletedAt)))
    .orderBy(asc(deals.announcedOn))
    .all();
  // Other deals in which the first two parties meet again.
  const pair = deal.parties.slice(0, 2).map((p) => p.company.id);
  const samePartners =
    pair.length === 2
      ? db
          .select(brief)
          .from(deals)
          .where(
            and(
              isNull(deals.deletedAt),
              sql`${deals.id} <> ${id}`,
              ...pair.map((companyId) =>
                inArray(
                  deals.id,
                  db
                    .select({ id: dealParties.dealId })
                    .from(dealParties)
                    .where(eq(dealParties.companyId, companyId)),
                ),
              ),
            ),
          )
          .orderBy(desc(deals.announcedOn))
          .limit(20)
          .all()
      : [];
  return {
    ...deal,
    statusHistory: history.map((h) => ({
      status: h.status,
      effectiveOn: h.effectiveOn,
      recordedAt: h.recordedAt.toISOString(),
    })),
    revisions: revs.map((r) => ({
      id: r.id,
      version: r.version,
      action: r.action,
      actor: r.actor,
      at: r.at.toISOString(),
      changedFields: r.changedFields,
      before: r.before,
      after: r.after,
    })),
    expands,
    expandedBy,
    samePartners,
  };
}

// ---------------------------------------------------------------------------------------------
// Companies and technologies

/**
 * A column written with its table name. Drizzle renders `${companies.id}` inside a sql template of a
 * select list as a bare "id", which a correlated subquery would bind to its own table's id.
 */
const qualified = (table: string, column: string) => sql`${sql.identifier(table)}.${sql.identifier(column)}`;

/** Live deals of the company in the outer query's current row. */
const liveDealCount = () =>
  sql<number>`(SELECT count(*) FROM deal_parties dp INNER JOIN deals d ON d.id = dp.deal_id
    WHERE dp.company_id = ${qualified("companies", "id")} AND d.deleted_at IS NULL)`;

/** Companies whose name or alias contains the text, biggest first (type-ahead and the index). */
export function searchCompanies(
  options: { q?: string; limit?: number; offset?: number } = {},
  db: Reader = getDb(),
): { items: CompanySummary[]; total: number } {
  // companyKey leaves only letters, digits and spaces, so the LIKE patterns need no escaping.
  const key = options.q ? companyKey(options.q) : "";
  const where = key
    ? or(
        like(companies.nameKey, `%${key}%`),
        inArray(
          companies.id,
          db
            .select({ id: companyAliases.companyId })
            .from(companyAliases)
            .where(like(companyAliases.aliasKey, `%${key}%`)),
        ),
      )
    : undefined;
  const total = db.select({ n: count() }).from(companies).where(where).get()?.n ?? 0;
  const dealCount = liveDealCount().as("deal_count");
  const rows = db
    .select({
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
      country: companies.country,
      sector: companies.sector,
      parentId: companies.parentId,
      dealCount,
      // Exact and prefix matches first, so "SK" offers SK Telecom before Fiskars.
      rank: key
        ? sql<number>`CASE WHEN ${companies.nameKey} = ${key} THEN 0 WHEN ${companies.nameKey} LIKE ${key + "%"} THEN 1 ELSE 2 END`.as(
            "rank",
          )
        : sql<number>`0`.as("rank"),
    })
    .from(companies)
    .where(where)
    .orderBy(sql`rank`, desc(sql`deal_count`), asc(companies.name))
    .limit(options.limit ?? 20)
    .offset(options.offset ?? 0)
    .all();
  return { items: withCompanyDetails(db, rows), total };
}

function withCompanyDetails(
  db: Reader,
  rows: {
    id: number;
    name: string;
    slug: string;
    country: string | null;
    sector: string | null;
    parentId: number | null;
    dealCount: number;
  }[],
): CompanySummary[] {
  const ids = rows.map((r) => r.id);
  const parentIds = rows.flatMap((r) => (r.parentId ? [r.parentId] : []));
  const aliases = ids.length
    ? db
        .select()
        .from(companyAliases)
        .where(inArray(companyAliases.companyId, ids))
        .orderBy(asc(companyAliases.id))
        .all()
    : [];
  const parents = parentIds.length
    ? db
        .select({ id: companies.id, name: companies.name, slug: companies.slug })
        .from(companies)
        .where(inArray(companies.id, parentIds))
        .all()
    : [];
  const parentById = new Map(parents.map((p) => [p.id, p]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    country: r.country,
    sector: r.sector,
    aliases: aliases.filter((a) => a.companyId === r.id).map((a) => a.alias),
    parent: r.parentId ? (parentById.get(r.parentId) ?? null) : null,
    dealCount: r.dealCount,
  }));
}

export function getCompanyBySlug(slug: string, db: Reader = getDb()): CompanyDetail | undefined {
  const row = db
    .select({
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
      country: companies.country,
      sector: companies.sector,
      website: companies.website,
      parentId: companies.parentId,
      version: companies.version,
      dealCount: liveDealCount(),
    })
    .from(companies)
    .where(eq(companies.slug, slug))
    .get();
  if (!row) return undefined;
  const [summary] = withCompanyDetails(db, [row]);
  const subsidiaries = db
    .select({ id: companies.id, name: companies.name, slug: companies.slug })
    .from(companies)
    .where(eq(companies.parentId, row.id))
    .orderBy(asc(companies.name))
    .all();
  const mine = db
    .select({ id: dealParties.dealId })
    .from(dealParties)
    .where(eq(dealParties.companyId, row.id));
  const partners = db
    .select({ id: companies.id, name: companies.name, slug: companies.slug, dealCount: count() })
    .from(dealParties)
    .innerJoin(companies, eq(companies.id, dealParties.companyId))
    .innerJoin(deals, eq(deals.id, dealParties.dealId))
    .where(
      and(
        inArray(dealParties.dealId, mine),
        sql`${dealParties.companyId} <> ${row.id}`,
        isNull(deals.deletedAt),
      ),
    )
    .groupBy(companies.id)
    .orderBy(desc(count()), asc(companies.name))
    .limit(50)
    .all();
  return { ...summary!, version: row.version, website: row.website, subsidiaries, partners };
}

/**
 * Names and slugs only, for filter choices and form suggestions: no per-area deal count, which costs
 * a pass over every deal's areas (0.43 s against 0.2 ms at 100,000 deals, measured on a busy 2-core machine)
 * on each render that asked for it: most of the dashboard's warm render time.
 */
export function listTechnologyChoices(db: Reader = getDb()): { name: string; slug: string }[] {
  return db
    .select({ name: technologies.name, slug: technologies.slug })
    .from(technologies)
    .orderBy(asc(technologies.name))
    .all();
}

export function listTechnologies(db: Reader = getDb()): TechnologySummary[] {
  return db
    .select({
      id: technologies.id,
      name: technologies.name,
      slug: technologies.slug,
      version: technologies.version,
      parentId: technologies.parentId,
      dealCount: sql<number>`(SELECT count(*) FROM deal_technologies dt INNER JOIN deals d ON d.id = dt.deal_id
        WHERE dt.technology_id = ${qualified("technologies", "id")} AND d.deleted_at IS NULL)`,
    })
    .from(technologies)
    .orderBy(asc(technologies.name))
    .all();
}

/** Deleted deals, newest deletion first, so they can be found and restored. */
export function listDeletedDeals(db: Reader = getDb()) {
  return db
    .select({ id: deals.id, title: deals.title, announcedOn: deals.announcedOn, deletedAt: deals.deletedAt })
    .from(deals)
    .where(sql`${deals.deletedAt} IS NOT NULL`)
    .orderBy(desc(deals.deletedAt))
    .limit(100)
    .all();
}

// ---------------------------------------------------------------------------------------------
// Activity: every revision, newest first

export type ActivityFilters = {
  user?: string;
  token?: number;
  deal?: number;
  company?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export function listActivity(f: ActivityFilters, db: Reader = getDb()) {
  const conditions: (SQL | undefined)[] = [];
  if (f.user) conditions.push(eq(revisions.actorUserId, f.user));
  if (f.token) conditions.push(eq(revisions.actorTokenId, f.token));
  if (f.deal) conditions.push(eq(revisions.dealId, f.deal));
  if (f.company) {
    const companyId = findCompanyId(db, f.company);
    if (!companyId) return { items: [], total: 0 };
    conditions.push(
      inArray(
        revisions.dealId,
        db.select({ id: dealParties.dealId }).from(dealParties).where(eq(dealParties.companyId, companyId)),
      ),
    );
  }
  // Calendar dates are UTC days; `to` is inclusive.
  if (f.from) conditions.push(gte(revisions.at, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) conditions.push(lte(revisions.at, new Date(`${f.to}T23:59:59Z`)));
  const where = and(...conditions);
  const total = db.select({ n: count() }).from(revisions).where(where).get()?.n ?? 0;
  const rows = db
    .select({ revision: revisions, dealTitle: deals.title })
    .from(revisions)
    .innerJoin(deals, eq(deals.id, revisions.dealId))
    .where(where)
    .orderBy(desc(revisions.id))
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .all();
  return {
    total,
    items: rows.map(({ revision: r, dealTitle }) => ({
      id: r.id,
      dealId: r.dealId,
      dealTitle,
      version: r.version,
      action: r.action,
      actor: r.actor,
      at: r.at.toISOString(),
      changedFields: r.changedFields,
      before: r.before,
      after: r.after,
    })),
  };
}
