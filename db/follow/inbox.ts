import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { dealFilters, type Audience, type DealFilters } from "@/lib/filters";
import { parseViewPath } from "@/lib/saved-views";
import { getDb, type Db, type Reader } from "../core/index";
import { memoStats } from "../stats/stats-cache";
import { dealWhere } from "../stats/filters";
import { companies, deals, revisions, savedViews, technologies, userFollow, users, watches } from "../schema";
import type { Inbox, InboxGroup } from "../types";
import { hashApiToken } from "../accounts/tokens";
import { audienceOf, viewerOfUser } from "../accounts/visibility";
import { newestRevisionId } from "./views";

// The inbox is computed from `revisions`, so nothing is missed while a user is away: only revisions
// after the user's watermark (and after each watch began) are read, by primary key range.

/** At most this many changes are read per inbox; older unread ones wait for the next Mark all read. */
const INBOX_SCAN = 1000;

export type ResolvedWatch = InboxGroup["watch"] & { since: number; filters: DealFilters };

const base = dealFilters.parse({});

/** The user's watches with what each matches; a view that is no longer visible to them is skipped. */
export async function listWatches(userId: string, db: Reader = getDb()): Promise<ResolvedWatch[]> {
  const rows = await db
    .select({
      id: watches.id,
      kind: watches.kind,
      since: watches.sinceRevisionId,
      companyName: companies.name,
      companySlug: companies.slug,
      technologyName: technologies.name,
      technologySlug: technologies.slug,
      viewName: savedViews.name,
      viewPath: savedViews.path,
      viewOwner: savedViews.ownerUserId,
      viewShared: savedViews.shared,
    })
    .from(watches)
    .leftJoin(companies, eq(companies.id, watches.companyId))
    .leftJoin(technologies, eq(technologies.id, watches.technologyId))
    .leftJoin(savedViews, eq(savedViews.id, watches.viewId))
    .where(eq(watches.userId, userId))
    .orderBy(watches.id);
  return rows.flatMap((r): ResolvedWatch[] => {
    const common = { id: r.id, kind: r.kind, since: r.since };
    if (r.kind === "company" && r.companySlug)
      return [
        {
          ...common,
          label: r.companyName!,
          href: `/companies/${r.companySlug}`,
          filters: { ...base, company: [r.companySlug] },
        },
      ];
    if (r.kind === "technology" && r.technologySlug)
      return [
        {
          ...common,
          label: r.technologyName!,
          href: `/technologies/${r.technologySlug}`,
          filters: { ...base, technology: [r.technologySlug] },
        },
      ];
    if (r.kind === "view" && r.viewPath && (r.viewOwner === userId || r.viewShared)) {
      const parsed = parseViewPath(r.viewPath);
      if (!parsed.success) return [];
      return [{ ...common, label: r.viewName!, href: r.viewPath, filters: parsed.view.filters }];
    }
    return [];
  });
}

async function watermark(db: Reader, userId: string): Promise<number> {
  const [row] = await db
    .select({ id: userFollow.inboxReadRevisionId })
    .from(userFollow)
    .where(eq(userFollow.userId, userId));
  return row?.id ?? 0;
}

/**
 * The confidential deals a user sees (issue 25): their teams', every team's for an admin. A user
 * who is gone sees public deals only.
 */
export async function audienceOfUser(userId: string, db: Reader = getDb()): Promise<Audience> {
  const [user] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId));
  return user ? audienceOf(await viewerOfUser(user, db), db) : { teams: [] };
}

/** What changed in the user's watches since they last marked the inbox read, newest first. */
export async function getInbox(userId: string, db: Reader = getDb()): Promise<Inbox> {
  const [read, followed, audience] = await Promise.all([
    watermark(db, userId),
    listWatches(userId, db),
    audienceOfUser(userId, db),
  ]);
  return changesSince(followed, read, audience, db);
}

/**
 * The changes to what `followed` matches after revision `read` (and after each watch began), newest
 * first, grouped by watch, among the deals `audience` sees: a confidential deal's changes reach only
 * its team's members and admins. The inbox reads from its watermark, the e-mail digest from its own.
 */
export async function changesSince(
  followed: ResolvedWatch[],
  read: number,
  audience: Audience,
  db: Reader,
): Promise<Inbox> {
  if (!followed.length) return { groups: [], unread: 0, newestRevisionId: read };
  const from = Math.min(...followed.map((w) => Math.max(read, w.since)));
  const changes = await db
    .select({
      revisionId: revisions.id,
      dealId: revisions.dealId,
      action: revisions.action,
      changedFields: revisions.changedFields,
      actor: revisions.actor,
      at: revisions.at,
      dealTitle: deals.title,
    })
    .from(revisions)
    .innerJoin(deals, eq(deals.id, revisions.dealId))
    .where(gt(revisions.id, from))
    .orderBy(desc(revisions.id))
    .limit(INBOX_SCAN);
  if (!changes.length) return { groups: [], unread: 0, newestRevisionId: read };
  const dealIds = [...new Set(changes.map((c) => c.dealId))];
  const unread = new Set<number>();
  const perWatch = await Promise.all(
    followed.map(async (w): Promise<InboxGroup[]> => {
      const where = await dealWhere(db, { ...w.filters, audience });
      if (!where) return [];
      const matched = await db
        .select({ id: deals.id })
        .from(deals)
        .where(and(where, inArray(deals.id, dealIds)));
      const matching = new Set(matched.map((d) => d.id));
      const after = Math.max(read, w.since);
      const items = changes
        .filter((c) => c.revisionId > after && matching.has(c.dealId))
        .map((c) => ({ ...c, at: c.at.toISOString() }));
      items.forEach((i) => unread.add(i.revisionId));
      const { id, kind, label, href } = w;
      return items.length ? [{ watch: { id, kind, label, href }, items }] : [];
    }),
  );
  const groups = perWatch.flat();
  return { groups, unread: unread.size, newestRevisionId: changes[0]!.revisionId };
}

/** Marks everything up to `upTo` (the newest change the user was shown) as read. */
export async function markInboxRead(userId: string, upTo: number, db: Db = getDb()): Promise<void> {
  await db.write(async (tx) => {
    const id = Math.min(upTo, await newestRevisionId(tx));
    await tx
      .insert(userFollow)
      .values({ userId, inboxReadRevisionId: id })
      .onConflictDoUpdate({ target: userFollow.userId, set: { inboxReadRevisionId: id } });
  });
}

// ---------------------------------------------------------------------------------------------
// Feed keys: one per user, read-only, in the feed's URL because feed readers cannot send headers.
// Only a hash is stored, like API tokens: a copy of the database (a backup, a dump) holds no key
// that reads anyone's feeds. So a key is shown once, when it is made; losing it means replacing it.

const newKey = () => `af_${randomBytes(24).toString("base64url")}`;

// Stored as its SHA-256, as API tokens are: the key is random, so a fast hash is enough.
const hashFeedKey = hashApiToken;

/** When the user's current feed key was made, or null when they have none. */
export async function feedKeyCreatedAt(userId: string, db: Reader = getDb()): Promise<Date | null> {
  const [row] = await db
    .select({ hash: userFollow.feedKey, createdAt: userFollow.feedKeyCreatedAt })
    .from(userFollow)
    .where(eq(userFollow.userId, userId));
  return row?.hash ? (row.createdAt ?? null) : null;
}

/** Makes the user a new feed key, replacing any old one (whose feed addresses stop working at once). */
export async function replaceFeedKey(userId: string, db: Db = getDb()): Promise<string> {
  const key = newKey();
  const now = new Date();
  await db.write((tx) =>
    tx
      .insert(userFollow)
      .values({ userId, feedKey: hashFeedKey(key), feedKeyCreatedAt: now })
      .onConflictDoUpdate({
        target: userFollow.userId,
        set: { feedKey: hashFeedKey(key), feedKeyCreatedAt: now },
      }),
  );
  return key;
}

/** The active user a feed key belongs to; a replaced key or a deactivated user is nobody. */
export async function userByFeedKey(key: string, db: Reader = getDb()) {
  if (!/^af_[\w-]{20,64}$/.test(key)) return undefined;
  const [user] = await db
    .select({ id: users.id, role: users.role })
    .from(userFollow)
    .innerJoin(users, eq(users.id, userFollow.userId))
    .where(and(eq(userFollow.feedKey, hashFeedKey(key)), isNull(users.deactivatedAt)));
  return user;
}

/**
 * The unread count the navigation shows on every page: the inbox's own answer, cached until the data
 * changes (any write moves the version, including a new watch or "Mark all read"), so pages do not
 * recompute the inbox for a number that has not moved. The key is the user's, and so is the audience
 * it counts with; a change of their teams or role is a write, which moves the version too.
 */
export async function unreadCount(userId: string): Promise<number> {
  return memoStats(`inbox-unread:${userId}`, async () => (await getInbox(userId)).unread);
}
