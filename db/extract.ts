import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Gazetteer } from "@/lib/extract";
import type { ExistingDeal } from "@/lib/extract/duplicates";
import { companyKey } from "@/lib/names";
import { InputError } from "./errors";
import { getDb } from "./index";
import { refreshCompanyDeals } from "./search";
import { snapshotOf, updateDeal, type Actor } from "./deal-writes";
import { findCompanyId } from "./filters";
import { getDeal } from "./deals";
import { type Reader } from "./connection";
import { companies, companyAliases, dealParties, deals, dealTypes, quotes, technologies } from "./schema";
import { memoStats } from "./stats-cache";
import { dealInput } from "./validation";

// What drafting a deal from an article needs from the database: its own lists as dictionaries, the
// deals that may already record the announcement, and the two writes the review page offers.

/** Companies with their aliases, the technology taxonomy and the speakers already quoted. */
export function extractionGazetteer(db: Reader = getDb()): Gazetteer {
  // Cached until the data changes, like the dashboard's aggregates: an analyst drafts many articles
  // in a row and the lists stay the same between saves.
  return memoStats("extract:gazetteer", () => {
    const aliases = new Map<number, string[]>();
    for (const row of db
      .select({ id: companyAliases.companyId, alias: companyAliases.alias })
      .from(companyAliases)
      .all())
      (aliases.get(row.id) ?? aliases.set(row.id, []).get(row.id)!).push(row.alias);
    return {
      companies: db
        .select({ id: companies.id, slug: companies.slug, name: companies.name })
        .from(companies)
        .all()
        .map((c) => ({ slug: c.slug, name: c.name, aliases: aliases.get(c.id) ?? [] })),
      technologies: db.select({ slug: technologies.slug, name: technologies.name }).from(technologies).all(),
      speakers: db
        .selectDistinct({ name: quotes.speaker, title: quotes.speakerTitle, company: quotes.speakerCompany })
        .from(quotes)
        .limit(20_000)
        .all(),
    };
  });
}

/** Live deals in which at least two of these companies are parties: the candidates for "already known?". */
export function dealsWithParties(slugs: string[], db: Reader = getDb()): ExistingDeal[] {
  if (new Set(slugs).size < 2) return [];
  const ids = db
    .select({ id: dealParties.dealId })
    .from(dealParties)
    .innerJoin(companies, eq(companies.id, dealParties.companyId))
    .innerJoin(deals, eq(deals.id, dealParties.dealId))
    .where(and(inArray(companies.slug, slugs), isNull(deals.deletedAt)))
    .groupBy(dealParties.dealId)
    .having(sql`count(DISTINCT ${dealParties.companyId}) >= 2`)
    .limit(500)
    .all()
    .map((r) => r.id);
  if (!ids.length) return [];
  const parties = db
    .select({ dealId: dealParties.dealId, slug: companies.slug })
    .from(dealParties)
    .innerJoin(companies, eq(companies.id, dealParties.companyId))
    .where(inArray(dealParties.dealId, ids))
    .all();
  const types = db.select().from(dealTypes).where(inArray(dealTypes.dealId, ids)).all();
  return db
    .select({ id: deals.id, title: deals.title, announcedOn: deals.announcedOn })
    .from(deals)
    .where(inArray(deals.id, ids))
    .all()
    .map((d) => ({
      ...d,
      types: types.filter((t) => t.dealId === d.id).map((t) => t.type),
      partySlugs: parties.filter((p) => p.dealId === d.id).map((p) => p.slug),
    }));
}

type ArticleSource = {
  url: string;
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
export function addArticleToDeal(
  id: number,
  article: { source: ArticleSource; quotes: ArticleQuote[] },
  expectedVersion: number,
  options: { actor: Actor | string },
) {
  const deal = getDeal(id);
  if (!deal) throw new InputError({ dealId: [`Deal ${id} does not exist or was deleted`] });
  const current = snapshotOf(deal);
  const sources = current.sources.some((s) => s.url === article.source.url)
    ? current.sources
    : [...current.sources, article.source];
  const newQuotes = article.quotes.filter((q) => !current.quotes.some((c) => sameText(c.text, q.text)));
  const parsed = dealInput.safeParse({ ...current, sources, quotes: [...current.quotes, ...newQuotes] });
  if (!parsed.success)
    throw new InputError({ dealId: ["This article's source or quotes do not fit that deal"] });
  return {
    deal: updateDeal(id, parsed.data, expectedVersion, options),
    addedSource: sources !== current.sources,
    addedQuotes: newQuotes.length,
  };
}

/**
 * Keeps extracted spellings as aliases of the companies the analyst linked them to ("Microsoft Corp."
 * → Microsoft). A spelling that already names a company is left alone: the key already resolves.
 */
export function keepAliases(pairs: { alias: string; company: string }[], db = getDb()): string[] {
  return db.transaction(
    (tx) =>
      pairs.flatMap(({ alias, company }) => {
        const companyId = findCompanyId(tx, company);
        if (!companyId || findCompanyId(tx, alias) || !companyKey(alias)) return [];
        tx.insert(companyAliases)
          .values({ companyId, alias: alias.trim(), aliasKey: companyKey(alias) })
          .run();
        refreshCompanyDeals(tx, companyId);
        return [alias];
      }),
    { behavior: "immediate" },
  );
}
