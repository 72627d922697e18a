import "server-only";
import { eq, inArray, or } from "drizzle-orm";
import { companyKey, labelKey, slugify } from "@/lib/names";
import type { Reader } from "../core/connection";
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
