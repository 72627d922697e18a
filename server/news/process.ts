import "server-only";
import { setImmediate as yieldToRequests } from "node:timers/promises";
import { and, asc, eq, isNull } from "drizzle-orm";
import { dealsWithParties, extractionGazetteer } from "@/db/deals/extract";
import { getDb } from "@/db/core/index";
import type { Viewer } from "@/db/accounts/visibility";
import { storeItemReading, type CandidateDraft, type ItemReading } from "@/db/news/candidates";
import { newsItems } from "@/db/schema";
import { findDuplicateDeals } from "@/lib/extract/duplicates";
import type { ExistingDeal } from "@/lib/extract/duplicates";
import type { ExtractResult } from "@/lib/extract/types";
import type { NewsReading } from "@/lib/news/classify";
import { readNewsInWorker } from "../extract-pool";
import { stepAside, whenRequestsQuiet, type Pace } from "../request-load";

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

/** Readings stored per transaction: few enough that other writes wait only a few ms behind one. */
const STORE_BATCH = 16;

/**
 * Each item is read, and each batch stored, only once no request has been open for a moment: the
 * reading worker on the other core still slows the server's answers by ×1.8 (two vCPUs share one
 * core's resources), and an item takes a few ms, so one started while nobody waits is mostly over
 * by the next request. A server never quiet still gets an item through every `maxWaitMs`.
 */
export const NEWS_PACE: Pace = { quietMs: 15, maxWaitMs: 40 };

export async function processPendingItems(
  options: { sourceId?: number; limit?: number; pace?: Pace } = {},
): Promise<{ processed: number; candidates: number }> {
  const pace = options.pace ?? NEWS_PACE;
  const db = getDb();
  // Run inside POST /api/sources or …/fetch, this work must not wait for its own request.
  stepAside();
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
  // the lists (a query each over every company, alias and speaker) and send them to the worker again
  // (the worker is sent them once per run, and indexes them once).
  const gazetteer = await extractionGazetteer();
  // Reading, drafting and classifying run in the background worker; the event loop only matches and
  // stores. The next item is read while this one is stored, and the readings are stored a batch per
  // transaction: on SQLite each commit waits for the disk on the thread that answers requests.
  const read = async (item: (typeof pending)[number]) => {
    await whenRequestsQuiet(pace);
    return readNewsInWorker(
      {
        title: item.title,
        content: item.content,
        url: item.url,
        publishedOn: item.publishedAt?.toISOString().slice(0, 10) ?? null,
      },
      gazetteer,
    ).catch((error: unknown) => {
      // One item that cannot be read (too slow, too big) must not stop the others: it stays
      // unprocessed and is tried again with the next run.
      console.error(
        `News item ${item.id} could not be read:`,
        error instanceof Error ? error.message : error,
      );
      return null;
    });
  };
  let batch: ItemReading[] = [];
  const store = async () => {
    const readings = batch;
    batch = [];
    if (!readings.length) return;
    await whenRequestsQuiet(pace);
    // Each reading in its own savepoint of one transaction, in order: later items group with earlier.
    // Requests that came in meanwhile go first after each (better-sqlite3 answers synchronously, so
    // without a yield the whole batch would run as one block on the event loop); their reads do not
    // wait for this transaction.
    const stored = await db.write(async () => {
      const out = [];
      for (const r of readings) {
        out.push(await storeItemReading(r));
        await yieldToRequests();
      }
      return out;
    });
    for (const outcome of stored) {
      if (!outcome) continue; // read twice at once: the other run stored it
      processed++;
      if (outcome.created) made++;
    }
    await yieldToRequests(); // and after the commit
  };
  let next = pending[0] ? read(pending[0]) : null;
  for (const [i, item] of pending.entries()) {
    const extracted = await next!;
    next = pending[i + 1] ? read(pending[i + 1]!) : null;
    if (!extracted) continue;
    const { article, result, reading } = extracted;
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
    batch.push({
      itemId: item.id,
      reading,
      draft,
      parties: result.draft.parties.map((p) => p.company),
      knownDealId,
    });
    if (batch.length >= STORE_BATCH) await store();
  }
  await store();
  return { processed, candidates: made };
}
