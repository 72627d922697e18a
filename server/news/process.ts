import "server-only";
import { setImmediate as yieldToRequests } from "node:timers/promises";
import { and, asc, eq, isNull } from "drizzle-orm";
import { dealsWithParties, extractionGazetteer } from "@/db/deals/extract";
import { getDb } from "@/db/core/index";
import type { Viewer } from "@/db/accounts/visibility";
import { storeItemReading, type CandidateDraft } from "@/db/news/candidates";
import { newsItems } from "@/db/schema";
import { findDuplicateDeals } from "@/lib/extract/duplicates";
import type { ExistingDeal } from "@/lib/extract/duplicates";
import { extractInputFromHtml } from "@/lib/extract/html";
import type { ExtractResult } from "@/lib/extract/types";
import { classifyNews, type NewsReading } from "@/lib/news/classify";
import { gazetteerFor, indexCompanies } from "@/lib/news/gazetteer";
import { runInWorker } from "../extract-pool";

// From stored feed items to the triage queue (issue 22): each unprocessed item is drafted as
// "Add from article" drafts (the same extractor, in the same worker pool), read as a deal, a status
// change, a rumour or not a deal, matched to a recorded deal, and grouped with the items of the same
// announcement. The feed poller calls this after every poll; running it again finds nothing to do.

/** The recorded deal a reading is about: the same announcement for a deal, the deal changed for a status change. */
export function knownDealOf(
  reading: NewsReading,
  result: ExtractResult,
  slugs: string[],
  recorded: ExistingDeal[],
) {
  if (reading.kind === "deal") {
    const { draft } = result;
    const [best] = findDuplicateDeals(
      { title: draft.title, announcedOn: draft.announcedOn, types: draft.types, partySlugs: slugs },
      recorded,
    );
    return best ? Number(best.id) : null;
  }
  if (reading.kind !== "status_change") return null;
  // A change comes years after the announcement: the deal with the most of these parties, then the latest.
  const scored = recorded
    .map((d) => ({ d, shared: d.partySlugs.filter((s) => slugs.includes(s)).length }))
    .sort((a, b) => b.shared - a.shared || (b.d.announcedOn ?? "").localeCompare(a.d.announcedOn ?? ""));
  return scored[0] ? Number(scored[0].d.id) : null;
}

/**
 * News is matched against every deal, confidential ones included, so a team's member is told its
 * deal is already recorded; the queue hides a deal from whoever may not see it (db/news/candidates.ts).
 */
const EVERY_DEAL: Viewer = { admin: true, memberOf: [] };

const MARKUP = /<(?:p|div|br|article|html|body|h[1-6]|ul|li)\b[^>]*>/i;

export async function processPendingItems(
  options: { sourceId?: number; limit?: number } = {},
): Promise<{ processed: number; candidates: number }> {
  const db = getDb();
  const pending = await db
    .select({
      id: newsItems.id,
      title: newsItems.title,
      url: newsItems.url,
      content: newsItems.content,
      publishedAt: newsItems.publishedAt,
    })
    .from(newsItems)
    .where(
      and(
        isNull(newsItems.processedAt),
        options.sourceId ? eq(newsItems.sourceId, options.sourceId) : undefined,
      ),
    )
    .orderBy(asc(newsItems.publishedAt), asc(newsItems.id))
    .limit(options.limit ?? 1000);
  let processed = 0;
  let made = 0;
  // Read once per run: every stored reading moves the data version, so asking per item would rebuild
  // the lists (a query each over every company, alias and speaker) and send them to the worker again.
  const companies = indexCompanies(await extractionGazetteer());
  for (const item of pending) {
    const publishedOn = item.publishedAt?.toISOString().slice(0, 10) ?? null;
    // A feed's content is usually a small HTML fragment: read here, so the worker drafts from the
    // text with the item's own headline (a fragment has none of its own).
    const text = MARKUP.test(item.content) ? extractInputFromHtml(item.content, item.url).text : item.content;
    let extracted: Awaited<ReturnType<typeof runInWorker>>;
    try {
      extracted = await runInWorker(
        { article: { text, title: item.title, url: item.url, publishedOn } },
        gazetteerFor(companies, `${item.title}\n${text}`),
        "content",
      );
    } catch (error) {
      // One item that cannot be read (too slow, too big) must not stop the others: it stays
      // unprocessed and is tried again with the next run.
      console.error(
        `News item ${item.id} could not be read:`,
        error instanceof Error ? error.message : error,
      );
      continue;
    }
    const { article, result } = extracted;
    const reading = classifyNews({ title: item.title, text: article.text }, result);
    const slugs = result.companies.flatMap((c) => (c.match ? [c.match.slug] : []));
    const knownDealId = knownDealOf(reading, result, slugs, await dealsWithParties(slugs, EVERY_DEAL));
    const draft: CandidateDraft = {
      draft: result.draft,
      evidence: result.evidence,
      companies: result.companies,
      warnings: result.warnings,
      duplicates: [],
      article: { text: article.text, title: article.title ?? null, url: article.url ?? null },
      passage: reading.passage,
      change: reading.change,
    };
    const stored = await storeItemReading({
      itemId: item.id,
      reading,
      draft,
      parties: result.draft.parties.map((p) => p.company),
      knownDealId,
    });
    // Requests that came in meanwhile go first (with SQLite every step above ran on the event loop).
    await yieldToRequests();
    if (!stored) continue;
    processed++;
    if (stored.created) made++;
  }
  return { processed, candidates: made };
}
