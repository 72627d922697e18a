import "server-only";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { CandidateKind, CandidateStatus, DismissReason } from "@/lib/enums";
import type { CandidateDraft, CandidateItem, CandidatePage, CandidateView } from "@/lib/news/candidate";
import type { DraftSource } from "@/lib/extract/types";
import {
  GROUP_WINDOW_DAYS,
  groupKind,
  partyKeyOf,
  sameAnnouncement,
  type GroupProbe,
} from "@/lib/news/group";
import type { NewsReading } from "@/lib/news/classify";
import type { CandidateQuery } from "@/lib/news/schemas";
import { dealInput } from "@/lib/validation";
import type { Actor } from "../audit/revisions";
import { isPg } from "../core/dialect";
import { InputError, NotFoundError, RefusedError } from "../core/errors";
import { getDb } from "../core/index";
import type { Reader, Tx } from "../core/connection";
import { createDeal, snapshotOf, updateDeal } from "../deals/deal-writes";
import { getDeal } from "../deals/deals";
import { addArticleToDeal } from "../deals/extract";
import { candidates, deals, newsItems, newsSources } from "../schema";
import { mayView, type Viewer } from "../accounts/visibility";

// The triage queue (issue 22): one candidate per announcement, however many feed items reported it,
// and the decisions an editor takes on it. Each decision is one write transaction, taken once.

export type { CandidateDraft, CandidateItem, CandidatePage, CandidateView } from "@/lib/news/candidate";

async function itemsOf(db: Reader, ids: number[]): Promise<Map<number, CandidateItem[]>> {
  const rows = ids.length
    ? await db
        .select({
          candidateId: newsItems.candidateId,
          title: newsItems.title,
          url: newsItems.url,
          source: newsSources.name,
          sourceId: newsSources.id,
          publishedAt: newsItems.publishedAt,
        })
        .from(newsItems)
        .innerJoin(newsSources, eq(newsSources.id, newsItems.sourceId))
        .where(inArray(newsItems.candidateId, ids))
        .orderBy(asc(newsItems.publishedAt), asc(newsItems.id))
    : [];
  const out = new Map<number, CandidateItem[]>();
  for (const { candidateId, publishedAt, ...row } of rows)
    (out.get(candidateId!) ?? out.set(candidateId!, []).get(candidateId!)!).push({
      ...row,
      publishedAt: publishedAt?.toISOString() ?? null,
    });
  return out;
}

type CandidateRow = typeof candidates.$inferSelect;

/**
 * Of the deals these candidates name (the one they are already known as, the one they became),
 * those `viewer` may not see: news is matched against every deal (server/news/process.ts), and a
 * confidential deal must not be named or linked to anyone outside its team.
 */
async function hiddenDealsOf(db: Reader, rows: CandidateRow[], viewer: Viewer): Promise<Set<number>> {
  const ids = [...new Set(rows.flatMap((r) => [r.knownDealId, r.dealId].filter((id) => id !== null)))];
  if (!ids.length || viewer.admin) return new Set();
  const found = await db
    .select({ id: deals.id, teamId: deals.teamId })
    .from(deals)
    .where(inArray(deals.id, ids));
  return new Set(found.filter((d) => !mayView(viewer, d.teamId)).map((d) => d.id));
}

/** A deal id as `viewer` may see it: null for one they may not (as for no deal at all). */
const shown = (id: number | null, hidden: Set<number>) => (id !== null && hidden.has(id) ? null : id);

const view = (row: CandidateRow, items: CandidateItem[], hidden: Set<number>): CandidateView => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  score: row.score,
  reason: row.reason,
  draft: (row.draft as CandidateDraft | null) ?? null,
  knownDealId: shown(row.knownDealId, hidden),
  dealId: shown(row.dealId, hidden),
  dismissReason: row.dismissReason,
  createdAt: row.createdAt.toISOString(),
  items,
});

/**
 * A page of candidates, newest first; `source` keeps those with at least one item from it. The
 * deals they name are those `viewer` may see.
 */
export async function listCandidates(
  q: CandidateQuery,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<CandidatePage> {
  const where = and(
    eq(candidates.status, q.status),
    q.kind ? eq(candidates.kind, q.kind) : undefined,
    q.source
      ? inArray(
          candidates.id,
          db
            .select({ id: newsItems.candidateId })
            .from(newsItems)
            .where(and(eq(newsItems.sourceId, q.source), isNotNull(newsItems.candidateId))),
        )
      : undefined,
  );
  const [counted, rows] = await Promise.all([
    db.select({ n: count() }).from(candidates).where(where),
    db
      .select()
      .from(candidates)
      .where(where)
      .orderBy(desc(candidates.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
  ]);
  const [items, hidden] = await Promise.all([
    itemsOf(
      db,
      rows.map((r) => r.id),
    ),
    hiddenDealsOf(db, rows, viewer),
  ]);
  return {
    items: rows.map((r) => view(r, items.get(r.id) ?? [], hidden)),
    total: Number(counted[0]?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function getCandidate(
  id: number,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<CandidateView | null> {
  const [row] = await db.select().from(candidates).where(eq(candidates.id, id));
  if (!row) return null;
  const [items, hidden] = await Promise.all([itemsOf(db, [id]), hiddenDealsOf(db, [row], viewer)]);
  return view(row, items.get(id) ?? [], hidden);
}

/** How many candidates wait for a decision: the navigation's badge. */
export async function countWaitingCandidates(db: Reader = getDb()): Promise<number> {
  const [row] = await db.select({ n: count() }).from(candidates).where(eq(candidates.status, "waiting"));
  return Number(row?.n ?? 0);
}

/** The sources of every source a candidate came from, for its own filter. */
export async function listCandidateSources(db: Reader = getDb()) {
  return db
    .select({ id: newsSources.id, name: newsSources.name })
    .from(newsSources)
    .orderBy(asc(newsSources.name));
}

// ---------------------------------------------------------------------------------------------
// Processing (server/news/process.ts): one item's reading becomes a candidate or joins one.

export interface ItemReading {
  itemId: number;
  reading: NewsReading;
  draft: CandidateDraft;
  parties: string[];
  knownDealId: number | null;
}

type LinkedSource = DraftSource & { url: string };
const sourceOf = (item: {
  url: string | null;
  title: string;
  source: string;
  publishedAt: Date | null;
}): LinkedSource[] =>
  item.url
    ? [
        {
          url: item.url,
          title: item.title,
          publisher: item.source,
          publishedOn: item.publishedAt?.toISOString().slice(0, 10) ?? null,
        },
      ]
    : [];

function withSources(draft: CandidateDraft, sources: DraftSource[]): CandidateDraft {
  if (!draft.draft) return draft;
  const known = new Set(draft.draft.sources.map((s) => s.url));
  const added = sources.filter((s) => !known.has(s.url));
  // A source without a link says nothing a feed item's link does not: the item's own replaces it.
  const kept = draft.draft.sources.filter((s) => s.url);
  return { ...draft, draft: { ...draft.draft, sources: [...kept, ...added] } };
}

/**
 * Stores one item's reading: joins the candidate of the same announcement (same kind, parties named,
 * published within a few days) or makes a new one. Claims the item first, so an item read twice at
 * once still counts once. Returns whether a new candidate was made, or null if already processed.
 */
export async function storeItemReading(
  input: ItemReading,
  db = getDb(),
): Promise<{ created: boolean } | null> {
  return db.write(async (tx) => {
    const claimed = await tx
      .update(newsItems)
      .set({ processedAt: new Date() })
      .where(and(eq(newsItems.id, input.itemId), isNull(newsItems.processedAt)))
      .returning({ id: newsItems.id });
    if (!claimed.length) return null;
    const [item] = await tx
      .select({
        title: newsItems.title,
        url: newsItems.url,
        content: newsItems.content,
        publishedAt: newsItems.publishedAt,
        sourceId: newsItems.sourceId,
        source: newsSources.name,
      })
      .from(newsItems)
      .innerJoin(newsSources, eq(newsSources.id, newsItems.sourceId))
      .where(eq(newsItems.id, input.itemId));
    if (!item) throw new NotFoundError(`News item ${input.itemId}`);
    // Two app servers reading two reports of one announcement at once would each find no candidate
    // (the other's is not committed yet) and make two: on PostgreSQL readings take turns from here to
    // commit, and the search below sees every committed one (SQLite's writes are serial already).
    if (isPg) await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('atlas:news-grouping'))`);
    const probe: GroupProbe = {
      kind: input.reading.kind,
      parties: input.parties,
      title: item.title,
      text: item.content,
      publishedAt: item.publishedAt,
    };
    const existing = await findSameAnnouncement(tx, probe, input.itemId);
    let candidateId: number;
    let created = false;
    if (existing) {
      candidateId = existing.id;
      // The fuller reading (the higher score) leads; the sources are everyone's. Of a deal and a
      // write-up of it read as something else, the deal leads and the candidate is a deal.
      const kind = groupKind(existing.kind, input.reading.kind);
      const mine =
        existing.kind === input.reading.kind
          ? input.reading.score > existing.score
          : input.reading.kind === kind;
      const lead = mine ? input.draft : (existing.draft as CandidateDraft);
      await tx
        .update(candidates)
        .set({
          kind,
          groupKey: kind === existing.kind ? existing.groupKey : partyKeyOf(input.parties) || null,
          // The sources already gathered stay when another item's draft takes the lead.
          draft: withSources(lead, [
            ...((existing.draft as CandidateDraft).draft?.sources ?? []),
            ...sourceOf(item),
          ]),
          score: mine ? input.reading.score : existing.score,
          reason: mine ? input.reading.reason : existing.reason,
          knownDealId: existing.knownDealId ?? input.knownDealId,
          updatedAt: new Date(),
        })
        .where(eq(candidates.id, existing.id));
    } else {
      const [row] = await tx
        .insert(candidates)
        .values({
          kind: input.reading.kind,
          score: input.reading.score,
          reason: input.reading.reason,
          draft: withSources(input.draft, sourceOf(item)),
          groupKey: partyKeyOf(input.parties) || null,
          knownDealId: input.knownDealId,
        })
        .returning({ id: candidates.id });
      candidateId = row!.id;
      created = true;
      await tx
        .update(newsSources)
        .set({ candidatesMade: sql`${newsSources.candidatesMade} + 1` })
        .where(eq(newsSources.id, item.sourceId));
    }
    await tx.update(newsItems).set({ candidateId }).where(eq(newsItems.id, input.itemId));
    return { created };
  });
}

const DAY_MS = 86_400_000;

const kindsToJoin = (kind: CandidateKind): CandidateKind[] =>
  kind === "deal" || kind === "not_deal" ? ["deal", "not_deal"] : [kind];

/** A waiting candidate of the same announcement, among those with items published near this one. */
async function findSameAnnouncement(tx: Tx, probe: GroupProbe, itemId: number) {
  const near = probe.publishedAt
    ? and(
        gte(newsItems.publishedAt, new Date(probe.publishedAt.getTime() - GROUP_WINDOW_DAYS * DAY_MS)),
        lte(newsItems.publishedAt, new Date(probe.publishedAt.getTime() + GROUP_WINDOW_DAYS * DAY_MS)),
      )
    : undefined;
  const rows = await tx
    .select({
      candidate: candidates,
      title: newsItems.title,
      content: newsItems.content,
      publishedAt: newsItems.publishedAt,
    })
    .from(newsItems)
    .innerJoin(candidates, eq(candidates.id, newsItems.candidateId))
    // A deal and a write-up of it read as not a deal may be one announcement (lib/news/group.ts).
    .where(and(near, inArray(candidates.kind, kindsToJoin(probe.kind)), sql`${newsItems.id} <> ${itemId}`))
    .orderBy(asc(candidates.id))
    .limit(500);
  for (const row of rows) {
    const draft = row.candidate.draft as CandidateDraft | null;
    const parties = draft?.draft?.parties.map((p) => p.company) ?? [];
    if (
      sameAnnouncement(probe, {
        kind: row.candidate.kind,
        parties,
        title: row.title,
        text: row.content,
        publishedAt: row.publishedAt,
      })
    )
      return row.candidate;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Decisions: each once (409 after), each in one write transaction.

async function waitingCandidate(tx: Tx, id: number): Promise<CandidateRow> {
  const query = tx.select().from(candidates).where(eq(candidates.id, id));
  const [row] = isPg ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("Candidate");
  if (row.status !== "waiting")
    throw new RefusedError(`This candidate was already ${row.status}; it can be decided once`);
  return row;
}

async function decide(
  tx: Tx,
  id: number,
  status: CandidateStatus,
  actor: Actor,
  extra: { dealId?: number; dismissReason?: DismissReason },
) {
  await tx
    .update(candidates)
    .set({
      status,
      decidedAt: new Date(),
      decidedByUserId: actor.userId ?? null,
      updatedAt: new Date(),
      ...extra,
    })
    .where(eq(candidates.id, id));
}

/** The links of a candidate's items, as deal sources. */
async function itemSources(tx: Tx, id: number): Promise<LinkedSource[]> {
  const items = (await itemsOf(tx, [id])).get(id) ?? [];
  return items.flatMap((i) =>
    sourceOf({ ...i, publishedAt: i.publishedAt ? new Date(i.publishedAt) : null }),
  );
}

/**
 * Accepts a candidate: a deal is created through the normal deal write from the draft (fields in
 * `override` replace the draft's) with every item's link as a source; a status change is applied to
 * the deal it concerns instead. Returns the deal's id and whether it was created. `viewer` is who
 * decides: a deal they may not see is not the one a status change concerns, for them.
 */
export async function acceptCandidate(
  id: number,
  override: Record<string, unknown> | null | undefined,
  actor: Actor,
  viewer: Viewer,
): Promise<{ dealId: number; created: boolean }> {
  return getDb().write(async (tx) => {
    const row = await waitingCandidate(tx, id);
    const stored = (row.draft as CandidateDraft | null) ?? { passage: null, change: null };
    const sources = await itemSources(tx, id);
    if (row.kind === "status_change" && !override) {
      const knownDealId = shown(row.knownDealId, await hiddenDealsOf(tx, [row], viewer));
      if (!knownDealId || !stored.change)
        throw new InputError({
          dealId: ["This status change is not linked to a recorded deal: add it to one"],
        });
      const deal = await getDeal(knownDealId, { viewer }, tx);
      if (!deal) throw new InputError({ dealId: [`Deal ${knownDealId} does not exist or was deleted`] });
      const current = snapshotOf(deal);
      const known = new Set(current.sources.map((s) => s.url));
      const parsed = dealInput.safeParse({
        ...current,
        status: stored.change,
        sources: [...current.sources, ...sources.filter((s) => !known.has(s.url))],
      });
      if (!parsed.success) throw new InputError({ dealId: ["This change does not fit that deal"] });
      await updateDeal(deal.id, parsed.data, deal.version, { actor, viewer });
      await decide(tx, id, "accepted", actor, { dealId: deal.id });
      return { dealId: deal.id, created: false };
    }
    const draft = stored.draft;
    const first = sources[0];
    const base = {
      ...(draft ?? {}),
      title: draft?.title ?? first?.title ?? null,
      announcedOn: draft?.announcedOn ?? first?.publishedOn ?? null,
      datePrecision: draft?.datePrecision ?? "day",
    };
    const merged = { ...base, ...(override ?? {}) } as Record<string, unknown>;
    const given = Array.isArray(merged.sources) ? (merged.sources as DraftSource[]) : [];
    const urls = new Set<string | null>(given.map((s) => s?.url));
    merged.sources = [...given.filter((s) => s?.url), ...sources.filter((s) => !urls.has(s.url))];
    const parsed = dealInput.safeParse(merged);
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues)
        (errors[issue.path.join(".") || "_form"] ??= []).push(issue.message);
      throw new InputError(errors);
    }
    const deal = await createDeal(parsed.data, { actor, viewer });
    await decide(tx, id, "accepted", actor, { dealId: deal.id });
    return { dealId: deal.id, created: true };
  });
}

/** Adds a candidate's sources (and its quotes the deal lacks) to an existing deal `viewer` may see. */
export async function attachCandidate(
  id: number,
  dealId: number,
  actor: Actor,
  viewer: Viewer,
): Promise<{ dealId: number }> {
  return getDb().write(async (tx) => {
    const row = await waitingCandidate(tx, id);
    const quotes = ((row.draft as CandidateDraft | null)?.draft?.quotes ?? []).map((q) => ({ ...q }));
    const sources = await itemSources(tx, id);
    if (!sources.length) throw new InputError({ dealId: ["This candidate's items have no links to add"] });
    for (const [i, source] of sources.entries()) {
      const deal = await getDeal(dealId, { viewer }, tx);
      if (!deal) throw new InputError({ dealId: [`Deal ${dealId} does not exist or was deleted`] });
      await addArticleToDeal(dealId, { source, quotes: i === 0 ? quotes : [] }, deal.version, {
        actor,
        viewer,
      });
    }
    await decide(tx, id, "accepted", actor, { dealId });
    return { dealId };
  });
}

export async function dismissCandidate(id: number, reason: DismissReason, actor: Actor): Promise<void> {
  await getDb().write(async (tx) => {
    await waitingCandidate(tx, id);
    await decide(tx, id, "dismissed", actor, { dismissReason: reason });
  });
}

/** Dismisses several at once; those already decided are left as they are and reported. */
export async function dismissCandidates(ids: number[], reason: DismissReason, actor: Actor) {
  const dismissed: number[] = [];
  for (const id of ids) {
    try {
      await dismissCandidate(id, reason, actor);
      dismissed.push(id);
    } catch (error) {
      if (!(error instanceof RefusedError) && !(error instanceof NotFoundError)) throw error;
    }
  }
  return dismissed;
}

/**
 * Per news source, how many of the candidates its items went into were accepted and dismissed (and
 * wait still), so a noisy source shows on the sources page. A candidate counts once per source.
 */
export async function candidateOutcomesBySource(
  db: Reader = getDb(),
): Promise<Map<number, Record<CandidateStatus, number>>> {
  const rows = await db
    .select({
      sourceId: newsItems.sourceId,
      status: candidates.status,
      n: sql<number>`count(DISTINCT ${candidates.id})`,
    })
    .from(newsItems)
    .innerJoin(candidates, eq(candidates.id, newsItems.candidateId))
    .groupBy(newsItems.sourceId, candidates.status);
  const out = new Map<number, Record<CandidateStatus, number>>();
  for (const row of rows) {
    const counts = out.get(row.sourceId) ?? { waiting: 0, accepted: 0, dismissed: 0 };
    counts[row.status] = Number(row.n);
    out.set(row.sourceId, counts);
  }
  return out;
}
