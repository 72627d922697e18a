import "server-only";
import { and, asc, eq, max, or } from "drizzle-orm";
import { parseViewPath, type ViewInput, type ViewPatch } from "@/lib/saved-views";
import type { UserRole, WatchKind } from "@/lib/enums";
import { getDb, type Db, type Reader } from "../core/index";
import { ForbiddenError, InputError, NotFoundError } from "../core/errors";
import { companies, revisions, savedViews, technologies, users, watches } from "../schema";
import type { SavedView } from "../types";

// Saved views and watches: what a user follows. A private view is someone else's business, so to
// anyone but its owner it does not exist (404); a shared one is seen by all and changed by its owner.

export type ViewUser = { id: string; role: UserRole };

const iso = (d: Date) => d.toISOString();

async function viewRows(db: Reader, userId: string, id?: number): Promise<SavedView[]> {
  const visible = or(eq(savedViews.ownerUserId, userId), eq(savedViews.shared, true));
  const rows = await db
    .select({
      id: savedViews.id,
      name: savedViews.name,
      path: savedViews.path,
      shared: savedViews.shared,
      ownerUserId: savedViews.ownerUserId,
      ownerName: users.name,
      createdAt: savedViews.createdAt,
      updatedAt: savedViews.updatedAt,
      watchId: watches.id,
    })
    .from(savedViews)
    .innerJoin(users, eq(users.id, savedViews.ownerUserId))
    .leftJoin(watches, and(eq(watches.viewId, savedViews.id), eq(watches.userId, userId)))
    .where(id === undefined ? visible : and(visible, eq(savedViews.id, id)))
    .orderBy(asc(savedViews.name), asc(savedViews.id));
  return rows.map((r): SavedView => ({
    id: r.id,
    name: r.name,
    path: r.path,
    shared: r.shared,
    owner: { name: r.ownerName },
    mine: r.ownerUserId === userId,
    watched: r.watchId !== null,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  }));
}

/** The user's own views and those shared with the team, by name. */
export async function listViews(userId: string, db: Reader = getDb()): Promise<SavedView[]> {
  return viewRows(db, userId);
}

/** A view the user may see; someone else's private view is not found. */
export async function getView(
  id: number,
  userId: string,
  db: Reader = getDb(),
): Promise<SavedView | undefined> {
  return (await viewRows(db, userId, id))[0];
}

function checkedPath(path: string): string {
  const parsed = parseViewPath(path);
  if (!parsed.success) throw new InputError(parsed.errors);
  return parsed.view.path;
}

export async function createView(user: ViewUser, input: ViewInput, db: Db = getDb()): Promise<SavedView> {
  const path = checkedPath(input.path);
  return db.write(async (tx) => {
    const [{ id }] = (await tx
      .insert(savedViews)
      .values({ ownerUserId: user.id, name: input.name, path, shared: input.shared })
      .returning({ id: savedViews.id })) as [{ id: number }];
    return (await viewRows(tx, user.id, id))[0]!;
  });
}

/** Rename or share/unshare: the owner only. */
export async function updateView(
  id: number,
  user: ViewUser,
  patch: ViewPatch,
  db: Db = getDb(),
): Promise<SavedView> {
  return db.write(async (tx) => {
    const [view] = await viewRows(tx, user.id, id);
    if (!view) throw new NotFoundError("View");
    if (!view.mine) throw new ForbiddenError("Only the owner can rename, share or unshare this view");
    await tx
      .update(savedViews)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(savedViews.id, id));
    return (await viewRows(tx, user.id, id))[0]!;
  });
}

/** The owner deletes a view; an admin may also delete a shared one. Its watches go with it. */
export async function deleteView(id: number, user: ViewUser, db: Db = getDb()): Promise<void> {
  await db.write(async (tx) => {
    const [view] = await viewRows(tx, user.id, id);
    if (!view) throw new NotFoundError("View");
    if (!view.mine && user.role !== "admin")
      throw new ForbiddenError("Only the owner or an admin can delete this view");
    await tx.delete(savedViews).where(eq(savedViews.id, id));
  });
}

// ---------------------------------------------------------------------------------------------
// Watches

export type WatchTarget = { kind: WatchKind; id: number };

const targetColumn = (kind: WatchKind) =>
  kind === "company" ? watches.companyId : kind === "technology" ? watches.technologyId : watches.viewId;

async function targetExists(tx: Reader, target: WatchTarget, userId: string): Promise<boolean> {
  if (target.kind === "view") return Boolean((await viewRows(tx, userId, target.id))[0]);
  const table = target.kind === "company" ? companies : technologies;
  const [row] = await tx.select({ id: table.id }).from(table).where(eq(table.id, target.id));
  return Boolean(row);
}

export async function newestRevisionId(db: Reader): Promise<number> {
  const [row] = await db.select({ id: max(revisions.id) }).from(revisions);
  return row?.id ?? 0;
}

/** Starts watching; watching twice is one watch. Only what changes from now on reaches the inbox. */
export async function watch(userId: string, target: WatchTarget, db: Db = getDb()): Promise<void> {
  await db.write(async (tx) => {
    if (!(await targetExists(tx, target, userId)))
      throw new NotFoundError(
        target.kind === "view" ? "View" : target.kind === "company" ? "Company" : "Technology area",
      );
    await tx
      .insert(watches)
      .values({
        userId,
        kind: target.kind,
        companyId: target.kind === "company" ? target.id : null,
        technologyId: target.kind === "technology" ? target.id : null,
        viewId: target.kind === "view" ? target.id : null,
        sinceRevisionId: await newestRevisionId(tx),
      })
      .onConflictDoNothing();
  });
}

export async function unwatch(userId: string, target: WatchTarget, db: Db = getDb()): Promise<void> {
  await db.write((tx) =>
    tx.delete(watches).where(and(eq(watches.userId, userId), eq(targetColumn(target.kind), target.id))),
  );
}

export async function isWatching(
  userId: string,
  target: WatchTarget,
  db: Reader = getDb(),
): Promise<boolean> {
  const [row] = await db
    .select({ id: watches.id })
    .from(watches)
    .where(and(eq(watches.userId, userId), eq(targetColumn(target.kind), target.id)))
    .limit(1);
  return Boolean(row);
}
