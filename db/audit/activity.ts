import "server-only";
import { and, count, desc, eq, gte, isNotNull, lte, type SQL } from "drizzle-orm";
import type { Reader } from "../core/connection";
import { dealsWithParty, visibleTo } from "../stats/filters";
import { audienceOf, PUBLIC_VIEWER, type Viewer } from "../accounts/visibility";
import { findCompanyId } from "../directory/lookups";
import { getDb } from "../core/index";
import { readAll } from "../core/read-all";
import { deals, revisions } from "../schema";
import { revisionView } from "./revision-view";

// What happened: every revision newest first, and the deleted deals waiting to be restored, of the
// deals the reader may see (another team's confidential deal has no history for them).

/** Deleted deals `viewer` may see (without one: public ones), newest deletion first, so they can be restored. */
export async function listDeletedDeals(viewer: Viewer = PUBLIC_VIEWER, db: Reader = getDb()) {
  const audience = await audienceOf(viewer, db);
  return db
    .select({ id: deals.id, title: deals.title, announcedOn: deals.announcedOn, deletedAt: deals.deletedAt })
    .from(deals)
    .where(and(isNotNull(deals.deletedAt), visibleTo(audience)))
    .orderBy(desc(deals.deletedAt))
    .limit(100);
}

export type ActivityFilters = {
  user?: string;
  token?: number;
  deal?: number;
  company?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

/** The revisions of the deals `viewer` may see, newest first. */
export async function listActivity(f: ActivityFilters, viewer: Viewer, db: Reader = getDb()) {
  const conditions: (SQL | undefined)[] = [visibleTo(await audienceOf(viewer, db), revisions.dealId)];
  if (f.user) conditions.push(eq(revisions.actorUserId, f.user));
  if (f.token) conditions.push(eq(revisions.actorTokenId, f.token));
  if (f.deal) conditions.push(eq(revisions.dealId, f.deal));
  if (f.company) {
    const companyId = await findCompanyId(db, f.company);
    if (!companyId) return { items: [], total: 0 };
    conditions.push(dealsWithParty(db, revisions.dealId, [companyId]));
  }
  // Calendar dates are UTC days; `to` is inclusive.
  if (f.from) conditions.push(gte(revisions.at, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) conditions.push(lte(revisions.at, new Date(`${f.to}T23:59:59Z`)));
  const where = and(...conditions);
  const [[totalRow], rows] = await readAll(db, [
    db.select({ n: count() }).from(revisions).where(where),
    db
      .select({ revision: revisions, dealTitle: deals.title })
      .from(revisions)
      .innerJoin(deals, eq(deals.id, revisions.dealId))
      .where(where)
      .orderBy(desc(revisions.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
  ]);
  return {
    total: totalRow?.n ?? 0,
    items: rows.map(({ revision: r, dealTitle }) => ({
      id: r.id,
      dealId: r.dealId,
      dealTitle,
      ...revisionView(r),
    })),
  };
}
