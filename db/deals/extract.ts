import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Gazetteer } from "@/lib/extract";
import type { ExistingDeal } from "@/lib/extract/duplicates";
import { companyKey } from "@/lib/names";
import { InputError } from "../core/errors";
import { getDb } from "../core/index";
import { refreshCompanyDeals } from "./search";
import type { Actor } from "../audit/revisions";
import { snapshotOf, updateDeal } from "./deal-writes";
import { findCompanyId } from "../directory/lookups";
import { getDeal } from "./deals";
import { type Reader } from "../core/connection";
import { companies, companyAliases, dealParties, deals, dealTypes, quotes, technologies } from "../schema";
import { memoStats } from "../stats/stats-cache";
import { dealInput } from "../../lib/validation";
import { audienceOf, type Viewer } from "../accounts/visibility";
import { visibleTo } from "../stats/filters";

// What drafting a deal from an article needs from the database: its own lists as dictionaries, the
// deals that may already record the announcement, and the two writes the review page offers.

/** Companies with their aliases, the technology taxonomy and the speakers already quoted. */
export async function extractionGazetteer(db: Reader = getDb()): Promise<Gazetteer> {
  // Cached until the data changes, like the dashboard's aggregates: an analyst drafts many articles
  // in a row and the lists stay the same between saves. One query per list, whatever their size.
  return await memoStats("extract:gazetteer", async () => {
    const [aliasRows, companyRows, technologyRows, speakers] = await Promise.all([
      db.select({ id: companyAliases.companyId, alias: companyAliases.alias }).from(companyAliases),
      db.select({ id: companies.id, slug: companies.slug, name: companies.name }).from(companies),
      db
        .select({ slug: technologies.slug, name: technologies.name, synonyms: technologies.synonyms })
        .from(technologies),
      db
        .selectDistinct({ name: quotes.speaker, title: quotes.speakerTitle, company: quotes.speakerCompany })
        .from(quotes)
        .limit(20_000),
    ]);
    const aliases = new Map<number, string[]>();
    for (const row of aliasRows)
      (aliases.get(row.id) ?? aliases.set(row.id, []).get(row.id)!).push(row.alias);
    return {
      companies: companyRows.map((c) => ({ slug: c.slug, name: c.name, aliases: aliases.get(c.id) ?? [] })),
      technologies: technologyRows.map((t) => ({ slug: t.slug, name: t.name, synonyms: t.synonyms ?? [] })),
      speakers,
    };
  });
}

/**
 * Live deals in which at least two of these companies are parties: the candidates for "already
 * known?", among the deals `viewer` may see (another team's confidential deal is not known to them).
 */
export async function dealsWithParties(
  slugs: string[],
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<ExistingDeal[]> {
  if (new Set(slugs).size < 2) return [];
  const audience = await audienceOf(viewer, db);
  const ids = (
    await db
      .select({ id: dealParties.dealId })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .innerJoin(deals, eq(deals.id, dealParties.dealId))
      .where(and(inArray(companies.slug, slugs), isNull(deals.deletedAt), visibleTo(audience)))
      .groupBy(dealParties.dealId)
      .having(sql`count(DISTINCT ${dealParties.companyId}) >= 2`)
      .limit(500)
  ).map((r) => r.id);
  if (!ids.length) return [];
  const [parties, types, found] = await Promise.all([
    db
      .select({ dealId: dealParties.dealId, slug: companies.slug })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .where(inArray(dealParties.dealId, ids)),
    db.select().from(dealTypes).where(inArray(dealTypes.dealId, ids)),
    db
      .select({ id: deals.id, title: deals.title, announcedOn: deals.announcedOn })
      .from(deals)
      .where(inArray(deals.id, ids)),
  ]);
  return found.map((d) => ({
    ...d,
    types: types.filter((t) => t.dealId === d.id).map((t) => t.type),
    partySlugs: parties.filter((p) => p.dealId === d.id).map((p) => p.slug),
  }));
}

type ArticleSource = {
  url: string | null;
  title?: string | null;
  publisher?: string | null;
  publishedOn?: string | null;
};
type ArticleQuote = {
  text: string;
  speaker: string;
  speakerTitle?: string | null;
  speakerCompany?: string | null;
};

const sameText = (a: string, b: string) =>
  a.replace(/\W+/g, " ").trim().toLowerCase() === b.replace(/\W+/g, " ").trim().toLowerCase();

/**
 * "Add this article as a source to deal #N": the source and any quotes the deal does not have yet,
 * saved as a new version of that deal (with its revision), instead of a duplicate deal.
 */
export async function addArticleToDeal(
  id: number,
  article: { source: ArticleSource; quotes: ArticleQuote[] },
  expectedVersion: number,
  options: { actor: Actor | string; viewer?: Viewer },
) {
  // Read in the write's transaction (on the primary), then saved as a version of exactly that.
  return getDb().write(async (tx) => {
    // A deal the writer may not see reads as one that does not exist (without a viewer: public ones).
    const deal = await getDeal(id, { viewer: options.viewer }, tx);
    if (!deal) throw new InputError({ dealId: [`Deal ${id} does not exist or was deleted`] });
    const current = snapshotOf(deal);
    const sameSource = (s: ArticleSource) =>
      article.source.url
        ? s.url === article.source.url
        : !s.url && s.publisher === article.source.publisher && s.title === article.source.title;
    const sources = current.sources.some(sameSource) ? current.sources : [...current.sources, article.source];
    const newQuotes = article.quotes.filter((q) => !current.quotes.some((c) => sameText(c.text, q.text)));
    const parsed = dealInput.safeParse({ ...current, sources, quotes: [...current.quotes, ...newQuotes] });
    if (!parsed.success)
      throw new InputError({ dealId: ["This article's source or quotes do not fit that deal"] });
    return {
      deal: await updateDeal(id, parsed.data, expectedVersion, options),
      addedSource: sources !== current.sources,
      addedQuotes: newQuotes.length,
    };
  });
}

/**
 * Keeps extracted spellings as aliases of the companies the analyst linked them to ("Microsoft Corp."
 * → Microsoft). A spelling that already names a company is left alone: the key already resolves.
 */
export async function keepAliases(
  pairs: { alias: string; company: string }[],
  db = getDb(),
): Promise<string[]> {
  return db.write(async (tx) => {
    const kept: string[] = [];
    for (const { alias, company } of pairs) {
      const companyId = await findCompanyId(tx, company);
      if (!companyId || (await findCompanyId(tx, alias)) || !companyKey(alias)) continue;
      await tx.insert(companyAliases).values({ companyId, alias: alias.trim(), aliasKey: companyKey(alias) });
      await refreshCompanyDeals(tx, companyId);
      kept.push(alias);
    }
    return kept;
  });
}
