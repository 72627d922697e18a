import "server-only";
import { eq, inArray, or, sql } from "drizzle-orm";
import { companyKey, labelKey, slugify } from "@/lib/names";
import type { Reader } from "../core/connection";
import { inTexts } from "../core/dialect";
import { companies, companyAliases, companySlugs, technologies, technologySlugs } from "../schema";

// Name → id look-ups of companies and technology areas, by any name, alias or address they have or
// had: what a filter, a deal's save, an import and a merge all ask first.

/** Finds a company by canonical name, alias or slug, ignoring case, punctuation and legal suffixes. */
export async function findCompanyId(db: Reader, nameOrSlug: string): Promise<number | undefined> {
  const key = companyKey(nameOrSlug);
  if (!key) return undefined;
  const [byName] = await db.select({ id: companies.id }).from(companies).where(eq(companies.nameKey, key));
  if (byName) return byName.id;
  const [byAlias] = await db
    .select({ id: companyAliases.companyId })
    .from(companyAliases)
    .where(eq(companyAliases.aliasKey, key))
    .limit(1);
  if (byAlias) return byAlias.id;
  const slug = nameOrSlug.trim().toLowerCase();
  const [bySlug] = await db.select({ id: companies.id }).from(companies).where(eq(companies.slug, slug));
  if (bySlug) return bySlug.id;
  const [byOldSlug] = await db
    .select({ id: companySlugs.companyId })
    .from(companySlugs)
    .where(eq(companySlugs.slug, slug))
    .limit(1);
  return byOldSlug?.id;
}

export async function findTechnologyId(db: Reader, nameOrSlug: string): Promise<number | undefined> {
  const slug = nameOrSlug.trim().toLowerCase();
  const [current] = await db
    .select({ id: technologies.id })
    .from(technologies)
    .where(or(eq(technologies.nameKey, labelKey(nameOrSlug)), eq(technologies.slug, slug)))
    .limit(1);
  if (current) return current.id;
  // Old slugs, and old names by their slug: a renamed or merged area's former name still finds it.
  const [old] = await db
    .select({ id: technologySlugs.technologyId })
    .from(technologySlugs)
    .where(inArray(technologySlugs.slug, [...new Set([slug, slugify(nameOrSlug)])]))
    .limit(1);
  return old?.id;
}

/**
 * The current name of each company (`kind` "company") or area a filter names by any name, alias or
 * slug, for saying the filter in words; one that names nothing stays as given.
 */
export async function currentNames(
  db: Reader,
  kind: "company" | "technology",
  given: string[],
): Promise<string[]> {
  const table = kind === "company" ? companies : technologies;
  const find = kind === "company" ? findCompanyId : findTechnologyId;
  return Promise.all(
    given.map(async (nameOrSlug) => {
      const id = await find(db, nameOrSlug);
      if (id === undefined) return nameOrSlug;
      const [row] = await db.select({ name: table.name }).from(table).where(eq(table.id, id));
      return row?.name ?? nameOrSlug;
    }),
  );
}

/** Names looked up per statement by the batched look-ups below. */
const LOOKUP_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type CompanyMatch = { id: number; name: string; nameKey: string };

/**
 * findCompanyId for many names at once (an import's parties), one statement per 1,000 names: the
 * same four matches in the same order of preference, each name → the company it means.
 */
export async function findCompanies(db: Reader, names: string[]): Promise<Map<string, CompanyMatch>> {
  const found = new Map<string, CompanyMatch>();
  for (const chunk of chunks([...new Set(names)], LOOKUP_CHUNK)) {
    const keys = [...new Set(chunk.map(companyKey).filter(Boolean))];
    const slugs = [...new Set(chunk.map((n) => n.trim().toLowerCase()))];
    const { rows } = await db.execute<{ rank: number; k: string } & CompanyMatch>(sql`
      SELECT m.rank, m.k, c.id, c.name, c.name_key AS "nameKey" FROM (
        SELECT 1 AS rank, name_key AS k, id AS company_id FROM companies WHERE ${inTexts(sql`name_key`, keys)}
        UNION ALL
        SELECT 2, alias_key, company_id FROM company_aliases WHERE ${inTexts(sql`alias_key`, keys)}
        UNION ALL
        SELECT 3, slug, id FROM companies WHERE ${inTexts(sql`slug`, slugs)}
        UNION ALL
        SELECT 4, slug, company_id FROM company_slugs WHERE ${inTexts(sql`slug`, slugs)}
      ) m JOIN companies c ON c.id = m.company_id
      ORDER BY m.rank, c.id`);
    // The first row per (rank, text) wins, as findCompanyId's `limit 1`.
    const best = new Map<string, CompanyMatch>();
    for (const r of rows) {
      const at = `${Number(r.rank)}:${r.k}`;
      if (!best.has(at)) best.set(at, { id: Number(r.id), name: r.name, nameKey: r.nameKey });
    }
    for (const name of chunk) {
      const key = companyKey(name);
      if (!key) continue;
      const slug = name.trim().toLowerCase();
      const match =
        best.get(`1:${key}`) ?? best.get(`2:${key}`) ?? best.get(`3:${slug}`) ?? best.get(`4:${slug}`);
      if (match) found.set(name, match);
    }
  }
  return found;
}

/** findTechnologyId for many names at once, one statement per 1,000 names. */
export async function findTechnologies(db: Reader, names: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const chunk of chunks([...new Set(names)], LOOKUP_CHUNK)) {
    const keys = [...new Set(chunk.map(labelKey))];
    const slugs = [...new Set(chunk.map((n) => n.trim().toLowerCase()))];
    const oldSlugs = [...new Set(chunk.flatMap((n) => [n.trim().toLowerCase(), slugify(n)]))];
    const { rows } = await db.execute<{ rank: number; k: string; id: number }>(sql`
      SELECT 1 AS rank, name_key AS k, id FROM technologies WHERE ${inTexts(sql`name_key`, keys)}
      UNION ALL
      SELECT 2, slug, id FROM technologies WHERE ${inTexts(sql`slug`, slugs)}
      UNION ALL
      SELECT 3, slug, technology_id FROM technology_slugs WHERE ${inTexts(sql`slug`, oldSlugs)}
      ORDER BY 1, 3`);
    const best = new Map<string, number>();
    for (const r of rows) {
      const at = `${Number(r.rank)}:${r.k}`;
      if (!best.has(at)) best.set(at, Number(r.id));
    }
    for (const name of chunk) {
      const slug = name.trim().toLowerCase();
      const id =
        best.get(`1:${labelKey(name)}`) ??
        best.get(`2:${slug}`) ??
        best.get(`3:${slug}`) ??
        best.get(`3:${slugify(name)}`);
      if (id !== undefined) found.set(name, id);
    }
  }
  return found;
}
