import "server-only";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { labelKey, slugify } from "@/lib/names";
import { getDb, type Db } from "../core/index";
import { affectedRows, type Reader, type Tx } from "../core/connection";
import { takeDealWriteTurn } from "../core/write-order";
import { writeMergeRevisions, writeRecordRevision, type Actor } from "../audit/revisions";
import { withNarrowerAreas } from "../stats/filters";
import { audienceOf, type Viewer } from "../accounts/visibility";
import { findTechnologyId } from "./lookups";
import { countDeals, dealsOf } from "../stats/stat-counts";
import { refreshDealCells } from "../deals/deal-writes";
import { uniqueSlug } from "./directory";
import {
  briefs,
  dealSnapshots,
  lockForWrite,
  lockRows,
  makesCycle,
  moveSlug,
  mustRecord,
  NoChange,
  recordMerge,
  recordName,
  ref,
  resolveMergeTarget,
  resolveSlug,
  unix,
  writeDealRevisions,
} from "./records";
import { dealTechnologies, merges, technologies, technologySlugs } from "../schema";
import { ConflictError, InputError, RefusedError } from "../core/errors";
import type { FieldErrors, TechnologyPatch } from "../../lib/validation";
import type { MergePreview } from "../types";

// Editing, merging and un-merging technology areas. What companies share with this is in
// db/directory/records.ts; areas have no aliases, so a merged name keeps finding the survivor by its slug.

export async function resolveTechnologySlug(slug: string, db: Reader = getDb()) {
  return resolveSlug("technology", slug, db);
}

/** Rewrites the CSV cells of these deals (area names are in them; search rows hold none). */
async function refreshTechnologyDeals(tx: Tx, dealIds: number[]) {
  if (!dealIds.length) return;
  await refreshDealCells(tx, inArray(sql`d.id`, dealIds));
}

/** What an area's history entries record. */
async function technologyRecord(tx: Reader, id: number) {
  const [row] = await tx.select().from(technologies).where(eq(technologies.id, id)).limit(1);
  const parent = row!.parentId ? await recordName(tx, "technology", row!.parentId) : null;
  return { name: row!.name, slug: row!.slug, parent, synonyms: row!.synonyms ?? [] };
}

async function dealsWithTechnology(tx: Reader, id: number) {
  const rows = await tx
    .select({ dealId: dealTechnologies.dealId })
    .from(dealTechnologies)
    .where(eq(dealTechnologies.technologyId, id));
  return rows.map((r) => r.dealId);
}

export async function getTechnology(slug: string, db: Reader = getDb()) {
  const found = await resolveSlug("technology", slug, db);
  if (!found) return undefined;
  const [[row], narrower] = await Promise.all([
    db.select().from(technologies).where(eq(technologies.id, found.id)).limit(1),
    db
      .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
      .from(technologies)
      .where(eq(technologies.parentId, found.id))
      .orderBy(asc(technologies.name)),
  ]);
  const [parent] = row!.parentId
    ? await db
        .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
        .from(technologies)
        .where(eq(technologies.id, row!.parentId))
        .limit(1)
    : [];
  return {
    id: row!.id,
    name: row!.name,
    slug: row!.slug,
    version: row!.version,
    synonyms: row!.synonyms ?? [],
    parent: parent ?? null,
    narrower,
    redirect: found.redirect,
  };
}

// ---------------------------------------------------------------------------------------------
// Edit an area

export async function updateTechnology(
  slug: string,
  patch: TechnologyPatch,
  actor: Actor | string,
  db: Db = getDb(),
) {
  let id = 0;
  try {
    await db.write(async (tx) => {
      // First, before anything that decides which deals to recount is read: on PostgreSQL a deal saved
      // meanwhile would otherwise be counted under the old country, group or area (db/core/write-order.ts).
      await takeDealWriteTurn(tx);
      const { current } = await lockForWrite(tx, "technology", slug);
      id = current.id;
      if (current.version !== patch.version)
        throw new ConflictError(current.version, patch.version, "technology area");
      const before = await technologyRecord(tx, current.id);
      const name = patch.name ?? current.name;
      const errors: FieldErrors = {};
      const owner = await findTechnologyId(tx, name);
      if (owner && owner !== current.id) errors.name = [`"${name}" already exists`];
      let parentId = current.parentId;
      if (patch.parent !== undefined) {
        parentId = patch.parent ? ((await findTechnologyId(tx, patch.parent)) ?? null) : null;
        if (patch.parent && !parentId) errors.parent = [`No technology area called "${patch.parent}"`];
        else if (parentId === current.id) errors.parent = ["An area cannot be its own broader area"];
        else if (parentId && (await makesCycle(tx, "technology", current.id, parentId)))
          errors.parent = ["That broader area is itself narrower than this one: it would make a cycle"];
      }
      if (Object.keys(errors).length) throw new InputError(errors);
      let newSlug = current.slug;
      if (patch.changeSlug && slugify(name) !== current.slug) {
        newSlug = await uniqueSlug(tx, "technology", name, current.id);
        await moveSlug(tx, "technology", current, newSlug);
      }
      // A new broader area changes what Roll up counts the area's (and its narrower areas') deals under.
      const regrouped =
        parentId !== current.parentId
          ? await dealsOf(tx, "technology", await withNarrowerAreas(tx, [current.id]))
          : null;
      if (regrouped) await countDeals(tx, regrouped, -1);
      const updated = await tx
        .update(technologies)
        .set({
          name,
          nameKey: labelKey(name),
          slug: newSlug,
          parentId,
          synonyms: patch.synonyms ?? current.synonyms,
          version: current.version + 1,
        })
        .where(and(eq(technologies.id, current.id), eq(technologies.version, current.version)));
      if (affectedRows(updated) !== 1)
        throw new ConflictError(current.version + 1, patch.version, "technology area");
      if (regrouped) await countDeals(tx, regrouped, 1);
      const after = await technologyRecord(tx, current.id);
      if (JSON.stringify(before) === JSON.stringify(after)) throw new NoChange();
      await writeRecordRevision(tx, {
        entity: "technology",
        entityId: current.id,
        version: current.version + 1,
        action: "update",
        actor,
        before,
        after,
      });
      if (before.name !== after.name)
        await refreshTechnologyDeals(tx, await dealsWithTechnology(tx, current.id));
    });
  } catch (error) {
    if (!(error instanceof NoChange)) throw error;
  }
  const [row] = await db
    .select({ slug: technologies.slug })
    .from(technologies)
    .where(eq(technologies.id, id))
    .limit(1);
  return (await getTechnology(row!.slug, db))!;
}

// ---------------------------------------------------------------------------------------------
// Merge areas

type TechnologyMergePayload = {
  source: Omit<typeof technologies.$inferSelect, "createdAt"> & { createdAt: number };
  moved: number[];
  collapsed: number[];
  children: number[];
  slugs: string[];
  targetParentWas: number | null;
};

async function technologyMergePlan(tx: Reader, source: typeof technologies.$inferSelect, targetId: number) {
  const [[target], sourceDeals, targetDeals, children] = await Promise.all([
    tx.select().from(technologies).where(eq(technologies.id, targetId)).limit(1),
    dealsWithTechnology(tx, source.id),
    dealsWithTechnology(tx, targetId),
    tx
      .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
      .from(technologies)
      .where(and(eq(technologies.parentId, source.id), ne(technologies.id, targetId)))
      .orderBy(asc(technologies.name)),
  ]);
  const shared = new Set(targetDeals);
  return {
    target: target!,
    moved: sourceDeals.filter((d) => !shared.has(d)),
    collapsed: sourceDeals.filter((d) => shared.has(d)),
    children,
  };
}

/** What merging would do, listing only the deals `viewer` may see. */
export async function previewTechnologyMerge(
  slug: string,
  into: string,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<MergePreview> {
  const source = await mustRecord(db, "technology", slug);
  const plan = await technologyMergePlan(
    db,
    source,
    await resolveMergeTarget(db, "technology", source.id, into),
  );
  const audience = await audienceOf(viewer, db);
  const [movedDeals, sharedDeals] = await Promise.all([
    briefs(db, plan.moved, audience),
    briefs(db, plan.collapsed, audience),
  ]);
  return {
    kind: "technology",
    source: ref(source),
    target: ref(plan.target),
    movedDeals,
    sharedDeals,
    blockingDeals: [],
    aliases: [],
    children: plan.children,
    nameBecomesAlias: null,
    canMerge: true,
  };
}

export async function mergeTechnologies(slug: string, into: string, actor: Actor | string, db: Db = getDb()) {
  const { targetSlug, mergeId } = await db.write(async (tx) => {
    // First, before anything that decides which deals to recount is read: on PostgreSQL a deal saved
    // meanwhile would otherwise be counted under the old country, group or area (db/core/write-order.ts).
    await takeDealWriteTurn(tx);
    const { current: source, targetId } = await lockForWrite(tx, "technology", slug, into);
    const plan = await technologyMergePlan(tx, source, targetId);
    const { target } = plan;
    const dealsBefore = await dealSnapshots(tx, [...plan.moved, ...plan.collapsed]);
    const targetBefore = await technologyRecord(tx, target.id);
    const sourceBefore = await technologyRecord(tx, source.id);
    const affected = await dealsOf(tx, "technology", await withNarrowerAreas(tx, [source.id, target.id]));
    await countDeals(tx, affected, -1);
    if (plan.collapsed.length)
      await tx
        .delete(dealTechnologies)
        .where(
          and(eq(dealTechnologies.technologyId, source.id), inArray(dealTechnologies.dealId, plan.collapsed)),
        );
    await tx
      .update(dealTechnologies)
      .set({ technologyId: target.id })
      .where(eq(dealTechnologies.technologyId, source.id));
    const children = plan.children.map((c) => c.id);
    if (children.length)
      await tx.update(technologies).set({ parentId: target.id }).where(inArray(technologies.id, children));
    const targetParentWas = target.parentId === source.id ? source.id : null;
    const oldSlugs = (
      await tx
        .select({ slug: technologySlugs.slug })
        .from(technologySlugs)
        .where(eq(technologySlugs.technologyId, source.id))
    ).map((r) => r.slug);
    await tx
      .update(technologySlugs)
      .set({ technologyId: target.id })
      .where(eq(technologySlugs.technologyId, source.id));
    await tx.insert(technologySlugs).values({ slug: source.slug, technologyId: target.id });
    // Areas have no aliases: the merged name, by its slug, keeps finding the survivor instead.
    const nameSlug = slugify(source.name);
    let nameSlugFree = false;
    if (nameSlug !== source.slug) {
      const { rows } = await tx.execute(
        sql`SELECT 1 FROM technologies WHERE slug = ${nameSlug} UNION ALL SELECT 1 FROM technology_slugs WHERE slug = ${nameSlug}`,
      );
      nameSlugFree = rows.length === 0;
    }
    if (nameSlugFree) await tx.insert(technologySlugs).values({ slug: nameSlug, technologyId: target.id });
    await tx
      .update(technologies)
      .set({
        version: target.version + 1,
        ...(targetParentWas ? { parentId: source.parentId === target.id ? null : source.parentId } : {}),
      })
      .where(eq(technologies.id, target.id));
    await tx.delete(technologies).where(eq(technologies.id, source.id));
    await countDeals(tx, affected, 1);
    const payload: TechnologyMergePayload = {
      source: { ...source, createdAt: unix(source.createdAt) },
      moved: plan.moved,
      collapsed: plan.collapsed,
      children,
      slugs: [source.slug, ...oldSlugs, ...(nameSlugFree ? [nameSlug] : [])],
      targetParentWas,
    };
    const mergeId = await recordMerge(tx, "technology", source, target, payload, actor);
    await refreshTechnologyDeals(tx, [...plan.moved, ...plan.collapsed]);
    await writeDealRevisions(tx, dealsBefore, "merge", actor);
    await writeMergeRevisions(tx, {
      entity: "technology",
      action: "merge",
      actor,
      mergeId,
      read: (id) => technologyRecord(tx, id),
      survivor: { id: target.id, version: target.version + 1, before: targetBefore },
      merged: { id: source.id, version: source.version, before: sourceBefore },
    });
    return { targetSlug: target.slug, mergeId };
  });
  return { technology: (await getTechnology(targetSlug, db))!, mergeId };
}

/** Gives the merged area back under its old id (db/directory/merges.ts undoMerge runs this in its write). */
export async function undoTechnologyMerge(tx: Tx, merge: typeof merges.$inferSelect, actor: Actor | string) {
  const p = merge.payload as TechnologyMergePayload;
  const [target] = await lockRows(tx, "technology", [merge.targetId]);
  if (!target)
    throw new RefusedError(`${merge.targetName} no longer exists, so this merge cannot be undone.`);
  const stillThere = new Set(await dealsWithTechnology(tx, target.id));
  const gone = p.moved.find((d) => !stillThere.has(d));
  if (gone !== undefined)
    throw new RefusedError(
      `Deal #${gone} no longer has the area ${target.name}, so the area the merge moved cannot be given back. Nothing was changed.`,
    );
  const owner = await findTechnologyId(tx, p.source.name);
  if (owner && owner !== target.id)
    throw new RefusedError(`"${p.source.name}" now names another area. Nothing was changed.`);
  if (owner === target.id && labelKey(target.name) === labelKey(p.source.name))
    throw new RefusedError(`${target.name} now has the merged area's name. Nothing was changed.`);
  const [slugTaken] = await tx
    .select({ id: technologies.id })
    .from(technologies)
    .where(eq(technologies.slug, p.source.slug))
    .limit(1);
  if (slugTaken)
    throw new RefusedError(
      `Another area now has the address /technologies/${p.source.slug}. Nothing was changed.`,
    );
  const dealsBefore = await dealSnapshots(tx, [...p.moved, ...p.collapsed]);
  const targetBefore = await technologyRecord(tx, target.id);
  const affected = await dealsOf(tx, "technology", await withNarrowerAreas(tx, [target.id]));
  await countDeals(tx, affected, -1);
  await tx
    .delete(technologySlugs)
    .where(and(inArray(technologySlugs.slug, p.slugs), eq(technologySlugs.technologyId, target.id)));
  const [parent] = p.source.parentId
    ? await tx
        .select({ id: technologies.id })
        .from(technologies)
        .where(eq(technologies.id, p.source.parentId))
    : [];
  await tx.insert(technologies).values({
    ...p.source,
    parentId: parent ? p.source.parentId : null,
    version: p.source.version + 1,
    createdAt: new Date(p.source.createdAt * 1000),
  });
  if (p.slugs.length > 1)
    await tx
      .insert(technologySlugs)
      .values(p.slugs.slice(1).map((slug) => ({ slug, technologyId: p.source.id })))
      .onConflictDoNothing();
  if (p.moved.length)
    await tx
      .update(dealTechnologies)
      .set({ technologyId: p.source.id })
      .where(and(eq(dealTechnologies.technologyId, target.id), inArray(dealTechnologies.dealId, p.moved)));
  if (p.collapsed.length)
    await tx
      .insert(dealTechnologies)
      .values(p.collapsed.map((dealId) => ({ dealId, technologyId: p.source.id })))
      .onConflictDoNothing();
  if (p.children.length)
    await tx
      .update(technologies)
      .set({ parentId: p.source.id })
      .where(and(inArray(technologies.id, p.children), eq(technologies.parentId, target.id)));
  await tx
    .update(technologies)
    .set({ version: target.version + 1, ...(p.targetParentWas ? { parentId: p.source.id } : {}) })
    .where(eq(technologies.id, target.id));
  await countDeals(tx, affected, 1);
  await refreshTechnologyDeals(tx, [...p.moved, ...p.collapsed]);
  await writeDealRevisions(tx, dealsBefore, "unmerge", actor);
  await writeMergeRevisions(tx, {
    entity: "technology",
    action: "unmerge",
    actor,
    mergeId: merge.id,
    read: (id) => technologyRecord(tx, id),
    survivor: { id: target.id, version: target.version + 1, before: targetBefore },
    merged: { id: p.source.id, version: p.source.version + 1, before: null },
  });
  return { kind: "technology" as const, slug: p.source.slug };
}
