import "server-only";
import { enqueueEvent } from "./webhooks";
import { and, asc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { blockingKeys, REASON_LABELS, scoreDuplicate, websiteDomain } from "@/lib/duplicates";
import { companyKey, labelKey, nameWords, slugify } from "@/lib/names";
import { getDb, type Db } from "./index";
import { findCompanyId, findTechnologyId } from "./filters";
import { getCompanyBySlug, uniqueSlug, writeRecordRevision } from "./directory";
import { loadDeals } from "./deals";
import { type Reader, type Tx } from "./connection";
import { insertSearchRows } from "./search";
import { refreshDealCells, snapshotOf, writeRevision, type Actor, type DealSnapshot } from "./deal-writes";
import {
  companies,
  companyAliases,
  companyNonDuplicates,
  companySlugs,
  dealParties,
  deals,
  dealTechnologies,
  merges,
  recordRevisions,
  technologies,
  technologySlugs,
  type MergeKind,
} from "./schema";
import { ConflictError, InputError, NotFoundError, RefusedError } from "./errors";
import type { CompanyPatch, FieldErrors, TechnologyPatch } from "./validation";
import type { DealBrief, DuplicatePair, MergePreview, RecordRevisionView } from "./types";

// Editing, merging (and un-merging) companies and technology areas, and finding duplicate companies.
// Like every write, each is one synchronous IMMEDIATE transaction with its revision rows; a merge
// also writes a revision on every deal whose parties or areas it changed.

/** Thrown inside a transaction to roll back a save that changed nothing. */
class NoChange extends Error {}

// ---------------------------------------------------------------------------------------------
// Lookups by slug, following old slugs

/** The company a slug names now or named before; `redirect` is its current slug when they differ. */
export function resolveCompanySlug(slug: string, db: Reader = getDb()) {
  const row =
    db
      .select({ id: companies.id, slug: companies.slug })
      .from(companies)
      .where(eq(companies.slug, slug))
      .get() ??
    db
      .select({ id: companies.id, slug: companies.slug })
      .from(companySlugs)
      .innerJoin(companies, eq(companies.id, companySlugs.companyId))
      .where(eq(companySlugs.slug, slug))
      .get();
  return row ? { ...row, redirect: row.slug !== slug ? row.slug : null } : undefined;
}

export function resolveTechnologySlug(slug: string, db: Reader = getDb()) {
  const row =
    db
      .select({ id: technologies.id, slug: technologies.slug })
      .from(technologies)
      .where(eq(technologies.slug, slug))
      .get() ??
    db
      .select({ id: technologies.id, slug: technologies.slug })
      .from(technologySlugs)
      .innerJoin(technologies, eq(technologies.id, technologySlugs.technologyId))
      .where(eq(technologySlugs.slug, slug))
      .get();
  return row ? { ...row, redirect: row.slug !== slug ? row.slug : null } : undefined;
}

function mustCompany(tx: Reader, slug: string) {
  const found = resolveCompanySlug(slug, tx);
  if (!found) throw new NotFoundError("Company");
  return tx.select().from(companies).where(eq(companies.id, found.id)).get()!;
}

function mustTechnology(tx: Reader, slug: string) {
  const found = resolveTechnologySlug(slug, tx);
  if (!found) throw new NotFoundError("Technology area");
  return tx.select().from(technologies).where(eq(technologies.id, found.id)).get()!;
}

// ---------------------------------------------------------------------------------------------
// Derived rows

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** Rewrites the search rows and CSV cells of every deal these companies are parties to. */
function refreshCompanyDeals(tx: Tx, companyIds: number[]) {
  const dealIds = sql`(SELECT deal_id FROM deal_parties WHERE company_id IN (${idList(companyIds)}))`;
  tx.run(sql`DELETE FROM deal_search WHERE rowid IN ${dealIds}`);
  insertSearchRows(tx, sql`d.id IN ${dealIds}`);
  refreshDealCells(tx, sql`d.id IN ${dealIds}`);
}

function refreshTechnologyDeals(tx: Tx, dealIds: number[]) {
  if (dealIds.length) refreshDealCells(tx, sql`d.id IN (${idList(dealIds)})`);
}

function dealSnapshots(tx: Tx, ids: number[]): Map<number, { version: number; snapshot: DealSnapshot }> {
  return new Map(loadDeals(tx, ids).map((d) => [d.id, { version: d.version, snapshot: snapshotOf(d) }]));
}

/** One revision per affected deal; its version stays, as only a company's or area's identity changed. */
function writeDealRevisions(
  tx: Tx,
  before: Map<number, { version: number; snapshot: DealSnapshot }>,
  action: "merge" | "unmerge",
  actor: Actor | string,
) {
  const after = dealSnapshots(tx, [...before.keys()]);
  for (const [id, was] of before) {
    writeRevision(tx, id, was.version, action, actor, was.snapshot, after.get(id)?.snapshot ?? null);
  }
}

function briefs(db: Reader, ids: number[]): DealBrief[] {
  if (!ids.length) return [];
  return db
    .select({
      id: deals.id,
      title: deals.title,
      announcedOn: deals.announcedOn,
      datePrecision: deals.datePrecision,
    })
    .from(deals)
    .where(inArray(deals.id, ids))
    .orderBy(asc(deals.announcedOn), asc(deals.id))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Edit a company

function companyRecord(tx: Reader, id: number) {
  const row = tx.select().from(companies).where(eq(companies.id, id)).get()!;
  const parent = row.parentId
    ? tx.select({ name: companies.name }).from(companies).where(eq(companies.id, row.parentId)).get()
    : undefined;
  return {
    name: row.name,
    slug: row.slug,
    aliases: tx
      .select({ alias: companyAliases.alias })
      .from(companyAliases)
      .where(eq(companyAliases.companyId, id))
      .orderBy(asc(companyAliases.id))
      .all()
      .map((a) => a.alias),
    country: row.country,
    sector: row.sector,
    website: row.website,
    parent: parent?.name ?? null,
  };
}

/** Would `parentId` as the parent of `selfId` make a loop (A → B → A)? */
function makesCycle(
  tx: Reader,
  table: typeof companies | typeof technologies,
  selfId: number,
  parentId: number,
) {
  const seen = new Set<number>();
  for (let id: number | null = parentId; id !== null;) {
    if (id === selfId) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    id = tx.select({ parentId: table.parentId }).from(table).where(eq(table.id, id)).get()?.parentId ?? null;
  }
  return false;
}

export function updateCompany(slug: string, patch: CompanyPatch, actor: Actor | string, db: Db = getDb()) {
  let id = 0;
  try {
    db.transaction((tx) => {
      const current = mustCompany(tx, slug);
      id = current.id;
      if (current.version !== patch.version)
        throw new ConflictError(current.version, patch.version, "company");
      const before = companyRecord(tx, current.id);
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
      const other = (text: string) => {
        const owner = findCompanyId(tx, text);
        return owner && owner !== current.id ? owner : undefined;
      };
      const nameOwner = other(name);
      if (nameOwner) errors.name = [`"${name}" already names ${companyName(tx, nameOwner)}`];
      aliases.forEach((alias, i) => {
        const owner = other(alias);
        if (owner) errors[`aliases.${i}`] = [`"${alias}" already names ${companyName(tx, owner)}`];
      });
      let parentId = current.parentId;
      if (patch.parent !== undefined) {
        parentId = patch.parent ? (findCompanyId(tx, patch.parent) ?? null) : null;
        if (patch.parent && !parentId) errors.parent = [`No company called "${patch.parent}"`];
        else if (parentId === current.id) errors.parent = ["A company cannot be its own parent"];
        else if (parentId && makesCycle(tx, companies, current.id, parentId))
          errors.parent = [
            `${companyName(tx, parentId)} is part of ${current.name}: that would make a cycle`,
          ];
      }
      if (Object.keys(errors).length) throw new InputError(errors);

      let newSlug = current.slug;
      if (patch.changeSlug && slugify(name) !== current.slug) {
        newSlug = uniqueSlug(tx, "company", name, current.id);
        tx.delete(companySlugs).where(eq(companySlugs.slug, newSlug)).run();
        tx.insert(companySlugs).values({ slug: current.slug, companyId: current.id }).run();
      }
      tx.update(companies)
        .set({
          name,
          nameKey: companyKey(name),
          slug: newSlug,
          country: patch.country === undefined ? current.country : patch.country,
          sector: patch.sector === undefined ? current.sector : patch.sector,
          website: patch.website === undefined ? current.website : patch.website,
          parentId,
          version: current.version + 1,
          updatedAt: new Date(),
        })
        .where(eq(companies.id, current.id))
        .run();
      tx.delete(companyAliases).where(eq(companyAliases.companyId, current.id)).run();
      for (const alias of aliases) {
        tx.insert(companyAliases)
          .values({ companyId: current.id, alias, aliasKey: companyKey(alias) })
          .run();
      }
      const after = companyRecord(tx, current.id);
      if (JSON.stringify(before) === JSON.stringify(after)) throw new NoChange();
      writeRecordRevision(tx, "company", current.id, current.version + 1, "update", actor, before, after);
      if (before.name !== after.name || JSON.stringify(before.aliases) !== JSON.stringify(after.aliases))
        refreshCompanyDeals(tx, [current.id]);
    }, immediate);
  } catch (error) {
    if (!(error instanceof NoChange)) throw error;
  }
  const slugNow = db.select({ slug: companies.slug }).from(companies).where(eq(companies.id, id)).get()!.slug;
  return getCompanyBySlug(slugNow, db)!;
}

function companyName(tx: Reader, id: number) {
  return (
    tx.select({ name: companies.name }).from(companies).where(eq(companies.id, id)).get()?.name ?? `#${id}`
  );
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

function companyMergePlan(tx: Reader, source: typeof companies.$inferSelect, targetId: number) {
  const target = tx.select().from(companies).where(eq(companies.id, targetId)).get()!;
  const rows = tx
    .select({ dealId: dealParties.dealId, role: dealParties.role, position: dealParties.position })
    .from(dealParties)
    .where(eq(dealParties.companyId, source.id))
    .all();
  const targetDeals = new Set(
    rows.length
      ? tx
          .select({ dealId: dealParties.dealId })
          .from(dealParties)
          .where(
            and(
              eq(dealParties.companyId, targetId),
              inArray(
                dealParties.dealId,
                rows.map((r) => r.dealId),
              ),
            ),
          )
          .all()
          .map((r) => r.dealId)
      : [],
  );
  const moved = rows.filter((r) => !targetDeals.has(r.dealId));
  const collapsed = rows.filter((r) => targetDeals.has(r.dealId));
  const blocking = collapsed.filter((r) => {
    const { n } = tx
      .select({ n: sql<number>`count(*)` })
      .from(dealParties)
      .where(and(eq(dealParties.dealId, r.dealId), sql`${dealParties.companyId} <> ${source.id}`))
      .get()!;
    return n < 2;
  });
  const aliases = tx
    .select({ alias: companyAliases.alias })
    .from(companyAliases)
    .where(eq(companyAliases.companyId, source.id))
    .orderBy(asc(companyAliases.id))
    .all()
    .map((a) => a.alias);
  const children = tx
    .select({ id: companies.id, name: companies.name, slug: companies.slug })
    .from(companies)
    .where(and(eq(companies.parentId, source.id), sql`${companies.id} <> ${targetId}`))
    .orderBy(asc(companies.name))
    .all();
  return { target, moved, collapsed, blocking, aliases, children };
}

function resolveMergeTarget(tx: Reader, kind: MergeKind, sourceId: number, into: string) {
  const targetId = kind === "company" ? findCompanyId(tx, into) : findTechnologyId(tx, into);
  const what = kind === "company" ? "company" : "technology area";
  if (!targetId) throw new InputError({ into: [`No ${what} called "${into}"`] });
  if (targetId === sourceId) throw new InputError({ into: [`Choose a different ${what} to merge into`] });
  return targetId;
}

const ref = (r: { id: number; name: string; slug: string }) => ({ id: r.id, name: r.name, slug: r.slug });

export function previewCompanyMerge(slug: string, into: string, db: Reader = getDb()): MergePreview {
  const source = mustCompany(db, slug);
  const plan = companyMergePlan(db, source, resolveMergeTarget(db, "company", source.id, into));
  return {
    kind: "company",
    source: ref(source),
    target: ref(plan.target),
    movedDeals: briefs(
      db,
      plan.moved.map((r) => r.dealId),
    ),
    sharedDeals: briefs(
      db,
      plan.collapsed.map((r) => r.dealId),
    ),
    blockingDeals: briefs(
      db,
      plan.blocking.map((r) => r.dealId),
    ),
    aliases: plan.aliases,
    children: plan.children,
    nameBecomesAlias: source.name,
    canMerge: plan.blocking.length === 0,
  };
}

function blockedMessage(blocking: DealBrief[]) {
  const list = blocking.map((d) => `#${d.id} “${d.title}”`).join(", ");
  return `${blocking.length === 1 ? "This deal" : "These deals"} would be left with fewer than two parties: ${list}. Add another party or remove one of the two companies from ${blocking.length === 1 ? "it" : "them"} first.`;
}

function recordMerge(
  tx: Tx,
  kind: MergeKind,
  source: { id: number; name: string },
  target: { id: number; name: string },
  payload: unknown,
  actor: Actor | string,
) {
  const who = typeof actor === "string" ? { name: actor } : actor;
  return tx
    .insert(merges)
    .values({
      kind,
      sourceId: source.id,
      sourceName: source.name,
      targetId: target.id,
      targetName: target.name,
      payload,
      actor: who.name,
      actorUserId: who.userId ?? null,
      actorTokenId: who.tokenId ?? null,
    })
    .returning({ id: merges.id })
    .get().id;
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function mergeCompanies(slug: string, into: string, actor: Actor | string, db: Db = getDb()) {
  const { targetSlug, mergeId } = db.transaction((tx) => {
    const source = mustCompany(tx, slug);
    const plan = companyMergePlan(tx, source, resolveMergeTarget(tx, "company", source.id, into));
    const { target } = plan;
    if (plan.blocking.length)
      throw new RefusedError(
        blockedMessage(
          briefs(
            tx,
            plan.blocking.map((r) => r.dealId),
          ),
        ),
      );
    const dealIds = [...plan.moved, ...plan.collapsed].map((r) => r.dealId);
    const dealsBefore = dealSnapshots(tx, dealIds);
    const targetBefore = companyRecord(tx, target.id);
    const sourceBefore = companyRecord(tx, source.id);

    if (plan.collapsed.length)
      tx.delete(dealParties)
        .where(
          and(
            eq(dealParties.companyId, source.id),
            inArray(
              dealParties.dealId,
              plan.collapsed.map((r) => r.dealId),
            ),
          ),
        )
        .run();
    tx.update(dealParties).set({ companyId: target.id }).where(eq(dealParties.companyId, source.id)).run();

    const has = new Set(targetBefore.aliases.map((a) => a.toLowerCase()));
    has.add(target.name.toLowerCase());
    const addedAliases = [source.name, ...plan.aliases].filter((a) => {
      if (has.has(a.toLowerCase())) return false;
      has.add(a.toLowerCase());
      return true;
    });
    for (const alias of addedAliases)
      tx.insert(companyAliases)
        .values({ companyId: target.id, alias, aliasKey: companyKey(alias) })
        .run();

    const subsidiaries = plan.children.map((c) => c.id);
    if (subsidiaries.length)
      tx.update(companies).set({ parentId: target.id }).where(inArray(companies.id, subsidiaries)).run();
    const targetParentWas = target.parentId === source.id ? source.id : null;

    const oldSlugs = tx
      .select({ slug: companySlugs.slug })
      .from(companySlugs)
      .where(eq(companySlugs.companyId, source.id))
      .all()
      .map((r) => r.slug);
    tx.update(companySlugs).set({ companyId: target.id }).where(eq(companySlugs.companyId, source.id)).run();
    tx.insert(companySlugs).values({ slug: source.slug, companyId: target.id }).run();

    tx.update(companies)
      .set({
        version: target.version + 1,
        updatedAt: new Date(),
        ...(targetParentWas ? { parentId: source.parentId === target.id ? null : source.parentId } : {}),
      })
      .where(eq(companies.id, target.id))
      .run();
    const dismissed = tx
      .select()
      .from(companyNonDuplicates)
      .where(or(eq(companyNonDuplicates.companyA, source.id), eq(companyNonDuplicates.companyB, source.id)))
      .all()
      .map((r): [number, number] => [r.companyA, r.companyB]);
    tx.delete(companies).where(eq(companies.id, source.id)).run();

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
    const mergeId = recordMerge(tx, "company", source, target, payload, actor);
    refreshCompanyDeals(tx, [target.id]);
    writeDealRevisions(tx, dealsBefore, "merge", actor);
    writeRecordRevision(
      tx,
      "company",
      target.id,
      target.version + 1,
      "merge",
      actor,
      targetBefore,
      companyRecord(tx, target.id),
      mergeId,
    );
    writeRecordRevision(
      tx,
      "company",
      source.id,
      source.version,
      "merge",
      actor,
      sourceBefore,
      null,
      mergeId,
    );
    enqueueEvent(tx, "company.merged", actor, () => ({
      merge: {
        id: mergeId,
        source: { id: source.id, name: source.name },
        target: { id: target.id, name: target.name, slug: target.slug },
      },
    }));
    return { targetSlug: target.slug, mergeId };
  }, immediate);
  return { company: getCompanyBySlug(targetSlug, db)!, mergeId };
}

function undoCompanyMerge(tx: Tx, merge: typeof merges.$inferSelect, actor: Actor | string) {
  const p = merge.payload as CompanyMergePayload;
  const target = tx.select().from(companies).where(eq(companies.id, merge.targetId)).get();
  if (!target)
    throw new RefusedError(
      `${merge.targetName} no longer exists (merged or removed since), so this merge cannot be undone.`,
    );
  for (const row of p.moved) {
    const still = tx
      .select({ dealId: dealParties.dealId })
      .from(dealParties)
      .where(and(eq(dealParties.dealId, row.dealId), eq(dealParties.companyId, target.id)))
      .get();
    if (!still)
      throw new RefusedError(
        `Deal #${row.dealId} no longer lists ${target.name} as a party, so the party the merge moved cannot be given back. Nothing was changed.`,
      );
  }
  const dealIds = [...p.moved, ...p.collapsed].map((r) => r.dealId);
  const dealsBefore = dealSnapshots(tx, dealIds);
  const targetBefore = companyRecord(tx, target.id);

  if (p.addedAliases.length)
    tx.delete(companyAliases)
      .where(and(eq(companyAliases.companyId, target.id), inArray(companyAliases.alias, p.addedAliases)))
      .run();
  for (const name of [p.source.name, ...p.aliases]) {
    const owner = findCompanyId(tx, name);
    if (owner)
      throw new RefusedError(
        `"${name}" now names ${companyName(tx, owner)}, so ${p.source.name} cannot come back. Nothing was changed.`,
      );
  }
  if (tx.select({ id: companies.id }).from(companies).where(eq(companies.slug, p.source.slug)).get())
    throw new RefusedError(
      `Another company now has the address /companies/${p.source.slug}. Nothing was changed.`,
    );
  if (tx.select({ id: companies.id }).from(companies).where(eq(companies.id, p.source.id)).get())
    throw new RefusedError(`${p.source.name} already exists again. Nothing was changed.`);

  tx.delete(companySlugs)
    .where(and(inArray(companySlugs.slug, p.slugs), eq(companySlugs.companyId, target.id)))
    .run();
  const parentId =
    p.source.parentId &&
    tx.select({ id: companies.id }).from(companies).where(eq(companies.id, p.source.parentId)).get()
      ? p.source.parentId
      : null;
  tx.insert(companies)
    .values({
      ...p.source,
      parentId,
      version: p.source.version + 1,
      createdAt: new Date(p.source.createdAt * 1000),
      updatedAt: new Date(),
    })
    .run();
  for (const alias of p.aliases)
    tx.insert(companyAliases)
      .values({ companyId: p.source.id, alias, aliasKey: companyKey(alias) })
      .run();
  for (const slug of p.slugs.slice(1))
    tx.insert(companySlugs).values({ slug, companyId: p.source.id }).onConflictDoNothing().run();

  for (const row of p.moved) {
    tx.update(dealParties)
      .set({ companyId: p.source.id })
      .where(and(eq(dealParties.dealId, row.dealId), eq(dealParties.companyId, target.id)))
      .run();
  }
  for (const row of p.collapsed) {
    const taken = tx
      .select({ n: sql<number>`count(*)` })
      .from(dealParties)
      .where(and(eq(dealParties.dealId, row.dealId), eq(dealParties.position, row.position)))
      .get()!.n;
    if (taken)
      tx.run(
        sql`UPDATE deal_parties SET position = position + 1 WHERE deal_id = ${row.dealId} AND position >= ${row.position}`,
      );
    tx.insert(dealParties)
      .values({
        dealId: row.dealId,
        companyId: p.source.id,
        role: row.role as "partner",
        position: row.position,
      })
      .run();
  }
  for (const [a, b] of p.dismissed) {
    const both = tx
      .select({ id: companies.id })
      .from(companies)
      .where(inArray(companies.id, [a, b]))
      .all();
    if (both.length === 2)
      tx.insert(companyNonDuplicates).values({ companyA: a, companyB: b }).onConflictDoNothing().run();
  }
  if (p.subsidiaries.length)
    tx.update(companies)
      .set({ parentId: p.source.id })
      .where(and(inArray(companies.id, p.subsidiaries), eq(companies.parentId, target.id)))
      .run();
  tx.update(companies)
    .set({
      version: target.version + 1,
      updatedAt: new Date(),
      ...(p.targetParentWas &&
      target.parentId === (p.source.parentId === target.id ? null : p.source.parentId)
        ? { parentId: p.source.id }
        : {}),
    })
    .where(eq(companies.id, target.id))
    .run();
  refreshCompanyDeals(tx, [target.id, p.source.id]);
  writeDealRevisions(tx, dealsBefore, "unmerge", actor);
  writeRecordRevision(
    tx,
    "company",
    target.id,
    target.version + 1,
    "unmerge",
    actor,
    targetBefore,
    companyRecord(tx, target.id),
    merge.id,
  );
  writeRecordRevision(
    tx,
    "company",
    p.source.id,
    p.source.version + 1,
    "unmerge",
    actor,
    null,
    companyRecord(tx, p.source.id),
    merge.id,
  );
  return { kind: "company" as const, slug: p.source.slug };
}

/** Undoes a merge exactly, or refuses (RefusedError) without changing anything when it no longer applies. */
export function undoMerge(mergeId: number, actor: Actor | string, db: Db = getDb()) {
  return db.transaction((tx) => {
    const merge = tx.select().from(merges).where(eq(merges.id, mergeId)).get();
    if (!merge) throw new NotFoundError(`Merge ${mergeId}`);
    if (merge.undoneAt)
      throw new RefusedError(`This merge was already undone by ${merge.undoneBy ?? "someone"}.`);
    const restored =
      merge.kind === "company" ? undoCompanyMerge(tx, merge, actor) : undoTechnologyMerge(tx, merge, actor);
    tx.update(merges)
      .set({ undoneAt: new Date(), undoneBy: typeof actor === "string" ? actor : actor.name })
      .where(eq(merges.id, mergeId))
      .run();
    return { mergeId, ...restored };
  }, immediate);
}

// ---------------------------------------------------------------------------------------------
// Technology areas: edit and merge

function technologyRecord(tx: Reader, id: number) {
  const row = tx.select().from(technologies).where(eq(technologies.id, id)).get()!;
  const parent = row.parentId
    ? tx.select({ name: technologies.name }).from(technologies).where(eq(technologies.id, row.parentId)).get()
    : undefined;
  return { name: row.name, slug: row.slug, parent: parent?.name ?? null };
}

export function getTechnology(slug: string, db: Reader = getDb()) {
  const found = resolveTechnologySlug(slug, db);
  if (!found) return undefined;
  const row = db.select().from(technologies).where(eq(technologies.id, found.id)).get()!;
  const parent = row.parentId
    ? (db
        .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
        .from(technologies)
        .where(eq(technologies.id, row.parentId))
        .get() ?? null)
    : null;
  const narrower = db
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
    .from(technologies)
    .where(eq(technologies.parentId, row.id))
    .orderBy(asc(technologies.name))
    .all();
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    version: row.version,
    parent,
    narrower,
    redirect: found.redirect,
  };
}

export function updateTechnology(
  slug: string,
  patch: TechnologyPatch,
  actor: Actor | string,
  db: Db = getDb(),
) {
  let id = 0;
  try {
    db.transaction((tx) => {
      const current = mustTechnology(tx, slug);
      id = current.id;
      if (current.version !== patch.version)
        throw new ConflictError(current.version, patch.version, "technology area");
      const before = technologyRecord(tx, current.id);
      const name = patch.name ?? current.name;
      const errors: FieldErrors = {};
      const owner = findTechnologyId(tx, name);
      if (owner && owner !== current.id) errors.name = [`"${name}" already exists`];
      let parentId = current.parentId;
      if (patch.parent !== undefined) {
        parentId = patch.parent ? (findTechnologyId(tx, patch.parent) ?? null) : null;
        if (patch.parent && !parentId) errors.parent = [`No technology area called "${patch.parent}"`];
        else if (parentId === current.id) errors.parent = ["An area cannot be its own broader area"];
        else if (parentId && makesCycle(tx, technologies, current.id, parentId))
          errors.parent = ["That broader area is itself narrower than this one: it would make a cycle"];
      }
      if (Object.keys(errors).length) throw new InputError(errors);
      let newSlug = current.slug;
      if (patch.changeSlug && slugify(name) !== current.slug) {
        newSlug = uniqueSlug(tx, "technology", name, current.id);
        tx.delete(technologySlugs).where(eq(technologySlugs.slug, newSlug)).run();
        tx.insert(technologySlugs).values({ slug: current.slug, technologyId: current.id }).run();
      }
      tx.update(technologies)
        .set({ name, nameKey: labelKey(name), slug: newSlug, parentId, version: current.version + 1 })
        .where(eq(technologies.id, current.id))
        .run();
      const after = technologyRecord(tx, current.id);
      if (JSON.stringify(before) === JSON.stringify(after)) throw new NoChange();
      writeRecordRevision(tx, "technology", current.id, current.version + 1, "update", actor, before, after);
      if (before.name !== after.name) refreshTechnologyDeals(tx, dealsWithTechnology(tx, current.id));
    }, immediate);
  } catch (error) {
    if (!(error instanceof NoChange)) throw error;
  }
  const slugNow = db
    .select({ slug: technologies.slug })
    .from(technologies)
    .where(eq(technologies.id, id))
    .get()!.slug;
  return getTechnology(slugNow, db)!;
}

function dealsWithTechnology(tx: Reader, id: number) {
  return tx
    .select({ dealId: dealTechnologies.dealId })
    .from(dealTechnologies)
    .where(eq(dealTechnologies.technologyId, id))
    .all()
    .map((r) => r.dealId);
}

type TechnologyMergePayload = {
  source: Omit<typeof technologies.$inferSelect, "createdAt"> & { createdAt: number };
  moved: number[];
  collapsed: number[];
  children: number[];
  slugs: string[];
  targetParentWas: number | null;
};

function technologyMergePlan(tx: Reader, source: typeof technologies.$inferSelect, targetId: number) {
  const target = tx.select().from(technologies).where(eq(technologies.id, targetId)).get()!;
  const sourceDeals = dealsWithTechnology(tx, source.id);
  const targetDeals = new Set(dealsWithTechnology(tx, targetId));
  const children = tx
    .select({ id: technologies.id, name: technologies.name, slug: technologies.slug })
    .from(technologies)
    .where(and(eq(technologies.parentId, source.id), sql`${technologies.id} <> ${targetId}`))
    .orderBy(asc(technologies.name))
    .all();
  return {
    target,
    moved: sourceDeals.filter((d) => !targetDeals.has(d)),
    collapsed: sourceDeals.filter((d) => targetDeals.has(d)),
    children,
  };
}

export function previewTechnologyMerge(slug: string, into: string, db: Reader = getDb()): MergePreview {
  const source = mustTechnology(db, slug);
  const plan = technologyMergePlan(db, source, resolveMergeTarget(db, "technology", source.id, into));
  return {
    kind: "technology",
    source: ref(source),
    target: ref(plan.target),
    movedDeals: briefs(db, plan.moved),
    sharedDeals: briefs(db, plan.collapsed),
    blockingDeals: [],
    aliases: [],
    children: plan.children,
    nameBecomesAlias: null,
    canMerge: true,
  };
}

export function mergeTechnologies(slug: string, into: string, actor: Actor | string, db: Db = getDb()) {
  const { targetSlug, mergeId } = db.transaction((tx) => {
    const source = mustTechnology(tx, slug);
    const plan = technologyMergePlan(tx, source, resolveMergeTarget(tx, "technology", source.id, into));
    const { target } = plan;
    const dealsBefore = dealSnapshots(tx, [...plan.moved, ...plan.collapsed]);
    const targetBefore = technologyRecord(tx, target.id);
    const sourceBefore = technologyRecord(tx, source.id);
    tx.delete(dealTechnologies)
      .where(
        and(
          eq(dealTechnologies.technologyId, source.id),
          inArray(dealTechnologies.dealId, plan.collapsed.length ? plan.collapsed : [0]),
        ),
      )
      .run();
    tx.update(dealTechnologies)
      .set({ technologyId: target.id })
      .where(eq(dealTechnologies.technologyId, source.id))
      .run();
    const children = plan.children.map((c) => c.id);
    if (children.length)
      tx.update(technologies).set({ parentId: target.id }).where(inArray(technologies.id, children)).run();
    const targetParentWas = target.parentId === source.id ? source.id : null;
    const oldSlugs = tx
      .select({ slug: technologySlugs.slug })
      .from(technologySlugs)
      .where(eq(technologySlugs.technologyId, source.id))
      .all()
      .map((r) => r.slug);
    tx.update(technologySlugs)
      .set({ technologyId: target.id })
      .where(eq(technologySlugs.technologyId, source.id))
      .run();
    tx.insert(technologySlugs).values({ slug: source.slug, technologyId: target.id }).run();
    // Areas have no aliases: the merged name, by its slug, keeps finding the survivor instead.
    const nameSlug = slugify(source.name);
    const nameSlugFree =
      nameSlug !== source.slug &&
      !tx.select({ id: technologies.id }).from(technologies).where(eq(technologies.slug, nameSlug)).get() &&
      !tx
        .select({ id: technologySlugs.technologyId })
        .from(technologySlugs)
        .where(eq(technologySlugs.slug, nameSlug))
        .get();
    if (nameSlugFree) tx.insert(technologySlugs).values({ slug: nameSlug, technologyId: target.id }).run();
    tx.update(technologies)
      .set({
        version: target.version + 1,
        ...(targetParentWas ? { parentId: source.parentId === target.id ? null : source.parentId } : {}),
      })
      .where(eq(technologies.id, target.id))
      .run();
    tx.delete(technologies).where(eq(technologies.id, source.id)).run();
    const payload: TechnologyMergePayload = {
      source: { ...source, createdAt: unix(source.createdAt) },
      moved: plan.moved,
      collapsed: plan.collapsed,
      children,
      slugs: [source.slug, ...oldSlugs, ...(nameSlugFree ? [nameSlug] : [])],
      targetParentWas,
    };
    const mergeId = recordMerge(tx, "technology", source, target, payload, actor);
    refreshTechnologyDeals(tx, [...plan.moved, ...plan.collapsed]);
    writeDealRevisions(tx, dealsBefore, "merge", actor);
    writeRecordRevision(
      tx,
      "technology",
      target.id,
      target.version + 1,
      "merge",
      actor,
      targetBefore,
      technologyRecord(tx, target.id),
      mergeId,
    );
    writeRecordRevision(
      tx,
      "technology",
      source.id,
      source.version,
      "merge",
      actor,
      sourceBefore,
      null,
      mergeId,
    );
    return { targetSlug: target.slug, mergeId };
  }, immediate);
  return { technology: getTechnology(targetSlug, db)!, mergeId };
}

function undoTechnologyMerge(tx: Tx, merge: typeof merges.$inferSelect, actor: Actor | string) {
  const p = merge.payload as TechnologyMergePayload;
  const target = tx.select().from(technologies).where(eq(technologies.id, merge.targetId)).get();
  if (!target)
    throw new RefusedError(`${merge.targetName} no longer exists, so this merge cannot be undone.`);
  const stillThere = new Set(dealsWithTechnology(tx, target.id));
  const gone = p.moved.find((d) => !stillThere.has(d));
  if (gone !== undefined)
    throw new RefusedError(
      `Deal #${gone} no longer has the area ${target.name}, so the area the merge moved cannot be given back. Nothing was changed.`,
    );
  const owner = findTechnologyId(tx, p.source.name);
  if (owner && owner !== target.id)
    throw new RefusedError(`"${p.source.name}" now names another area. Nothing was changed.`);
  if (owner === target.id && labelKey(target.name) === labelKey(p.source.name))
    throw new RefusedError(`${target.name} now has the merged area's name. Nothing was changed.`);
  if (tx.select({ id: technologies.id }).from(technologies).where(eq(technologies.slug, p.source.slug)).get())
    throw new RefusedError(
      `Another area now has the address /technologies/${p.source.slug}. Nothing was changed.`,
    );
  const dealsBefore = dealSnapshots(tx, [...p.moved, ...p.collapsed]);
  const targetBefore = technologyRecord(tx, target.id);
  tx.delete(technologySlugs)
    .where(and(inArray(technologySlugs.slug, p.slugs), eq(technologySlugs.technologyId, target.id)))
    .run();
  const parentId =
    p.source.parentId &&
    tx.select({ id: technologies.id }).from(technologies).where(eq(technologies.id, p.source.parentId)).get()
      ? p.source.parentId
      : null;
  tx.insert(technologies)
    .values({
      ...p.source,
      parentId,
      version: p.source.version + 1,
      createdAt: new Date(p.source.createdAt * 1000),
    })
    .run();
  for (const slug of p.slugs.slice(1))
    tx.insert(technologySlugs).values({ slug, technologyId: p.source.id }).onConflictDoNothing().run();
  if (p.moved.length)
    tx.update(dealTechnologies)
      .set({ technologyId: p.source.id })
      .where(and(eq(dealTechnologies.technologyId, target.id), inArray(dealTechnologies.dealId, p.moved)))
      .run();
  for (const dealId of p.collapsed)
    tx.insert(dealTechnologies).values({ dealId, technologyId: p.source.id }).onConflictDoNothing().run();
  if (p.children.length)
    tx.update(technologies)
      .set({ parentId: p.source.id })
      .where(and(inArray(technologies.id, p.children), eq(technologies.parentId, target.id)))
      .run();
  tx.update(technologies)
    .set({ version: target.version + 1, ...(p.targetParentWas ? { parentId: p.source.id } : {}) })
    .where(eq(technologies.id, target.id))
    .run();
  refreshTechnologyDeals(tx, [...p.moved, ...p.collapsed]);
  writeDealRevisions(tx, dealsBefore, "unmerge", actor);
  writeRecordRevision(
    tx,
    "technology",
    target.id,
    target.version + 1,
    "unmerge",
    actor,
    targetBefore,
    technologyRecord(tx, target.id),
    merge.id,
  );
  writeRecordRevision(
    tx,
    "technology",
    p.source.id,
    p.source.version + 1,
    "unmerge",
    actor,
    null,
    technologyRecord(tx, p.source.id),
    merge.id,
  );
  return { kind: "technology" as const, slug: p.source.slug };
}

// ---------------------------------------------------------------------------------------------
// Duplicates

type Candidate = { id: number; name: string; slug: string; website: string | null; nameKey: string };

function candidateRows(db: Reader, where?: SQL): Candidate[] {
  return db
    .select({
      id: companies.id,
      name: companies.name,
      slug: companies.slug,
      website: companies.website,
      nameKey: companies.nameKey,
    })
    .from(companies)
    .where(where)
    .all();
}

const reasonsOf = (reasons: (keyof typeof REASON_LABELS)[]) =>
  reasons.map((code) => ({ code, label: REASON_LABELS[code] }));

/** Likely duplicate pairs, strongest first, without the pairs an analyst marked "Not a duplicate". */
export function listDuplicates(options: { limit?: number } = {}, db: Reader = getDb()): DuplicatePair[] {
  const rows = candidateRows(db);
  const buckets = new Map<string, Candidate[]>();
  for (const row of rows) {
    for (const key of blockingKeys(row)) {
      const list = buckets.get(key);
      if (list) list.push(row);
      else buckets.set(key, [row]);
    }
  }
  const dismissed = new Set(
    db
      .select({ a: companyNonDuplicates.companyA, b: companyNonDuplicates.companyB })
      .from(companyNonDuplicates)
      .all()
      .map((r) => `${r.a}:${r.b}`),
  );
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const list of buckets.values()) {
    // A bucket this large is a common first word ("china", "the"); its real pairs share more.
    if (list.length > 400) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = list[i]!.id < list[j]!.id ? [list[i]!, list[j]!] : [list[j]!, list[i]!];
        const key = `${a.id}:${b.id}`;
        if (seen.has(key) || dismissed.has(key)) continue;
        seen.add(key);
        const score = scoreDuplicate(a, b);
        if (score)
          pairs.push({ a: ref(a), b: ref(b), score: score.score, reasons: reasonsOf(score.reasons) });
      }
    }
  }
  pairs.sort((x, y) => y.score - x.score || x.a.name.localeCompare(y.a.name));
  return pairs.slice(0, options.limit ?? 200);
}

/** Existing companies a new name (and website) probably duplicates, for creation warnings. */
export function probableDuplicatesOf(
  candidate: { name: string; website?: string | null },
  db: Reader = getDb(),
  exceptId?: number,
) {
  const first = nameWords(candidate.name)[0];
  const domain = websiteDomain(candidate.website);
  const conditions = [
    first ? like(companies.nameKey, `${first.slice(0, 3)}%`) : undefined,
    domain ? like(companies.website, `%${domain}%`) : undefined,
  ].filter(Boolean) as SQL[];
  if (!conditions.length) return [];
  return candidateRows(db, or(...conditions))
    .filter((c) => c.id !== exceptId)
    .flatMap((c) => {
      const score = scoreDuplicate(candidate, c);
      return score ? [{ company: ref(c), score: score.score, reasons: reasonsOf(score.reasons) }] : [];
    })
    .sort((x, y) => y.score - x.score)
    .slice(0, 5);
}

export function dismissDuplicate(aSlug: string, bSlug: string, db: Db = getDb()) {
  return db.transaction((tx) => {
    const a = mustCompany(tx, aSlug).id;
    const b = mustCompany(tx, bSlug).id;
    if (a === b) throw new InputError({ b: ["Choose two different companies"] });
    tx.insert(companyNonDuplicates)
      .values({ companyA: Math.min(a, b), companyB: Math.max(a, b) })
      .onConflictDoNothing()
      .run();
  }, immediate);
}

// ---------------------------------------------------------------------------------------------
// History of companies and areas

export function listRecordRevisions(
  filter: { entity?: MergeKind; entityId?: number; limit?: number } = {},
  db: Reader = getDb(),
): RecordRevisionView[] {
  const rows = db
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
    .limit(filter.limit ?? 50)
    .all();
  const names = (entity: MergeKind, ids: number[]) => {
    if (!ids.length) return new Map<number, { name: string; slug: string }>();
    const table = entity === "company" ? companies : technologies;
    return new Map(
      db
        .select({ id: table.id, name: table.name, slug: table.slug })
        .from(table)
        .where(inArray(table.id, ids))
        .all()
        .map((r) => [r.id, r]),
    );
  };
  const companyNames = names(
    "company",
    rows.filter((r) => r.revision.entity === "company").map((r) => r.revision.entityId),
  );
  const areaNames = names(
    "technology",
    rows.filter((r) => r.revision.entity === "technology").map((r) => r.revision.entityId),
  );
  return rows.map(({ revision: r, merge: m }) => {
    const live = (r.entity === "company" ? companyNames : areaNames).get(r.entityId);
    const snapshot = (r.after ?? r.before ?? {}) as { name?: string };
    return {
      id: r.id,
      entity: r.entity,
      entityId: r.entityId,
      entityName: live?.name ?? snapshot.name ?? `#${r.entityId}`,
      entitySlug: live?.slug ?? null,
      version: r.version,
      action: r.action,
      actor: r.actor,
      at: r.at.toISOString(),
      changedFields: r.changedFields,
      before: r.before,
      after: r.after,
      merge: m
        ? { id: m.id, undone: m.undoneAt !== null, sourceName: m.sourceName, targetName: m.targetName }
        : null,
    };
  });
}
