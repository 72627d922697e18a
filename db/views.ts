import "server-only";
import { and, asc, eq, max, or } from "drizzle-orm";
import { parseViewPath, type ViewInput, type ViewPatch } from "@/lib/saved-views";
import type { UserRole, WatchKind } from "@/lib/enums";
import { getDb, type Db } from "./index";
import { ForbiddenError, InputError, NotFoundError } from "./errors";
import type { Reader } from "./connection";
import { companies, revisions, savedViews, technologies, users, watches } from "./schema";
import type { SavedView } from "./types";

// Saved views and watches: what a user follows. A private view is someone else's business, so to
// anyone but its owner it does not exist (404); a shared one is seen by all and changed by its owner.

export type ViewUser = { id: string; role: UserRole };

const iso = (d: Date) => d.toISOString();

function viewRows(db: Reader, userId: string, id?: number) {
  const visible = or(eq(savedViews.ownerUserId, userId), eq(savedViews.shared, true));
  return db
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
    .orderBy(asc(savedViews.name), asc(savedViews.id))
    .all()
    .map((r): SavedView => ({
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
export function listViews(userId: string, db: Reader = getDb()): SavedView[] {
  return viewRows(db, userId);
}

/** A view the user may see; someone else's private view is not found. */
export function getView(id: number, userId: string, db: Reader = getDb()): SavedView | undefined {
  return viewRows(db, userId, id)[0];
}

function checkedPath(path: string): string {
  const parsed = parseViewPath(path);
  if (!parsed.success) throw new InputError(parsed.errors);
  return parsed.view.path;
}

export function createView(user: ViewUser, input: ViewInput, db: Db = getDb()): SavedView {
  const path = checkedPath(input.path);
  return db.transaction((tx) => {
    const { id } = tx
      .insert(savedViews)
      .values({ ownerUserId: user.id, name: input.name, path, shared: input.shared })
      .returning({ id: savedViews.id })
      .get();
    return viewRows(tx, user.id, id)[0]!;
  });
}

/** Rename or share/unshare: the owner only. */
export function updateView(id: number, user: ViewUser, patch: ViewPatch, db: Db = getDb()): SavedView {
  return db.transaction((tx) => {
    const view = viewRows(tx, user.id, id)[0];
    if (!view) throw new NotFoundError("View");
    if (!view.mine) throw new ForbiddenError("Only the owner can rename, share or unshare this view");
    tx.update(savedViews)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(savedViews.id, id))
      .run();
    return viewRows(tx, user.id, id)[0]!;
  });
}

/** The owner deletes a view; an admin may also delete a shared one. Its watches go with it. */
export function deleteView(id: number, user: ViewUser, db: Db = getDb()): void {
  db.transaction((tx) => {
    const view = viewRows(tx, user.id, id)[0];
    if (!view) throw new NotFoundError("View");
    if (!view.mine && user.role !== "admin")
      throw new ForbiddenError("Only the owner or an admin can delete this view");
    tx.delete(savedViews).where(eq(savedViews.id, id)).run();
  });
}

// ---------------------------------------------------------------------------------------------
// Watches

export type WatchTarget = { kind: WatchKind; id: number };

const targetColumn = (kind: WatchKind) =>
  kind === "company" ? watches.companyId : kind === "technology" ? watches.technologyId : watches.viewId;

function targetExists(tx: Reader, target: WatchTarget, userId: string): boolean {
  if (target.kind === "view") return Boolean(viewRows(tx, userId, target.id)[0]);
  const table = target.kind === "company" ? companies : technologies;
  return Boolean(tx.select({ id: table.id }).from(table).where(eq(table.id, target.id)).get());
}

export function newestRevisionId(db: Reader): number {
  return (
    db
      .select({ id: max(revisions.id) })
      .from(revisions)
      .get()?.id ?? 0
  );
}

/** Starts watching; watching twice is one watch. Only what changes from now on reaches the inbox. */
export function watch(userId: string, target: WatchTarget, db: Db = getDb()): void {
  db.transaction((tx) => {
    if (!targetExists(tx, target, userId))
      throw new NotFoundError(
        target.kind === "view" ? "View" : target.kind === "company" ? "Company" : "Technology area",
      );
    tx.insert(watches)
      .values({
        userId,
        kind: target.kind,
        companyId: target.kind === "company" ? target.id : null,
        technologyId: target.kind === "technology" ? target.id : null,
        viewId: target.kind === "view" ? target.id : null,
        sinceRevisionId: newestRevisionId(tx),
      })
      .onConflictDoNothing()
      .run();
  });
}

export function unwatch(userId: string, target: WatchTarget, db: Db = getDb()): void {
  db.transaction((tx) => {
    tx.delete(watches)
      .where(and(eq(watches.userId, userId), eq(targetColumn(target.kind), target.id)))
      .run();
  });
}

export function isWatching(userId: string, target: WatchTarget, db: Reader = getDb()): boolean {
  return Boolean(
    db
      .select({ id: watches.id })
      .from(watches)
      .where(and(eq(watches.userId, userId), eq(targetColumn(target.kind), target.id)))
      .get(),
  );
}
