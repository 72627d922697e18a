import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, like, or, sql } from "drizzle-orm";
import { countryByCode } from "@/lib/geo/countries";
import { sectorByCode } from "@/lib/geo/sectors";
import { companyKey, labelKey, normalizeName, slugify } from "@/lib/names";
import type { Db, Reader, Tx } from "../core/connection";
import { InputError, RefusedError } from "../core/errors";
import { findCompanies, findCompanyId, findTechnologies, findTechnologyId } from "./lookups";
import { getDb } from "../core/index";
import { readAll } from "../core/read-all";
import { inTexts } from "../core/dialect";
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
 * The company each party name means, creating one when no name, alias or slug matches: once for
 * every name with its key, as a name at a time would, in a few statements for all the names (an
 * import's file). Two saves creating the same new company at once (PostgreSQL) meet at the unique
 * name key: the second waits for the first and takes its row.
 */
export async function resolveOrCreateCompanies(
  tx: Tx,
  names: string[],
  demo: boolean,
): Promise<Map<string, number>> {
  const found = new Map([...(await findCompanies(tx, names))].map(([name, c]) => [name, c.id]));
  await createMissing(tx, "company", names, found, companyKey, (rows) =>
    tx
      .insert(companies)
      .values(rows.map((r) => ({ ...r, demo })))
      .onConflictDoNothing()
      .returning({ id: companies.id, nameKey: companies.nameKey }),
  );
  return found;
}

/** The technology area each name means, creating the new ones, as resolveOrCreateCompanies. */
export async function resolveOrCreateTechnologies(tx: Tx, names: string[]): Promise<Map<string, number>> {
  const found = await findTechnologies(tx, names);
  await createMissing(tx, "technology", names, found, labelKey, (rows) =>
    tx
      .insert(technologies)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: technologies.id, nameKey: technologies.nameKey }),
  );
  return found;
}

type NewRecord = { name: string; nameKey: string; slug: string };

/**
 * Creates a record for each name of `names` that `found` lacks, one per key (a later name with an
 * earlier one's key means that record, as the look-up by key finds it), and adds them to `found`.
 */
async function createMissing(
  tx: Tx,
  kind: MergeKind,
  names: string[],
  found: Map<string, number>,
  keyOf: (name: string) => string,
  insert: (rows: NewRecord[]) => Promise<{ id: number; nameKey: string }[]>,
): Promise<void> {
  const byKey = new Map<string, string[]>();
  for (const name of new Set(names)) {
    if (found.has(name)) continue;
    const key = keyOf(name);
    const list = byKey.get(key);
    if (list) list.push(name);
    else byKey.set(key, [name]);
  }
  if (!byKey.size) return;
  const groups = [...byKey.values()];
  const clean = groups.map((list) => normalizeName(list[0]!));
  const slugs = await uniqueSlugs(tx, kind, clean);
  const rows = clean.map((name, i) => ({ name, nameKey: keyOf(name), slug: slugs[i]! }));
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    for (const c of await insert(rows.slice(i, i + 500))) ids.set(c.nameKey, c.id);
  }
  const lost = groups.filter((_, i) => !ids.has(rows[i]!.nameKey)).flat();
  // Taken by another save meanwhile (PostgreSQL): its row, once that save has committed.
  const meanwhile = lost.length
    ? kind === "company"
      ? new Map([...(await findCompanies(tx, lost))].map(([name, c]) => [name, c.id]))
      : await findTechnologies(tx, lost)
    : new Map<string, number>();
  groups.forEach((list, i) => {
    for (const name of list) {
      const id = ids.get(rows[i]!.nameKey) ?? meanwhile.get(name);
      if (!id)
        throw new RefusedError(`"${name}" was being created by another save at the same time; try again`);
      found.set(name, id);
    }
  });
}

/**
 * uniqueSlug for many new records at once, each slug also unlike the others: per round, the next
 * few candidates of every base are checked in one statement per 1,000 (more per round while the
 * first ones are taken), so a run of taken slugs costs a few rounds, not one per slug.
 */
async function uniqueSlugs(tx: Tx, kind: MergeKind, names: string[]): Promise<string[]> {
  const table = kind === "company" ? companies : technologies;
  const history = kind === "company" ? companySlugs : technologySlugs;
  const slugs: string[] = new Array<string>(names.length);
  const waiting = new Map<string, number[]>();
  names.forEach((name, i) => {
    const base = slugify(name);
    const list = waiting.get(base);
    if (list) list.push(i);
    else waiting.set(base, [i]);
  });
  const tried = new Map<string, number>();
  const used = new Set<string>();
  for (let width = 1; waiting.size; width = Math.min(width * 4, 256)) {
    const candidates = new Map<string, string[]>();
    for (const [base, indexes] of waiting) {
      const from = (tried.get(base) ?? 0) + 1;
      const count = indexes.length * width;
      candidates.set(
        base,
        Array.from({ length: count }, (_, k) => (from + k === 1 ? base : `${base}-${from + k}`)),
      );
      tried.set(base, from + count - 1);
    }
    const all = [...candidates.values()].flat();
    const taken = new Set<string>();
    for (let i = 0; i < all.length; i += 1000) {
      const chunk = all.slice(i, i + 1000);
      const { rows } = await tx.execute<{ slug: string }>(
        sql`SELECT slug FROM ${table} WHERE ${inTexts(sql`slug`, chunk)}
          UNION SELECT slug FROM ${history} WHERE ${inTexts(sql`slug`, chunk)}`,
      );
      for (const r of rows) taken.add(r.slug);
    }
    for (const [base, list] of candidates) {
      const indexes = waiting.get(base)!;
      for (const slug of list) {
        if (!indexes.length) break;
        if (taken.has(slug) || used.has(slug)) continue;
        used.add(slug);
        slugs[indexes.shift()!] = slug;
      }
      if (!indexes.length) waiting.delete(base);
    }
  }
  return slugs;
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
    const id = (await resolveOrCreateTechnologies(tx, [name])).get(name)!;
    const [row] = await tx.select().from(technologies).where(eq(technologies.id, id));
    return row!;
  });
}
