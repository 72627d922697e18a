import "server-only";
import { and, asc, eq, inArray, ne, or, sql } from "drizzle-orm";
import { companyKey, slugify } from "@/lib/names";
import { getDb, type Db } from "../core/index";
import { affectedRows, type Reader, type Tx } from "../core/connection";
import { takeDealWriteTurn } from "../core/write-order";
import { writeMergeRevisions, writeRecordRevision, type Actor } from "../audit/revisions";
import { findCompanyId } from "./lookups";
import { getCompanyBySlug, uniqueSlug } from "./directory";
import { refreshSearchRows } from "../deals/search";
import { countDeals, dealsOf } from "../stats/stat-counts";
import { withSubsidiaries } from "../stats/filters";
import { audienceOf, PUBLIC_VIEWER, type Viewer } from "../accounts/visibility";
import { clearCompanyCsvLines } from "../deals/csv-lines";
import { refreshDealCells } from "../deals/deal-writes";
import { enqueueEvent } from "../follow/webhooks";
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
import {
  companies,
  companyAliases,
  companyNonDuplicates,
  companySlugs,
  dealParties,
  merges,
} from "../schema";
import { ConflictError, InputError, RefusedError } from "../core/errors";
import type { CompanyPatch, FieldErrors } from "../../lib/validation";
import type { DealBrief, MergePreview } from "../types";

// Editing, merging and un-merging companies. Like every write, each is one transaction with its
// revision rows; a merge also writes a revision on every deal whose parties it changed.
// What technology areas share with this is in db/directory/records.ts.

/** The company a slug names now or named before; `redirect` is its current slug when they differ. */
export async function resolveCompanySlug(slug: string, db: Reader = getDb()) {
  return resolveSlug("company", slug, db);
}

/** Rewrites the search rows and CSV cells of every deal these companies are parties to. */
async function refreshCompanyDealRows(tx: Tx, companyIds: number[]) {
  const theirDeals = inArray(
    sql`d.id`,
    tx.select({ id: dealParties.dealId }).from(dealParties).where(inArray(dealParties.companyId, companyIds)),
  );
  await refreshSearchRows(tx, theirDeals);
  await refreshDealCells(tx, theirDeals);
}

/** What a company's history entries record. */
async function companyRecord(tx: Reader, id: number) {
  const [[row], aliases] = await Promise.all([
    tx.select().from(companies).where(eq(companies.id, id)).limit(1),
    tx
      .select({ alias: companyAliases.alias })
      .from(companyAliases)
      .where(eq(companyAliases.companyId, id))
      .orderBy(asc(companyAliases.id)),
  ]);
  const parent = row!.parentId ? await recordName(tx, "company", row!.parentId) : null;
  return {
    name: row!.name,
    slug: row!.slug,
    aliases: aliases.map((a) => a.alias),
    country: row!.country,
    sector: row!.sector,
    lei: row!.lei,
    wikidataId: row!.wikidataId,
    ticker: row!.ticker,
    website: row!.website,
    parent,
  };
}

// ---------------------------------------------------------------------------------------------
// Edit a company

/** The columns a PATCH sets as given (validated codes and identifiers; null clears). */
const REFERENCE_FIELDS = ["country", "sector", "lei", "wikidataId", "ticker", "website"] as const;

export async function updateCompany(
  slug: string,
  patch: CompanyPatch,
  actor: Actor | string,
  db: Db = getDb(),
) {
  let id = 0;
  try {
    await db.write(async (tx) => {
      // First, before anything that decides which deals to recount is read: on PostgreSQL a deal saved
      // meanwhile would otherwise be counted under the old country, group or area (db/core/write-order.ts).
      await takeDealWriteTurn(tx);
      const { current } = await lockForWrite(tx, "company", slug);
      id = current.id;
      if (current.version !== patch.version)
        throw new ConflictError(current.version, patch.version, "company");
      const before = await companyRecord(tx, current.id);
      const name = patch.name ?? current.name;
      let aliases = patch.aliases ?? before.aliases;
      if (
        name !== current.name &&
        patch.keepOldName &&
        !aliases.some((a) => a.toLowerCase() === current.name.toLowerCase())
      )
        aliases = [...aliases, current.name];
      // An alias promoted to the name is no longer an alias.
      aliases = aliases.filter((a) => a.toLowerCase() !== name.toLowerCase());

      const errors: FieldErrors = {};
      const other = async (text: string) => {
        const owner = await findCompanyId(tx, text);
        return owner && owner !== current.id ? owner : undefined;
      };
      const nameOwner = await other(name);
      if (nameOwner) errors.name = [`"${name}" already names ${await recordName(tx, "company", nameOwner)}`];
      for (const [i, alias] of aliases.entries()) {
        const owner = await other(alias);
        if (owner)
          errors[`aliases.${i}`] = [`"${alias}" already names ${await recordName(tx, "company", owner)}`];
      }
      let parentId = current.parentId;
      if (patch.parent !== undefined) {
        parentId = patch.parent ? ((await findCompanyId(tx, patch.parent)) ?? null) : null;
        if (patch.parent && !parentId) errors.parent = [`No company called "${patch.parent}"`];
        else if (parentId === current.id) errors.parent = ["A company cannot be its own parent"];
        else if (parentId && (await makesCycle(tx, "company", current.id, parentId)))
          errors.parent = [
            `${await recordName(tx, "company", parentId)} is part of ${current.name}: that would make a cycle`,
          ];
      }
      if (Object.keys(errors).length) throw new InputError(errors);

      let newSlug = current.slug;
      if (patch.changeSlug && slugify(name) !== current.slug) {
        newSlug = await uniqueSlug(tx, "company", name, current.id);
        await moveSlug(tx, "company", current, newSlug);
      }
      // A new parent group moves the company's deals from one group's counts to another's; a new
      // country or sector moves them, and its subsidiaries' (which take theirs from it when rolled
      // up), between the geography counts.
      const changed = (key: "country" | "sector") => patch[key] !== undefined && patch[key] !== current[key];
      const relocated = changed("country") || changed("sector");
      const regrouped =
        parentId !== current.parentId || relocated
          ? await dealsOf(tx, "company", relocated ? await withSubsidiaries(tx, [current.id]) : [current.id])
          : null;
      if (regrouped) await countDeals(tx, regrouped, -1);
      const updated = await tx
        .update(companies)
        .set({
          name,
          nameKey: companyKey(name),
          slug: newSlug,
          ...Object.fromEntries(
            REFERENCE_FIELDS.map((key) => [key, patch[key] === undefined ? current[key] : patch[key]]),
          ),
          parentId,
          version: current.version + 1,
          updatedAt: new Date(),
        })
        .where(and(eq(companies.id, current.id), eq(companies.version, current.version)));
      if (affectedRows(updated) !== 1) throw new ConflictError(current.version + 1, patch.version, "company");
      if (regrouped) await countDeals(tx, regrouped, 1);
      // The deals CSV shows each party's country and sector (not its group's).
      if (relocated) await clearCompanyCsvLines(tx, [current.id]);
      await tx.delete(companyAliases).where(eq(companyAliases.companyId, current.id));
      if (aliases.length)
        await tx
          .insert(companyAliases)
          .values(aliases.map((alias) => ({ companyId: current.id, alias, aliasKey: companyKey(alias) })));
      const after = await companyRecord(tx, current.id);
      if (JSON.stringify(before) === JSON.stringify(after)) throw new NoChange();
      await writeRecordRevision(tx, {
        entity: "company",
        entityId: current.id,
        version: current.version + 1,
        action: "update",
        actor,
        before,
        after,
      });
      if (before.name !== after.name || JSON.stringify(before.aliases) !== JSON.stringify(after.aliases))
        await refreshCompanyDealRows(tx, [current.id]);
    });
  } catch (error) {
    if (!(error instanceof NoChange)) throw error;
  }
  const [row] = await db
    .select({ slug: companies.slug })
    .from(companies)
    .where(eq(companies.id, id))
    .limit(1);
  return (await getCompanyBySlug(row!.slug, undefined, db))!;
}

// ---------------------------------------------------------------------------------------------
// Merge companies

type PartyRow = { dealId: number; role: string; position: number };
type CompanyMergePayload = {
  source: Omit<typeof companies.$inferSelect, "createdAt" | "updatedAt"> & {
    createdAt: number;
    updatedAt: number;
  };
  aliases: string[];
  /** Aliases the merge added to the survivor (the merged name and its aliases it lacked). */
  addedAliases: string[];
  moved: PartyRow[];
  collapsed: PartyRow[];
  subsidiaries: number[];
  /** Slugs that redirected to the merged company, its own current slug first. */
  slugs: string[];
  /** The survivor's parent before the merge, when it was the merged company itself. */
  targetParentWas: number | null;
  /** "Not a duplicate" pairs that involved the merged company (deleted with it). */
  dismissed: [number, number][];
};

async function companyMergePlan(tx: Reader, source: typeof companies.$inferSelect, targetId: number) {
  const [[target], rows, aliases, children] = await Promise.all([
    tx.select().from(companies).where(eq(companies.id, targetId)).limit(1),
    tx
      .select({ dealId: dealParties.dealId, role: dealParties.role, position: dealParties.position })
      .from(dealParties)
      .where(eq(dealParties.companyId, source.id)),
    tx
      .select({ alias: companyAliases.alias })
      .from(companyAliases)
      .where(eq(companyAliases.companyId, source.id))
      .orderBy(asc(companyAliases.id)),
    tx
      .select({ id: companies.id, name: companies.name, slug: companies.slug })
      .from(companies)
      .where(and(eq(companies.parentId, source.id), ne(companies.id, targetId)))
      .orderBy(asc(companies.name)),
  ]);
  // Per deal of the source: is the target a party too, and how many parties other than the source?
  const others = rows.length
    ? await tx
        .select({
          dealId: dealParties.dealId,
          n: sql<number>`count(*)`.mapWith(Number),
          withTarget:
            sql<number>`sum(CASE WHEN ${dealParties.companyId} = ${targetId} THEN 1 ELSE 0 END)`.mapWith(
              Number,
            ),
        })
        .from(dealParties)
        .where(
          and(
            inArray(
              dealParties.dealId,
              rows.map((r) => r.dealId),
            ),
            ne(dealParties.companyId, source.id),
          ),
        )
        .groupBy(dealParties.dealId)
    : [];
  const byDeal = new Map(others.map((o) => [o.dealId, o]));
  const moved = rows.filter((r) => !byDeal.get(r.dealId)?.withTarget);
  const collapsed = rows.filter((r) => byDeal.get(r.dealId)?.withTarget);
  const blocking = collapsed.filter((r) => byDeal.get(r.dealId)!.n < 2);
  return { target: target!, moved, collapsed, blocking, aliases: aliases.map((a) => a.alias), children };
}

/**
 * What merging would do, as `viewer` may see it: the deals they may not see are neither listed nor
 * counted, though one that blocks the merge still blocks it (`canMerge`).
 */
export async function previewCompanyMerge(
  slug: string,
  into: string,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<MergePreview> {
  const source = await mustRecord(db, "company", slug);
  const targetId = await resolveMergeTarget(db, "company", source.id, into);
  const plan = await companyMergePlan(db, source, targetId);
  const audience = await audienceOf(viewer, db);
  const ids = (rows: PartyRow[]) => rows.map((r) => r.dealId);
  const [movedDeals, sharedDeals, blockingDeals] = await Promise.all([
    briefs(db, ids(plan.moved), audience),
    briefs(db, ids(plan.collapsed), audience),
    briefs(db, ids(plan.blocking), audience),
  ]);
  return {
    kind: "company",
    source: ref(source),
    target: ref(plan.target),
    movedDeals,
    sharedDeals,
    blockingDeals,
    aliases: plan.aliases,
    children: plan.children,
    nameBecomesAlias: source.name,
    canMerge: plan.blocking.length === 0,
  };
}

function blockedMessage(blocking: DealBrief[]) {
  // Only deals the merger may not see block it: they are not named, not even counted.
  if (!blocking.length)
    return "This merge would leave a deal with fewer than two parties; an administrator can fix it first.";
  const list = blocking.map((d) => `#${d.id} “${d.title}”`).join(", ");
  return `${blocking.length === 1 ? "This deal" : "These deals"} would be left with fewer than two parties: ${list}. Add another party or remove one of the two companies from ${blocking.length === 1 ? "it" : "them"} first.`;
}

/** Merges company `slug` into `into`; `viewer` is who merges (a refusal names only deals they may see). */
export async function mergeCompanies(
  slug: string,
  into: string,
  actor: Actor | string,
  viewer: Viewer = PUBLIC_VIEWER,
  db: Db = getDb(),
) {
  const { targetSlug, mergeId } = await db.write(async (tx) => {
    // First, before anything that decides which deals to recount is read: on PostgreSQL a deal saved
    // meanwhile would otherwise be counted under the old country, group or area (db/core/write-order.ts).
    await takeDealWriteTurn(tx);
    const { current: source, targetId } = await lockForWrite(tx, "company", slug, into);
    const plan = await companyMergePlan(tx, source, targetId);
    const { target } = plan;
    if (plan.blocking.length)
      throw new RefusedError(
        blockedMessage(
          await briefs(
            tx,
            plan.blocking.map((r) => r.dealId),
            await audienceOf(viewer, tx),
          ),
        ),
      );
    const dealIds = [...plan.moved, ...plan.collapsed].map((r) => r.dealId);
    const dealsBefore = await dealSnapshots(tx, dealIds);
    const targetBefore = await companyRecord(tx, target.id);
    const sourceBefore = await companyRecord(tx, source.id);
    // Their deals change parties, and the subsidiaries' deals change group.
    const affected = await dealsOf(tx, "company", [source.id, target.id, ...plan.children.map((c) => c.id)]);
    await countDeals(tx, affected, -1);

    if (plan.collapsed.length)
      await tx.delete(dealParties).where(
        and(
          eq(dealParties.companyId, source.id),
          inArray(
            dealParties.dealId,
            plan.collapsed.map((r) => r.dealId),
          ),
        ),
      );
    await tx.update(dealParties).set({ companyId: target.id }).where(eq(dealParties.companyId, source.id));

    const has = new Set(targetBefore.aliases.map((a) => a.toLowerCase()));
    has.add(target.name.toLowerCase());
    const addedAliases = [source.name, ...plan.aliases].filter((a) => {
      if (has.has(a.toLowerCase())) return false;
      has.add(a.toLowerCase());
      return true;
    });
    if (addedAliases.length)
      await tx
        .insert(companyAliases)
        .values(addedAliases.map((alias) => ({ companyId: target.id, alias, aliasKey: companyKey(alias) })));

    const subsidiaries = plan.children.map((c) => c.id);
    if (subsidiaries.length)
      await tx.update(companies).set({ parentId: target.id }).where(inArray(companies.id, subsidiaries));
    const targetParentWas = target.parentId === source.id ? source.id : null;

    const oldSlugs = (
      await tx
        .select({ slug: companySlugs.slug })
        .from(companySlugs)
        .where(eq(companySlugs.companyId, source.id))
    ).map((r) => r.slug);
    await tx.update(companySlugs).set({ companyId: target.id }).where(eq(companySlugs.companyId, source.id));
    await tx.insert(companySlugs).values({ slug: source.slug, companyId: target.id });

    await tx
      .update(companies)
      .set({
        version: target.version + 1,
        updatedAt: new Date(),
        ...(targetParentWas ? { parentId: source.parentId === target.id ? null : source.parentId } : {}),
      })
      .where(eq(companies.id, target.id));
    const dismissed = (
      await tx
        .select()
        .from(companyNonDuplicates)
        .where(or(eq(companyNonDuplicates.companyA, source.id), eq(companyNonDuplicates.companyB, source.id)))
    ).map((r): [number, number] => [r.companyA, r.companyB]);
    await tx.delete(companies).where(eq(companies.id, source.id));
    await countDeals(tx, affected, 1);

    const payload: CompanyMergePayload = {
      dismissed,
      source: { ...source, createdAt: unix(source.createdAt), updatedAt: unix(source.updatedAt) },
      aliases: plan.aliases,
      addedAliases,
      moved: plan.moved,
      collapsed: plan.collapsed,
      subsidiaries,
      slugs: [source.slug, ...oldSlugs],
      targetParentWas,
    };
    const mergeId = await recordMerge(tx, "company", source, target, payload, actor);
    await refreshCompanyDealRows(tx, [target.id]);
    await writeDealRevisions(tx, dealsBefore, "merge", actor);
    await writeMergeRevisions(tx, {
      entity: "company",
      action: "merge",
      actor,
      mergeId,
      read: (id) => companyRecord(tx, id),
      survivor: { id: target.id, version: target.version + 1, before: targetBefore },
      merged: { id: source.id, version: source.version, before: sourceBefore },
    });
    await enqueueEvent(tx, "company.merged", actor, () => ({
      merge: {
        id: mergeId,
        source: { id: source.id, name: source.name },
        target: { id: target.id, name: target.name, slug: target.slug },
      },
    }));
    return { targetSlug: target.slug, mergeId };
  });
  return { company: (await getCompanyBySlug(targetSlug, undefined, db))!, mergeId };
}

type CompanyMerge = typeof merges.$inferSelect;
type CompanyRow = typeof companies.$inferSelect;

/** Gives the merged company back under its old id (db/directory/merges.ts undoMerge runs this in its write). */
export async function undoCompanyMerge(tx: Tx, merge: CompanyMerge, actor: Actor | string) {
  const p = merge.payload as CompanyMergePayload;
  const target = await lockUndoSurvivor(tx, merge, p);
  const dealsBefore = await dealSnapshots(
    tx,
    [...p.moved, ...p.collapsed].map((r) => r.dealId),
  );
  const targetBefore = await companyRecord(tx, target.id);
  const affected = await dealsOf(tx, "company", [target.id, ...p.subsidiaries]);
  await countDeals(tx, affected, -1);

  await takeBackNames(tx, target.id, p);
  await restoreCompanyRow(tx, p);
  await giveBackParties(tx, target.id, p);
  await restoreDismissedPairs(tx, p.dismissed);
  if (p.subsidiaries.length)
    await tx
      .update(companies)
      .set({ parentId: p.source.id })
      .where(and(inArray(companies.id, p.subsidiaries), eq(companies.parentId, target.id)));
  await tx
    .update(companies)
    .set({
      version: target.version + 1,
      updatedAt: new Date(),
      ...(p.targetParentWas &&
      target.parentId === (p.source.parentId === target.id ? null : p.source.parentId)
        ? { parentId: p.source.id }
        : {}),
    })
    .where(eq(companies.id, target.id));
  await countDeals(tx, affected, 1);
  await refreshCompanyDealRows(tx, [target.id, p.source.id]);
  await writeDealRevisions(tx, dealsBefore, "unmerge", actor);
  await writeMergeRevisions(tx, {
    entity: "company",
    action: "unmerge",
    actor,
    mergeId: merge.id,
    read: (id) => companyRecord(tx, id),
    survivor: { id: target.id, version: target.version + 1, before: targetBefore },
    merged: { id: p.source.id, version: p.source.version + 1, before: null },
  });
  return { kind: "company" as const, slug: p.source.slug };
}

/** The survivor, locked; refused when it is gone or no longer a party to a deal the merge moved. */
async function lockUndoSurvivor(tx: Tx, merge: CompanyMerge, p: CompanyMergePayload): Promise<CompanyRow> {
  const [target] = await lockRows(tx, "company", [merge.targetId]);
  if (!target)
    throw new RefusedError(
      `${merge.targetName} no longer exists (merged or removed since), so this merge cannot be undone.`,
    );
  if (!p.moved.length) return target;
  const still = new Set(
    (
      await tx
        .select({ dealId: dealParties.dealId })
        .from(dealParties)
        .where(
          and(
            eq(dealParties.companyId, target.id),
            inArray(
              dealParties.dealId,
              p.moved.map((r) => r.dealId),
            ),
          ),
        )
    ).map((r) => r.dealId),
  );
  const gone = p.moved.find((r) => !still.has(r.dealId));
  if (gone)
    throw new RefusedError(
      `Deal #${gone.dealId} no longer lists ${target.name} as a party, so the party the merge moved cannot be given back. Nothing was changed.`,
    );
  return target;
}

/**
 * Takes the merged company's aliases and addresses back from the survivor, and refuses when one of
 * its names or its address or id has been taken since (the caller's write then rolls back).
 */
async function takeBackNames(tx: Tx, targetId: number, p: CompanyMergePayload) {
  if (p.addedAliases.length)
    await tx
      .delete(companyAliases)
      .where(and(eq(companyAliases.companyId, targetId), inArray(companyAliases.alias, p.addedAliases)));
  // The addresses go before the names are checked: look-ups match old addresses, and a merged
  // company's address is often its own name lower-cased ("Microsft" → microsft), which would read
  // as taken by the survivor (issue 19).
  await tx
    .delete(companySlugs)
    .where(and(inArray(companySlugs.slug, p.slugs), eq(companySlugs.companyId, targetId)));
  for (const name of [p.source.name, ...p.aliases]) {
    const owner = await findCompanyId(tx, name);
    if (owner)
      throw new RefusedError(
        `"${name}" now names ${await recordName(tx, "company", owner)}, so ${p.source.name} cannot come back. Nothing was changed.`,
      );
  }
  // One query for both checks; the address comes first, as it did when they were two.
  const [taken] = await tx
    .select({ slug: companies.slug })
    .from(companies)
    .where(or(eq(companies.slug, p.source.slug), eq(companies.id, p.source.id)))
    .orderBy(sql`CASE WHEN ${companies.slug} = ${p.source.slug} THEN 0 ELSE 1 END`)
    .limit(1);
  if (taken?.slug === p.source.slug)
    throw new RefusedError(
      `Another company now has the address /companies/${p.source.slug}. Nothing was changed.`,
    );
  if (taken) throw new RefusedError(`${p.source.name} already exists again. Nothing was changed.`);
}

/** The merged company's row, aliases and old addresses, under its old id. */
async function restoreCompanyRow(tx: Tx, p: CompanyMergePayload) {
  const [parent] = p.source.parentId
    ? await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, p.source.parentId))
    : [];
  await tx.insert(companies).values({
    ...p.source,
    parentId: parent ? p.source.parentId : null,
    version: p.source.version + 1,
    createdAt: new Date(p.source.createdAt * 1000),
    updatedAt: new Date(),
  });
  if (p.aliases.length)
    await tx
      .insert(companyAliases)
      .values(p.aliases.map((alias) => ({ companyId: p.source.id, alias, aliasKey: companyKey(alias) })));
  if (p.slugs.length > 1)
    await tx
      .insert(companySlugs)
      .values(p.slugs.slice(1).map((slug) => ({ slug, companyId: p.source.id })))
      .onConflictDoNothing();
}

/** The merged company's places in deals: the ones moved to the survivor, and the ones collapsed into it. */
async function giveBackParties(tx: Tx, targetId: number, p: CompanyMergePayload) {
  if (p.moved.length)
    await tx
      .update(dealParties)
      .set({ companyId: p.source.id })
      .where(
        and(
          eq(dealParties.companyId, targetId),
          inArray(
            dealParties.dealId,
            p.moved.map((r) => r.dealId),
          ),
        ),
      );
  for (const row of p.collapsed) {
    const [taken] = await tx
      .select({ dealId: dealParties.dealId })
      .from(dealParties)
      .where(and(eq(dealParties.dealId, row.dealId), eq(dealParties.position, row.position)))
      .limit(1);
    if (taken)
      await tx
        .update(dealParties)
        .set({ position: sql`${dealParties.position} + 1` })
        .where(and(eq(dealParties.dealId, row.dealId), sql`${dealParties.position} >= ${row.position}`));
    await tx.insert(dealParties).values({
      dealId: row.dealId,
      companyId: p.source.id,
      role: row.role as "partner",
      position: row.position,
    });
  }
}

/** The "Not a duplicate" pairs the merge deleted, where both companies still exist. */
async function restoreDismissedPairs(tx: Tx, dismissed: [number, number][]) {
  if (!dismissed.length) return;
  const ids = [...new Set(dismissed.flat())];
  const live = new Set(
    (await tx.select({ id: companies.id }).from(companies).where(inArray(companies.id, ids))).map(
      (r) => r.id,
    ),
  );
  const pairs = dismissed.filter(([a, b]) => live.has(a) && live.has(b));
  if (pairs.length)
    await tx
      .insert(companyNonDuplicates)
      .values(pairs.map(([a, b]) => ({ companyA: a, companyB: b })))
      .onConflictDoNothing();
}
