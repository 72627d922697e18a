import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import { countryByCode } from "@/lib/geo/countries";
import { sectorByCode } from "@/lib/geo/sectors";
import { companyKey, labelKey, normalizeName, slugify } from "@/lib/names";
import type { Db, Reader, Tx } from "../core/connection";
import { InputError, RefusedError } from "../core/errors";
import { findCompanyId, findTechnologyId } from "./lookups";
import { getDb } from "../core/index";
import { readAll } from "../core/read-all";
import type { CompanySummary, CompanyDetail, TechnologySummary } from "../types";
import {
  companies,
  companyAliases,
  companySlugs,
  dealParties,
  deals,
  technologies,
  technologySlugs,
  type MergeKind,
} from "../schema";
import { writeRecordRevision, type Actor } from "../audit/revisions";
import type { CompanyInput, FieldErrors } from "../../lib/validation";
import type { Audience } from "@/lib/filters";
import { hiddenDealIds, visibleTo } from "../stats/filters";

// The directory of companies and technology areas as deals see it: look-ups, the company index and
// record, the area lists, and the records a deal's save creates when it names a new one.

/**
 * A column written with its table name. Drizzle renders `${companies.id}` inside a sql template of a
 * select list as a bare "id", which a correlated subquery would bind to its own table's id.
 */
const qualified = (table: string, column: string) => sql`${sql.identifier(table)}.${sql.identifier(column)}`;

/** Live deals of the company in the outer query's current row that the audience sees (issue 25). */
const liveDealCount = (audience: Audience | undefined) =>
  sql<number>`(SELECT count(*) FROM deal_parties dp INNER JOIN deals d ON d.id = dp.deal_id
    WHERE dp.company_id = ${qualified("companies", "id")} AND d.deleted_at IS NULL
      AND d.id NOT IN ${hiddenDealIds(audience)})`;

/** Companies whose name or alias contains the text, biggest first (type-ahead and the index). */
export async function searchCompanies(
  /** `audience`: whose confidential deals count in each company's deals (none: public deals only). */
  options: { q?: string; limit?: number; offset?: number; audience?: Audience } = {},
  db: Reader = getDb(),
): Promise<{ items: CompanySummary[]; total: number }> {
  // companyKey leaves only lower-case letters, digits and spaces, so the LIKE patterns need no
  // escaping and match the same on both engines.
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
  const dealCount = liveDealCount(options.audience).as("deal_count");
  const [[totalRow], rows] = await readAll(db, [
    db.select({ n: count() }).from(companies).where(where),
    db
      .select({
        id: companies.id,
        name: companies.name,
        slug: companies.slug,
        country: companies.country,
        sector: companies.sector,
        lei: companies.lei,
        wikidataId: companies.wikidataId,
        ticker: companies.ticker,
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
      .offset(options.offset ?? 0),
  ]);
  return { items: await withCompanyDetails(db, rows), total: totalRow?.n ?? 0 };
}

async function withCompanyDetails(
  db: Reader,
  rows: {
    id: number;
    name: string;
    slug: string;
    country: string | null;
    sector: string | null;
    lei: string | null;
    wikidataId: string | null;
    ticker: string | null;
    parentId: number | null;
    dealCount: number;
  }[],
): Promise<CompanySummary[]> {
  const ids = rows.map((r) => r.id);
  const parentIds = rows.flatMap((r) => (r.parentId ? [r.parentId] : []));
  const [aliases, parents] = await readAll(db, [
    ids.length
      ? db
          .select()
          .from(companyAliases)
          .where(inArray(companyAliases.companyId, ids))
          .orderBy(asc(companyAliases.id))
      : Promise.resolve([]),
    parentIds.length
      ? db
          .select({ id: companies.id, name: companies.name, slug: companies.slug })
          .from(companies)
          .where(inArray(companies.id, parentIds))
      : Promise.resolve([]),
  ]);
  const parentById = new Map(parents.map((p) => [p.id, p]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    slug: r.slug,
    ...referenceFieldsOf(r),
    aliases: aliases.filter((a) => a.companyId === r.id).map((a) => a.alias),
    parent: r.parentId ? (parentById.get(r.parentId) ?? null) : null,
    dealCount: r.dealCount,
  }));
}

/** The stored codes with the names and region they stand for, as every company answer carries them. */
function referenceFieldsOf(r: {
  country: string | null;
  sector: string | null;
  lei: string | null;
  wikidataId: string | null;
  ticker: string | null;
}) {
  const country = countryByCode(r.country);
  return {
    country: r.country,
    countryName: country?.name ?? null,
    region: country?.region ?? null,
    sector: r.sector,
    sectorName: sectorByCode(r.sector)?.name ?? null,
    lei: r.lei,
    wikidataId: r.wikidataId,
    ticker: r.ticker,
  };
}

/** A company with its deal count and partners as `audience` sees them (none: public deals only). */
export async function getCompanyBySlug(
  slug: string,
  audience?: Audience,
  db: Reader = getDb(),
): Promise<CompanyDetail | undefined> {
  const [row] = await db
    .select({
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
      country: companies.country,
      sector: companies.sector,
      lei: companies.lei,
      wikidataId: companies.wikidataId,
      ticker: companies.ticker,
      website: companies.website,
      parentId: companies.parentId,
      version: companies.version,
      dealCount: liveDealCount(audience),
    })
    .from(companies)
    .where(eq(companies.slug, slug));
  if (!row) return undefined;
  const mine = db
    .select({ id: dealParties.dealId })
    .from(dealParties)
    .where(eq(dealParties.companyId, row.id));
  const [[summary], subsidiaries, partners] = await readAll(db, [
    withCompanyDetails(db, [row]),
    db
      .select({ id: companies.id, name: companies.name, slug: companies.slug })
      .from(companies)
      .where(eq(companies.parentId, row.id))
      .orderBy(asc(companies.name)),
    db
      .select({ id: companies.id, name: companies.name, slug: companies.slug, dealCount: count() })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .innerJoin(deals, eq(deals.id, dealParties.dealId))
      .where(
        and(
          inArray(dealParties.dealId, mine),
          sql`${dealParties.companyId} <> ${row.id}`,
          isNull(deals.deletedAt),
          visibleTo(audience),
        ),
      )
      .groupBy(companies.id)
      .orderBy(desc(count()), asc(companies.name))
      .limit(50),
  ]);
  return { ...summary!, version: row.version, website: row.website, subsidiaries, partners };
}

/**
 * Names and slugs only, for filter choices and form suggestions: no per-area deal count, which costs
 * a pass over every deal's areas (0.43 s against 0.2 ms at 100,000 deals, measured on a busy 2-core machine)
 * on each render that asked for it: most of the dashboard's warm render time.
 */
export async function listTechnologyChoices(db: Reader = getDb()): Promise<{ name: string; slug: string }[]> {
  return db
    .select({ name: technologies.name, slug: technologies.slug })
    .from(technologies)
    .orderBy(asc(technologies.name));
}

/** Every area with its deals as `audience` sees them (none: public deals only). */
export async function listTechnologies(
  audience?: Audience,
  db: Reader = getDb(),
): Promise<TechnologySummary[]> {
  return db
    .select({
      id: technologies.id,
      name: technologies.name,
      slug: technologies.slug,
      version: technologies.version,
      parentId: technologies.parentId,
      dealCount: sql<number>`(SELECT count(*) FROM deal_technologies dt INNER JOIN deals d ON d.id = dt.deal_id
        WHERE dt.technology_id = ${qualified("technologies", "id")} AND d.deleted_at IS NULL
          AND d.id NOT IN ${hiddenDealIds(audience)})`,
    })
    .from(technologies)
    .orderBy(asc(technologies.name));
}

// ---------------------------------------------------------------------------------------------
// Writes: new records

/**
 * A slug no record has now or had before (old slugs keep redirecting), so a new record can never
 * capture another's address; `selfId` may take back one of its own old slugs.
 */
export async function uniqueSlug(tx: Tx, kind: MergeKind, name: string, selfId?: number): Promise<string> {
  const base = slugify(name);
  const table = kind === "company" ? companies : technologies;
  const history = kind === "company" ? companySlugs : technologySlugs;
  const historyOwner = kind === "company" ? companySlugs.companyId : technologySlugs.technologyId;
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [[current], [old]] = await readAll(tx, [
      tx.select({ id: table.id }).from(table).where(eq(table.slug, slug)),
      tx.select({ id: historyOwner }).from(history).where(eq(history.slug, slug)).limit(1),
    ]);
    if ((!current || current.id === selfId) && (!old || old.id === selfId)) return slug;
  }
}

/**
 * Returns the company a party name means, creating it when no name, alias or slug matches. Two
 * saves creating the same new company at once (PostgreSQL) meet at the unique name key: the second
 * waits for the first and takes its row.
 */
export async function resolveOrCreateCompany(tx: Tx, name: string, demo: boolean): Promise<number> {
  const existing = await findCompanyId(tx, name);
  if (existing) return existing;
  const clean = normalizeName(name);
  const [created] = await tx
    .insert(companies)
    .values({ name: clean, nameKey: companyKey(clean), slug: await uniqueSlug(tx, "company", clean), demo })
    .onConflictDoNothing()
    .returning({ id: companies.id });
  const id = created?.id ?? (await findCompanyId(tx, name));
  if (!id) throw new RefusedError(`"${name}" was being created by another save at the same time; try again`);
  return id;
}

export async function resolveOrCreateTechnology(tx: Tx, name: string): Promise<number> {
  const existing = await findTechnologyId(tx, name);
  if (existing) return existing;
  const clean = normalizeName(name);
  const [created] = await tx
    .insert(technologies)
    .values({ name: clean, nameKey: labelKey(clean), slug: await uniqueSlug(tx, "technology", clean) })
    .onConflictDoNothing()
    .returning({ id: technologies.id });
  const id = created?.id ?? (await findTechnologyId(tx, name));
  if (!id) throw new RefusedError(`"${name}" was being created by another save at the same time; try again`);
  return id;
}

export async function companyName(tx: Reader, id: number): Promise<string> {
  const [row] = await tx.select({ name: companies.name }).from(companies).where(eq(companies.id, id));
  return row?.name ?? `#${id}`;
}

/** The identifiers may be left out (callers from before they existed): left out means none. */
type NewCompany = Omit<CompanyInput, "lei" | "wikidataId" | "ticker"> &
  Partial<Pick<CompanyInput, "lei" | "wikidataId" | "ticker">>;

export async function createCompany(
  input: NewCompany,
  options: { demo?: boolean; actor?: Actor | string } = {},
  db: Db = getDb(),
) {
  return db.write(async (tx) => {
    const errors: FieldErrors = {};
    const taken = await findCompanyId(tx, input.name);
    if (taken) errors.name = [`"${input.name}" already exists as ${await companyName(tx, taken)}`];
    for (const [i, alias] of input.aliases.entries()) {
      const owner = await findCompanyId(tx, alias);
      if (owner) errors[`aliases.${i}`] = [`"${alias}" already names ${await companyName(tx, owner)}`];
    }
    const parentId = input.parent ? await findCompanyId(tx, input.parent) : null;
    if (input.parent && !parentId) errors.parent = [`No company called "${input.parent}"`];
    if (Object.keys(errors).length) throw new InputError(errors);

    const [company] = await tx
      .insert(companies)
      .values({
        name: input.name,
        nameKey: companyKey(input.name),
        slug: await uniqueSlug(tx, "company", input.name),
        country: input.country,
        sector: input.sector,
        lei: input.lei ?? null,
        wikidataId: input.wikidataId ?? null,
        ticker: input.ticker ?? null,
        website: input.website,
        parentId,
        demo: options.demo ?? false,
      })
      .returning();
    if (input.aliases.length) {
      await tx
        .insert(companyAliases)
        .values(
          input.aliases.map((alias) => ({ companyId: company!.id, alias, aliasKey: companyKey(alias) })),
        );
    }
    const created = {
      name: input.name,
      aliases: input.aliases,
      country: input.country,
      sector: input.sector,
      lei: input.lei ?? null,
      wikidataId: input.wikidataId ?? null,
      ticker: input.ticker ?? null,
      website: input.website,
      parent: input.parent,
    };
    await writeRecordRevision(tx, {
      entity: "company",
      entityId: company!.id,
      version: 1,
      action: "create",
      actor: options.actor ?? "api",
      before: null,
      after: created,
    });
    return company!;
  });
}

export async function createTechnology(name: string, db: Db = getDb()) {
  return db.write(async (tx) => {
    const existing = await findTechnologyId(tx, name);
    if (existing) throw new InputError({ name: [`"${name}" already exists`] });
    const id = await resolveOrCreateTechnology(tx, name);
    const [row] = await tx.select().from(technologies).where(eq(technologies.id, id));
    return row!;
  });
}
