import "server-only";
import { startWorkerLoop } from "../worker-loop";
import { createHash } from "node:crypto";
import { setImmediate as yieldToRequests } from "node:timers/promises";
import {
  claimDueSource,
  knownItemKeys,
  recordFetch,
  storeItems,
  type NewsSource,
  type StoredItem,
} from "@/db/news/sources";
import { getDb, type Db } from "@/db/core/index";
import type { FeedFormat } from "@/lib/enums";
import { readHtmlArticle } from "@/lib/extract/html";
import {
  FeedError,
  canonicalLink,
  discoverFeedLinks,
  isSummaryOnly,
  isWebPage,
  normaliseText,
} from "@/lib/news/feed";
import type { ReadEntry, ReadFeed } from "@/lib/news/read-feed";
import { ExtractLimitError, parseFeedInWorker, readEntryTextsInWorker } from "../extract-pool";
import { stepAside, whenRequestsQuiet } from "../request-load";
import { ArticleFetchError, fetchArticle, fetchGuarded, type GuardedResponse } from "../fetch-article";
import { NEWS_PACE, processPendingItems } from "./process";

// Polling one news source: a conditional GET through the article guard (public addresses only,
// size and time limits), the feed read, its new items stored once and handed to processPendingItems
// (server/news/process.ts, the candidates side). Failures are recorded in words with a back-off.

/** Feeds larger than this are refused (NEWS_FEED_MAX_BYTES). */
export const feedMaxBytes = () => Number(process.env.NEWS_FEED_MAX_BYTES ?? 5 * 1024 * 1024);
const FEED_TIMEOUT_MS = 10_000;
/** Entries whose HTML the worker reads per job: each job has the extraction's time limit. */
const ENTRY_BATCH = 50;
/** Items stored per write; each is stored once however the writes are cut (guid, link, text). */
const STORE_BATCH = 25;
/** How long a claimed source stays claimed before another server may try it. */
const LEASE_MS = 5 * 60_000;

const FEED_TYPES = [
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
  "application/xml",
  "text/xml",
  "text/html",
  "application/xhtml+xml",
  "text/plain",
];

/** A guarded GET of a feed (or of the page that names it); refusals in words about a feed. */
async function getFeed(url: string, headers: Record<string, string> = {}): Promise<GuardedResponse> {
  try {
    return await fetchGuarded(url, {
      accept: FEED_TYPES,
      maxBytes: feedMaxBytes(),
      timeoutMs: FEED_TIMEOUT_MS,
      headers,
    });
  } catch (e) {
    if (!(e instanceof ArticleFetchError)) throw e;
    // The guard speaks of pages; here it is a feed ("The feed answered with HTTP 404.").
    const words = e.message.replace(/^The page\b/, "The feed").replace(/not HTML or text\.$/, "not a feed.");
    throw new ArticleFetchError(e.code, words);
  }
}

/**
 * A fetched feed read in the background worker, as everything else of the news: parsing a 250-item
 * feed took 120–150 ms on the event loop, and reading its entries' HTML 2–5 ms each. The entries are
 * read a batch at a time when no request is open (server/request-load.ts).
 */
async function readFeed(text: string, contentType: string): Promise<ReadFeed> {
  try {
    const feed = await parseFeedInWorker(text, contentType);
    const entries: ReadEntry[] = [];
    for (let i = 0; i < feed.entries.length; i += ENTRY_BATCH) {
      await whenRequestsQuiet(NEWS_PACE);
      const batch = feed.entries.slice(i, i + ENTRY_BATCH);
      const texts = await readEntryTextsInWorker(batch);
      batch.forEach((entry, k) => entries.push({ ...entry, text: texts[k] ?? "" }));
    }
    return { ...feed, entries };
  } catch (e) {
    // Stopped at the worker's time or memory limit: the source's error, in words, not a 500.
    if (e instanceof ExtractLimitError)
      throw new FeedError("Reading this feed needed more time or memory than allowed, so it was stopped.");
    throw e;
  }
}

export interface FoundFeed {
  feedUrl: string;
  /** The web page given, when the feed was found through it. */
  pageUrl: string | null;
  format: FeedFormat;
  feed: ReadFeed;
  response: GuardedResponse;
}

/**
 * What an address an editor gives leads to: a feed itself, or a page whose first announced feed is
 * taken. Throws a FeedError (a page with no feed, a feed that cannot be read) or ArticleFetchError.
 */
export async function findFeed(url: string): Promise<FoundFeed> {
  // Adding a source reads its feed for the editor who waits for it: no one else waits on this request.
  stepAside();
  const first = await getFeed(url);
  const body = first.body ?? "";
  if (!isWebPage(body, first.contentType)) {
    const feed = await readFeed(body, first.contentType);
    return { feedUrl: first.url, pageUrl: null, format: feed.format, feed, response: first };
  }
  const [link] = discoverFeedLinks(body, first.url);
  if (!link)
    throw new FeedError("This address returns a web page, not a feed, and the page names no feed.", {
      feeds: [],
    });
  const response = await getFeed(link.url);
  const feed = await readFeed(response.body ?? "", response.contentType);
  return { feedUrl: response.url, pageUrl: first.url, format: feed.format, feed, response };
}

/** The error of a failed fetch in words, as the sources page shows it. */
export function fetchErrorWords(e: unknown): string | null {
  if (e instanceof FeedError || e instanceof ArticleFetchError) return e.message;
  return null;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** An entry's text: the feed's full content, or the linked page's when the feed gives a summary. */
async function readEntry(entry: ReadEntry): Promise<StoredItem> {
  const feedText = entry.text;
  let content = feedText || entry.title;
  if (entry.url && isSummaryOnly(feedText)) {
    try {
      const page = await fetchArticle(entry.url);
      const pageText = readHtmlArticle(page.body, page.url).text.trim();
      if (pageText.length > feedText.length) content = pageText;
    } catch {
      // The summary is what there is: the page is gone, private or slow.
    }
  }
  return {
    guid: entry.guid.slice(0, 2000),
    canonicalUrl: canonicalLink(entry.url),
    // The feed's own text identifies the item: a page fetched later may have changed.
    contentHash: sha256(normaliseText(feedText || entry.title)),
    title: entry.title.slice(0, 1000) || "(untitled)",
    url: entry.url,
    publishedAt: entry.publishedAt,
    content,
  };
}

/** Stores a read feed's new items and hands them on; the numbers a fetch answers. */
async function storeFeed(
  source: NewsSource,
  feed: ReadFeed,
  db: Db,
): Promise<{ items: number; new: number; candidates: number }> {
  const known = await knownItemKeys(
    source.id,
    {
      guids: feed.entries.map((e) => e.guid),
      urls: feed.entries.map((e) => canonicalLink(e.url)).filter((u): u is string => !!u),
    },
    db,
  );
  const fresh = feed.entries.filter(
    (e) => !known.guids.has(e.guid) && !known.urls.has(canonicalLink(e.url) ?? ""),
  );
  const items: StoredItem[] = [];
  for (const entry of fresh) {
    // The entry's HTML was read in the worker with the feed; a summary's page is fetched here.
    items.push(await readEntry(entry));
    await yieldToRequests();
  }
  // A few items per write: one write of a large feed's hundreds of rows held the event loop 50–150 ms.
  let added = 0;
  for (let i = 0; i < items.length; i += STORE_BATCH) {
    added += await storeItems(source.id, items.slice(i, i + STORE_BATCH), db);
    await yieldToRequests();
  }
  return { items: feed.entries.length, new: added, candidates: 0 };
}

/** Processes the source's new items; its count of candidates made moves with each one stored. */
async function handOn(source: NewsSource): Promise<number> {
  return (await processPendingItems({ sourceId: source.id })).candidates;
}

/** The first fetch of a new source, whose feed was already read by findFeed. */
export async function storeFoundFeed(
  source: NewsSource,
  found: FoundFeed,
  now = new Date(),
  db: Db = getDb(),
) {
  const result = await storeFeed(source, found.feed, db);
  await recordFetch(
    source,
    {
      ok: true,
      notModified: false,
      etag: found.response.etag,
      lastModified: found.response.lastModified,
      format: found.format,
      newItems: result.new,
    },
    now,
    db,
  );
  return { ...result, candidates: await handOn(source) };
}

export type PollResult =
  { ok: true; items: number; new: number; candidates: number } | { ok: false; error: string };

/**
 * Fetches one source now, conditionally (ETag, Last-Modified: a 304 is nothing new), and records the
 * outcome. A refused or failed fetch records its error and the back-off; nothing else changes.
 */
export async function pollSource(
  source: NewsSource,
  now = new Date(),
  db: Db = getDb(),
): Promise<PollResult> {
  stepAside(); // "Fetch now" is background work done while its editor waits
  const headers: Record<string, string> = {};
  if (source.etag) headers["if-none-match"] = source.etag;
  if (source.lastModified) headers["if-modified-since"] = source.lastModified;
  let response: GuardedResponse;
  let feed: ReadFeed;
  try {
    response = await getFeed(source.url, headers);
    if (response.notModified) {
      await recordFetch(source, { ok: true, notModified: true }, now, db);
      return { ok: true, items: 0, new: 0, candidates: await handOn(source) };
    }
    const body = response.body ?? "";
    if (isWebPage(body, response.contentType)) {
      const [link] = discoverFeedLinks(body, response.url);
      throw new FeedError(
        link
          ? `This address returns a web page, not a feed — its feed is ${link.url}.`
          : "This address returns a web page, not a feed.",
      );
    }
    feed = await readFeed(body, response.contentType);
  } catch (e) {
    const error = fetchErrorWords(e);
    if (error === null) throw e;
    await recordFetch(source, { ok: false, error }, now, db);
    return { ok: false, error };
  }
  const result = await storeFeed(source, feed, db);
  await recordFetch(
    source,
    {
      ok: true,
      notModified: false,
      etag: response.etag,
      lastModified: response.lastModified,
      format: feed.format,
      newItems: result.new,
    },
    now,
    db,
  );
  return { ok: true, ...result, candidates: await handOn(source) };
}

/** One pass of the worker: polls every due source, one at a time; answers how many it polled. */
export async function pollDueSources(
  now: () => Date = () => new Date(),
  db: Db = getDb(),
  max = 20,
): Promise<number> {
  let polled = 0;
  while (polled < max) {
    const source = await claimDueSource(now(), LEASE_MS, db);
    if (!source) break;
    polled++;
    try {
      await pollSource(source, now(), db);
    } catch (error) {
      // The unexpected (a database error): the lease makes the source due again later.
      console.error(`News source ${source.id} poll failed:`, error);
    }
  }
  return polled;
}

/** Starts the polling loop once per process (NEWS_POLL_INTERVAL_MS; NEWS_POLL=off starts none). */
export function startNewsWorker(intervalMs = Number(process.env.NEWS_POLL_INTERVAL_MS ?? 30_000)): void {
  if (process.env.NEWS_POLL !== "off") startWorkerLoop("News worker", intervalMs, () => pollDueSources());
}
