import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, lte, ne, sql } from "drizzle-orm";
import { digestPeriod, type DigestSchedule } from "@/lib/digest-schedule";
import type { DigestDeal, DigestGroup } from "@/lib/digest-email";
import type { DealFilters } from "@/lib/filters";
import { getDb, type Db, type Reader } from "../core/index";
import { isPg } from "../core/dialect";
import { loadDeals } from "../deals/deals";
import { digestSends, digestSettings, users } from "../schema";
import { audienceOfUser, changesSince, listWatches } from "./inbox";
import { newestRevisionId } from "./views";

// E-mail digests: each user's choice, and the queue the worker (server/digests.ts) drains. A digest
// is queued once per (user, period) — the unique key is written by whichever server queues it
// first — and claimed under a lease, so several app servers never send one twice at once.

export const DEFAULT_SCHEDULE: DigestSchedule = { frequency: "off", hour: 8, weekday: 1, timeZone: "UTC" };

/** The user's digest choice (the defaults when they never chose) and when the last one was sent. */
export async function getDigestSettings(userId: string, db: Reader = getDb()) {
  const [row] = await db
    .select({
      frequency: digestSettings.frequency,
      hour: digestSettings.hour,
      weekday: digestSettings.weekday,
      timeZone: digestSettings.timeZone,
    })
    .from(digestSettings)
    .where(eq(digestSettings.userId, userId));
  const [last] = await db
    .select({ sentAt: sql<number | Date | null>`max(${digestSends.sentAt})`.mapWith(digestSends.sentAt) })
    .from(digestSends)
    .where(and(eq(digestSends.userId, userId), eq(digestSends.test, false)));
  return { ...(row ?? DEFAULT_SCHEDULE), lastSentAt: (last?.sentAt as Date | null) ?? null };
}

/**
 * Saves the choice. The current period counts as done, so the first digest comes at the next
 * chosen hour rather than at once; turning digests on starts the digest's watermark now, so the
 * first one lists what changed since, not everything the watches ever matched.
 */
export async function saveDigestSettings(
  userId: string,
  input: DigestSchedule,
  now = new Date(),
  db: Db = getDb(),
): Promise<void> {
  await db.write(async (tx) => {
    const [old] = await tx
      .select({ frequency: digestSettings.frequency })
      .from(digestSettings)
      .where(eq(digestSettings.userId, userId));
    const turningOn = input.frequency !== "off" && (old?.frequency ?? "off") === "off";
    const values = {
      ...input,
      scheduledPeriod: digestPeriod(input, now),
      updatedAt: now,
      ...(turningOn && { sentRevisionId: await newestRevisionId(tx) }),
    };
    await tx
      .insert(digestSettings)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: digestSettings.userId, set: values });
  });
}

/** Turns the user's digest off; true when it was on. */
export async function unsubscribeDigest(userId: string, db: Db = getDb()): Promise<boolean> {
  return db.write(async (tx) => {
    const changed = await tx
      .update(digestSettings)
      .set({ frequency: "off", updatedAt: new Date() })
      .where(and(eq(digestSettings.userId, userId), ne(digestSettings.frequency, "off")))
      .returning({ userId: digestSettings.userId });
    return changed.length > 0;
  });
}

/** Queues a test digest for the user, due at once; answers its id. */
export async function queueTestDigest(userId: string, now = new Date(), db: Db = getDb()): Promise<number> {
  return db.write(async (tx) => {
    const [row] = await tx
      .insert(digestSends)
      .values({ userId, period: `test:${randomUUID()}`, test: true, nextAttemptAt: now })
      .returning({ id: digestSends.id });
    return row!.id;
  });
}

/**
 * Queues the digest of every active user whose period has turned since the last one was queued;
 * returns how many were queued here. Reads first and writes only when a period turned, so the
 * once-a-minute check costs no write; a digest another server queued first is skipped by the
 * unique (user, period) key.
 */
export async function scheduleDigests(now: Date, db: Db = getDb()): Promise<number> {
  const subscribed = await db
    .select({
      userId: digestSettings.userId,
      frequency: digestSettings.frequency,
      hour: digestSettings.hour,
      weekday: digestSettings.weekday,
      timeZone: digestSettings.timeZone,
      scheduledPeriod: digestSettings.scheduledPeriod,
    })
    .from(digestSettings)
    .innerJoin(users, eq(users.id, digestSettings.userId))
    .where(and(ne(digestSettings.frequency, "off"), isNull(users.deactivatedAt)));
  const turned = subscribed.flatMap((s) => {
    const period = digestPeriod(s, now);
    return period && period !== s.scheduledPeriod ? [{ userId: s.userId, period }] : [];
  });
  if (!turned.length) return 0;
  return db.write(
    async (tx) => {
      const queued = await tx
        .insert(digestSends)
        .values(turned.map((t) => ({ ...t, nextAttemptAt: now })))
        .onConflictDoNothing({ target: [digestSends.userId, digestSends.period] })
        .returning({ id: digestSends.id });
      for (const t of turned)
        await tx
          .update(digestSettings)
          .set({ scheduledPeriod: t.period })
          .where(eq(digestSettings.userId, t.userId));
      return queued.length;
    },
    { bookkeeping: true },
  );
}

export type DueDigest = {
  id: number;
  userId: string;
  period: string;
  test: boolean;
  attempts: number;
  createdAt: Date;
  /** The end of this server's claim: also its token, as a later claim by another server moves it. */
  leaseUntil: Date;
};

/**
 * Claims up to `limit` due digests, pushing their next attempt `leaseMs` ahead in the same
 * transaction (the webhook outbox's pattern, db/follow/webhooks.ts): on PostgreSQL the due rows
 * are taken FOR UPDATE SKIP LOCKED, so a server claiming at the same moment skips them; SQLite's
 * writes are serial.
 */
export async function claimDueDigests(
  now: Date,
  leaseMs: number,
  limit = 10,
  db: Db = getDb(),
): Promise<DueDigest[]> {
  return db.write(
    async (tx) => {
      const due = and(eq(digestSends.status, "pending"), lte(digestSends.nextAttemptAt, now));
      const query = tx
        .select({
          id: digestSends.id,
          userId: digestSends.userId,
          period: digestSends.period,
          test: digestSends.test,
          attempts: digestSends.attempts,
          createdAt: digestSends.createdAt,
        })
        .from(digestSends)
        .where(due)
        .orderBy(asc(digestSends.nextAttemptAt), asc(digestSends.id))
        .limit(limit);
      const rows = await (isPg ? query.for("update", { skipLocked: true }) : query);
      const leaseUntil = new Date(now.getTime() + leaseMs);
      if (rows.length)
        await tx
          .update(digestSends)
          .set({ nextAttemptAt: leaseUntil })
          .where(
            inArray(
              digestSends.id,
              rows.map((r) => r.id),
            ),
          );
      return rows.map((row) => ({ ...row, leaseUntil }));
    },
    { bookkeeping: true },
  );
}

/**
 * Renews this server's claim of one digest just before it is sent, or answers null when the claim
 * is no longer ours: a pass sends its digests one after another, so the last of a batch may wait
 * past the lease, and another server may have claimed (and sent) it meanwhile.
 */
export async function renewDigestClaim(
  send: DueDigest,
  now: Date,
  leaseMs: number,
  db: Db = getDb(),
): Promise<DueDigest | null> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const [renewed] = await db.write(
    (tx) =>
      tx
        .update(digestSends)
        .set({ nextAttemptAt: leaseUntil })
        .where(
          and(
            eq(digestSends.id, send.id),
            eq(digestSends.status, "pending"),
            eq(digestSends.nextAttemptAt, send.leaseUntil),
          ),
        )
        .returning({ id: digestSends.id }),
    { bookkeeping: true },
  );
  return renewed ? { ...send, leaseUntil } : null;
}

export type DigestDraft = {
  user: { id: string; name: string; email: string; role: (typeof users.$inferSelect)["role"] };
  frequency: "daily" | "weekly" | "test";
  groups: DigestGroup[];
  /** Distinct changes listed. */
  changes: number;
  /** The newest revision read: the digest's watermark moves here once it is sent. */
  upTo: number;
  /** What the chart shows: the first listed watch's deals, else all the user may see. */
  chartFilters: DealFilters | null;
};

/** What the user's digest lists now: every change since the last digest, grouped by watch. */
export async function draftDigest(send: DueDigest, db: Reader = getDb()): Promise<DigestDraft | null> {
  const [user] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      off: users.deactivatedAt,
    })
    .from(users)
    .where(eq(users.id, send.userId));
  if (!user || user.off) return null;
  const [settings] = await db
    .select({ frequency: digestSettings.frequency, read: digestSettings.sentRevisionId })
    .from(digestSettings)
    .where(eq(digestSettings.userId, send.userId));
  const followed = await listWatches(send.userId, db);
  // What the recipient may see now (issue 25): a confidential deal reaches its team's members only.
  const inbox = await changesSince(followed, settings?.read ?? 0, await audienceOfUser(send.userId, db), db);
  const ids = [...new Set(inbox.groups.flatMap((g) => g.items.map((i) => i.dealId)))];
  const deals = new Map((await loadDeals(db, ids)).map((d) => [d.id, d]));
  const groups = inbox.groups.map((g) => {
    // One line per deal in a group: its newest change (items are newest first).
    const seen = new Set<number>();
    const listed: DigestDeal[] = g.items.flatMap((item) => {
      if (seen.has(item.dealId)) return [];
      seen.add(item.dealId);
      const deal = deals.get(item.dealId);
      return [
        {
          id: item.dealId,
          title: item.dealTitle,
          action: item.action,
          parties: deal?.parties.map((p) => p.company.name) ?? [],
          types: deal?.types ?? [],
          announcedOn: deal?.announcedOn ?? null,
        },
      ];
    });
    return { label: g.watch.label, href: g.watch.href, deals: listed };
  });
  const first = followed.find((w) => w.id === inbox.groups[0]?.watch.id);
  return {
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
    frequency: send.test ? "test" : settings?.frequency === "weekly" ? "weekly" : "daily",
    groups,
    changes: inbox.unread,
    upTo: inbox.newestRevisionId,
    chartFilters: first?.filters ?? null,
  };
}

export type DigestOutcome =
  | { status: "sent" | "empty"; changes: number; upTo: number }
  | { status: "pending" | "failed"; error: string; retryAt: Date };

/**
 * Records how a claimed digest went. A sent or empty scheduled digest moves the user's digest
 * watermark (never back); a test digest leaves it where it is, so it takes nothing from the next.
 */
export async function recordDigest(send: DueDigest, outcome: DigestOutcome, now: Date, db: Db = getDb()) {
  await db.write(
    async (tx) => {
      const attempts = send.attempts + 1;
      if (!("error" in outcome)) {
        await tx
          .update(digestSends)
          .set({
            status: outcome.status,
            attempts,
            changes: outcome.changes,
            lastError: null,
            sentAt: outcome.status === "sent" ? now : null,
          })
          .where(eq(digestSends.id, send.id));
        if (!send.test)
          await tx
            .update(digestSettings)
            .set({
              sentRevisionId: sql`CASE WHEN ${digestSettings.sentRevisionId} > ${outcome.upTo} THEN ${digestSettings.sentRevisionId} ELSE ${outcome.upTo} END`,
            })
            .where(eq(digestSettings.userId, send.userId));
        return;
      }
      await tx
        .update(digestSends)
        .set({
          status: outcome.status,
          attempts,
          lastError: outcome.error.slice(0, 500),
          nextAttemptAt: outcome.retryAt,
        })
        .where(eq(digestSends.id, send.id));
    },
    { bookkeeping: true },
  );
}
