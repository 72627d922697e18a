import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "../core/index";
import type { Reader } from "../core/connection";
import { takeDealWriteTurn } from "../core/write-order";
import { isPg } from "../core/dialect";
import { actorName, type Actor } from "../audit/revisions";
import { merges, recordRevisions, type MergeKind } from "../schema";
import { NotFoundError, RefusedError } from "../core/errors";
import type { RecordRevisionView } from "../types";
import { undoCompanyMerge } from "./companies";
import { recordTable } from "./records";
import { undoTechnologyMerge } from "./technologies";
import { revisionView } from "../audit/revision-view";

// The merge log's undo and the history of companies and areas, for both kinds at once. What a merge
// of each kind does is in db/directory/companies.ts and db/directory/technologies.ts, what they share in db/directory/records.ts.

/**
 * Undoes a merge exactly, or refuses (RefusedError) without changing anything when it no longer applies.
 * The merged record comes back under its old id: ids on PostgreSQL are identity columns, and that id
 * was issued by their sequence before, so the sequence is already past it.
 */
export async function undoMerge(mergeId: number, actor: Actor | string, db: Db = getDb()) {
  return db.write(async (tx) => {
    // First, before anything that decides which deals to recount is read: on PostgreSQL a deal saved
    // meanwhile would otherwise be counted under the old country, group or area (db/core/write-order.ts).
    await takeDealWriteTurn(tx);
    const query = tx.select().from(merges).where(eq(merges.id, mergeId));
    // Locked on PostgreSQL: a second undo of the same merge waits, then finds it undone.
    const [merge] = await (isPg ? query.for("update") : query);
    if (!merge) throw new NotFoundError(`Merge ${mergeId}`);
    if (merge.undoneAt)
      throw new RefusedError(`This merge was already undone by ${merge.undoneBy ?? "someone"}.`);
    const restored =
      merge.kind === "company"
        ? await undoCompanyMerge(tx, merge, actor)
        : await undoTechnologyMerge(tx, merge, actor);
    await tx
      .update(merges)
      .set({ undoneAt: new Date(), undoneBy: actorName(actor) })
      .where(eq(merges.id, mergeId));
    return { mergeId, ...restored };
  });
}

// ---------------------------------------------------------------------------------------------
// History of companies and areas

export async function listRecordRevisions(
  filter: { entity?: MergeKind; entityId?: number; limit?: number } = {},
  db: Reader = getDb(),
): Promise<RecordRevisionView[]> {
  const rows = await db
    .select({ revision: recordRevisions, merge: merges })
    .from(recordRevisions)
    .leftJoin(merges, eq(merges.id, recordRevisions.mergeId))
    .where(
      and(
        filter.entity ? eq(recordRevisions.entity, filter.entity) : undefined,
        filter.entityId ? eq(recordRevisions.entityId, filter.entityId) : undefined,
      ),
    )
    .orderBy(sql`${recordRevisions.id} DESC`)
    .limit(filter.limit ?? 50);
  const names = async (entity: MergeKind) => {
    const ids = rows.filter((r) => r.revision.entity === entity).map((r) => r.revision.entityId);
    if (!ids.length) return new Map<number, { name: string; slug: string }>();
    const t = recordTable(entity);
    const found = await db.select({ id: t.id, name: t.name, slug: t.slug }).from(t).where(inArray(t.id, ids));
    return new Map(found.map((r) => [r.id, r]));
  };
  const [companyNames, areaNames] = await Promise.all([names("company"), names("technology")]);
  return rows.map(({ revision: r, merge: m }) => {
    const live = (r.entity === "company" ? companyNames : areaNames).get(r.entityId);
    const snapshot = (r.after ?? r.before ?? {}) as { name?: string };
    return {
      id: r.id,
      entity: r.entity,
      entityId: r.entityId,
      entityName: live?.name ?? snapshot.name ?? `#${r.entityId}`,
      entitySlug: live?.slug ?? null,
      ...revisionView(r),
      merge: m
        ? { id: m.id, undone: m.undoneAt !== null, sourceName: m.sourceName, targetName: m.targetName }
        : null,
    };
  });
}
