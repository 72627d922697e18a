import "server-only";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { FeedFormat } from "@/lib/enums";
import type { NewsSourceView, SourceStatus } from "@/lib/news/source-input";
import { affectedRows } from "../core/connection";
import { getDb, type Db, type Reader } from "../core/index";
import { NotFoundError, RefusedError } from "../core/errors";
import { candidates, newsItems, newsSources } from "../schema";

// News sources (issue 22): the feeds Atlas polls and the items it stored from them, once each. The
// poll itself (fetching, parsing) is server/news/poll.ts; here is only what it reads and writes.

export type NewsSource = typeof newsSources.$inferSelect;

/** The wait after `failures` failed fetches in a row: the interval × 2^failures, at most a day. */
export function retryDelayMs(intervalMinutes: number, failures: number): number {
  return Math.min(intervalMinutes * 60_000 * 2 ** failures, 24 * 60 * 60_000);
}

const statusOf = (s: NewsSource): SourceStatus =>
  !s.active ? "paused" : s.lastError ? "error" : s.lastSuccessAt ? "ok" : "pending";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function view(s: NewsSource, decided: { accepted: number; dismissed: number }): NewsSourceView {
  return {
    id: s.id,
    name: s.name,
    url: s.url,
    pageUrl: s.pageUrl,
    format: s.format,
    status: statusOf(s),
    active: s.active,
    intervalMinutes: s.intervalMinutes,
    lastFetchedAt: iso(s.lastFetchedAt),
    lastSuccessAt: iso(s.lastSuccessAt),
    nextFetchAt: iso(s.nextFetchAt),
    failures: s.failures,
    lastError: s.lastError,
    itemsSeen: s.itemsSeen,
    candidatesMade: s.candidatesMade,
    accepted: decided.accepted,
    dismissed: decided.dismissed,
  };
}

/** Per source, how many of its candidates were accepted and dismissed (a noisy source shows). */
async function decidedCounts(db: Reader, ids: number[]) {
  const out = new Map<number, { accepted: number; dismissed: number }>();
  if (!ids.length) return out;
  const rows = await db
    .selectDistinct({ sourceId: newsItems.sourceId, candidateId: candidates.id, status: candidates.status })
    .from(newsItems)
    .innerJoin(candidates, eq(candidates.id, newsItems.candidateId))
    .where(and(inArray(newsItems.sourceId, ids), inArray(candidates.status, ["accepted", "dismissed"])));
  for (const r of rows) {
    const c = out.get(r.sourceId) ?? { accepted: 0, dismissed: 0 };
    if (r.status === "accepted") c.accepted++;
    else c.dismissed++;
    out.set(r.sourceId, c);
  }
  return out;
}

export async function listSources(db: Reader = getDb()): Promise<NewsSourceView[]> {
  const rows = await db.select().from(newsSources).orderBy(asc(newsSources.name), asc(newsSources.id));
  const decided = await decidedCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, decided.get(r.id) ?? { accepted: 0, dismissed: 0 }));
}

export async function getSource(id: number, db: Reader = getDb()): Promise<NewsSource> {
  const [row] = await db.select().from(newsSources).where(eq(newsSources.id, id));
  if (!row) throw new NotFoundError("Source");
  return row;
}

export async function getSourceView(id: number, db: Reader = getDb()): Promise<NewsSourceView> {
  const row = await getSource(id, db);
  return view(row, (await decidedCounts(db, [id])).get(id) ?? { accepted: 0, dismissed: 0 });
}

const alreadyWatched = (url: string) => new RefusedError(`${url} is already watched as a source.`);

async function refuseWatched(db: Reader, url: string, except?: number) {
  const [row] = await db.select({ id: newsSources.id }).from(newsSources).where(eq(newsSources.url, url));
  if (row && row.id !== except) throw alreadyWatched(url);
}

/** A new source, due at once. 409 (RefusedError) when its feed is already watched. */
export async function createSource(
  input: { name: string; url: string; pageUrl: string | null; format: FeedFormat | null },
  createdByUserId: string | null,
  db: Db = getDb(),
): Promise<NewsSource> {
  return db.write(async (tx) => {
    await refuseWatched(tx, input.url);
    const [row] = await tx
      .insert(newsSources)
      .values({ ...input, createdByUserId, nextFetchAt: new Date() })
      .returning();
    return row!;
  });
}

export async function updateSource(
  id: number,
  patch: { name?: string; url?: string; active?: boolean; intervalMinutes?: number },
  db: Db = getDb(),
): Promise<NewsSource> {
  return db.write(async (tx) => {
    const current = await getSource(id, tx);
    const changes: Partial<typeof newsSources.$inferInsert> = { ...patch, updatedAt: new Date() };
    if (patch.url !== undefined && patch.url !== current.url) {
      await refuseWatched(tx, patch.url, id);
      // Another address is another feed: its format and validators are found on the next fetch.
      Object.assign(changes, {
        pageUrl: null,
        format: null,
        etag: null,
        lastModified: null,
        lastError: null,
      });
      changes.failures = 0;
      changes.nextFetchAt = new Date();
    }
    if (patch.active === true && !current.active) {
      changes.failures = 0;
      changes.nextFetchAt = new Date();
    }
    const [row] = await tx.update(newsSources).set(changes).where(eq(newsSources.id, id)).returning();
    return row!;
  });
}

export async function deleteSource(id: number, db: Db = getDb()): Promise<void> {
  await db.write(async (tx) => {
    const n = affectedRows(await tx.delete(newsSources).where(eq(newsSources.id, id)));
    if (!n) throw new NotFoundError("Source");
  });
}

/**
 * Claims the source due longest, if any, by moving its next fetch `leaseMs` ahead in one conditional
 * UPDATE: of several servers racing for it only one sees a row come back; the others' condition
 * fails once the first commits. A server that dies mid-fetch leaves it due again after the lease.
 */
export async function claimDueSource(
  now: Date,
  leaseMs: number,
  db: Db = getDb(),
): Promise<NewsSource | null> {
  return db.write(async (tx) => {
    const [due] = await tx
      .select({ id: newsSources.id, nextFetchAt: newsSources.nextFetchAt })
      .from(newsSources)
      .where(and(eq(newsSources.active, true), lte(newsSources.nextFetchAt, now)))
      .orderBy(asc(newsSources.nextFetchAt), asc(newsSources.id))
      .limit(1);
    if (!due) return null;
    const [claimed] = await tx
      .update(newsSources)
      .set({ nextFetchAt: new Date(now.getTime() + leaseMs) })
      .where(and(eq(newsSources.id, due.id), eq(newsSources.active, true), lte(newsSources.nextFetchAt, now)))
      .returning();
    return claimed ?? null;
  });
}

export interface StoredItem {
  guid: string;
  canonicalUrl: string | null;
  contentHash: string;
  title: string;
  url: string | null;
  publishedAt: Date | null;
  content: string;
}

export type FetchOutcome =
  | {
      ok: true;
      notModified: boolean;
      etag?: string | null;
      lastModified?: string | null;
      format?: FeedFormat;
      newItems?: number;
    }
  | { ok: false; error: string };

/**
 * Records a fetch: on success its validators, the items stored and the next regular fetch; on
 * failure the error in words and the back-off. A failure changes nothing else.
 */
export async function recordFetch(
  source: NewsSource,
  outcome: FetchOutcome,
  now: Date,
  db: Db = getDb(),
): Promise<void> {
  await db.write(async (tx) => {
    const [current] = await tx.select().from(newsSources).where(eq(newsSources.id, source.id));
    if (!current) return; // deleted meanwhile
    if (outcome.ok) {
      await tx
        .update(newsSources)
        .set({
          ...(outcome.notModified
            ? {}
            : { etag: outcome.etag ?? null, lastModified: outcome.lastModified ?? null }),
          ...(outcome.format ? { format: outcome.format } : {}),
          lastFetchedAt: now,
          lastSuccessAt: now,
          lastError: null,
          failures: 0,
          itemsSeen: sql`${newsSources.itemsSeen} + ${outcome.newItems ?? 0}`,
          nextFetchAt: new Date(now.getTime() + current.intervalMinutes * 60_000),
        })
        .where(eq(newsSources.id, source.id));
    } else {
      await tx
        .update(newsSources)
        .set({
          lastFetchedAt: now,
          lastError: outcome.error,
          failures: current.failures + 1,
          nextFetchAt: new Date(now.getTime() + retryDelayMs(current.intervalMinutes, current.failures + 1)),
        })
        .where(eq(newsSources.id, source.id));
    }
  });
}

/**
 * Stores the items not seen before (the unique keys on guid per source, canonical link and text
 * hash decide) and answers how many were new. Items already stored, by any source, are skipped.
 */
export async function storeItems(sourceId: number, items: StoredItem[], db: Db = getDb()): Promise<number> {
  if (!items.length) return 0;
  return db.write(async (tx) => {
    let added = 0;
    for (const item of items) {
      const rows = await tx
        .insert(newsItems)
        .values({ ...item, sourceId })
        .onConflictDoNothing()
        .returning({ id: newsItems.id });
      added += rows.length;
    }
    return added;
  });
}

/** Which of these keys are already stored, so a poll reads (and fetches pages for) only new items. */
export async function knownItemKeys(
  sourceId: number,
  keys: { guids: string[]; urls: string[] },
  db: Reader = getDb(),
): Promise<{ guids: Set<string>; urls: Set<string> }> {
  const guids = keys.guids.length
    ? await db
        .select({ guid: newsItems.guid })
        .from(newsItems)
        .where(and(eq(newsItems.sourceId, sourceId), inArray(newsItems.guid, keys.guids)))
    : [];
  const urls = keys.urls.length
    ? await db
        .select({ url: newsItems.canonicalUrl })
        .from(newsItems)
        .where(inArray(newsItems.canonicalUrl, keys.urls))
    : [];
  return { guids: new Set(guids.map((g) => g.guid)), urls: new Set(urls.map((u) => u.url!)) };
}
