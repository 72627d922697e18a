import "server-only";
import type { Tx } from "../core/connection";
import { recordRevisions, type MergeKind, type RecordAction } from "../schema";

// The audit trail every write leaves: who acted, and the history rows of companies and technology
// areas. Deal revisions (db/deals/deal-writes.ts) and the merge log (db/directory/records.ts) take their actor
// columns from here too, so every history row names its author the same way.

/** Who made a change: a user, an API token, or a named process ("seed"). */
export type Actor = { name: string; userId?: string | null; tokenId?: number | null };

/** The name a history row shows for the actor. */
export const actorName = (actor: Actor | string) => (typeof actor === "string" ? actor : actor.name);

/** The actor columns of a history row (revisions, record revisions, merges). */
export function actorColumns(actor: Actor | string) {
  const who = typeof actor === "string" ? { name: actor } : actor;
  return { actor: who.name, actorUserId: who.userId ?? null, actorTokenId: who.tokenId ?? null };
}

type RecordSnapshot = Record<string, unknown> | null;

export type RecordRevision = {
  entity: MergeKind;
  entityId: number;
  version: number;
  action: RecordAction;
  actor: Actor | string;
  /** What the record was before and after the change; null when it did not exist. */
  before: RecordSnapshot;
  after: RecordSnapshot;
  mergeId?: number | null;
};

/** A company's or technology area's history entry, in the same transaction as the change. */
export async function writeRecordRevision(tx: Tx, r: RecordRevision): Promise<void> {
  const keys = Object.keys(r.after ?? r.before ?? {});
  await tx.insert(recordRevisions).values({
    entity: r.entity,
    entityId: r.entityId,
    version: r.version,
    action: r.action,
    ...actorColumns(r.actor),
    changedFields: keys.filter((k) => JSON.stringify(r.before?.[k]) !== JSON.stringify(r.after?.[k])),
    before: r.before,
    after: r.after,
    mergeId: r.mergeId ?? null,
  });
}

type MergedRecord = { id: number; version: number; before: RecordSnapshot };

/**
 * The two history entries of a merge or its undo: the survivor's, and the merged record's, which
 * the merge ends (no `after`) and the undo begins again (no `before`). `read` gives a record's
 * snapshot as it is now, for the `after` sides.
 */
export async function writeMergeRevisions(
  tx: Tx,
  m: {
    entity: MergeKind;
    action: "merge" | "unmerge";
    actor: Actor | string;
    mergeId: number;
    read: (id: number) => Promise<RecordSnapshot>;
    survivor: MergedRecord;
    merged: MergedRecord;
  },
): Promise<void> {
  const { entity, action, actor, mergeId } = m;
  const revision = (r: MergedRecord, after: RecordSnapshot) =>
    writeRecordRevision(tx, {
      entity,
      entityId: r.id,
      version: r.version,
      action,
      actor,
      before: r.before,
      after,
      mergeId,
    });
  await revision(m.survivor, await m.read(m.survivor.id));
  await revision(m.merged, action === "merge" ? null : await m.read(m.merged.id));
}
