import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { companyKey, labelKey, normalizeName, slugify } from "@/lib/names";
import { toMinorUnits } from "@/lib/money";
import { getDb, type Db } from "./index";
import { findCompanyId, findTechnologyId, getDeal, loadDeals, type Reader } from "./queries";
import type { DealRecord } from "./types";
import {
  companies,
  companyAliases,
  companySlugs,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  quotes,
  revisions,
  sources,
  statusHistory,
  technologies,
  technologySlugs,
  recordRevisions,
  type MergeKind,
  type RecordAction,
  type RevisionAction,
} from "./schema";
import { ConflictError, InputError, NotFoundError } from "./errors";
import { enqueueDealEvent } from "./webhooks";
import { dealInput, fieldErrors, type CompanyInput, type DealInput, type FieldErrors } from "./validation";

// Every write is one synchronous IMMEDIATE transaction (better-sqlite3 cannot await inside one) and
// writes its revision row in that same transaction, so history and data never disagree.

/** Who made a change: a user, an API token, or a named process ("seed"). */
export type Actor = { name: string; userId?: string | null; tokenId?: number | null };

export type Tx = Reader;
export const immediate = { behavior: "immediate" } as const;
const today = () => new Date().toISOString().slice(0, 10);

/** The deal in its input shape (names, not ids): what revisions store and diff. */
export type DealSnapshot = Omit<DealInput, "statusOn" | "parties" | "technologies"> & {
  parties: { company: string; role: string }[];
  technologies: string[];
};

export function snapshotOf(deal: DealRecord): DealSnapshot {
  return {
    title: deal.title,
    announcedOn: deal.announcedOn,
    datePrecision: deal.datePrecision,
    types: deal.types,
    binding: deal.binding,
    status: deal.status,
    summary: deal.summary,
    value: deal.value,
    parties: deal.parties.map((p) => ({ company: p.company.name, role: p.role })),
    technologies: deal.technologies.map((t) => t.name),
    quotes: deal.quotes,
    sources: deal.sources,
    expandsDealId: deal.expandsDealId,
  };
}

function changedFields(before: DealSnapshot | null, after: DealSnapshot | null): string[] {
  const keys = Object.keys(after ?? before ?? {}) as (keyof DealSnapshot)[];
  return keys.filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
}

export function writeRevision(
  tx: Tx,
  dealId: number,
  version: number,
  action: RevisionAction,
  actor: Actor | string,
  before: DealSnapshot | null,
  after: DealSnapshot | null,
) {
  const who = typeof actor === "string" ? { name: actor } : actor;
  tx.insert(revisions)
    .values({
      dealId,
      version,
      action,
      actor: who.name,
      actorUserId: who.userId ?? null,
      actorTokenId: who.tokenId ?? null,
      changedFields: changedFields(before, after),
      before,
      after,
    })
    .run();
  // Every deal change writes a revision; its webhook event goes into the outbox in the same transaction.
  enqueueDealEvent(tx, action, dealId, actor);
}

// ---------------------------------------------------------------------------------------------
// Companies and technologies

/**
 * A slug no record has now or had before (old slugs keep redirecting), so a new record can never
 * capture another's address; `selfId` may take back one of its own old slugs.
 */
export function uniqueSlug(tx: Tx, kind: MergeKind, name: string, selfId?: number): string {
  const base = slugify(name);
  const table = kind === "company" ? companies : technologies;
  const history = kind === "company" ? companySlugs : technologySlugs;
  const historyOwner = kind === "company" ? companySlugs.companyId : technologySlugs.technologyId;
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const current = tx.select({ id: table.id }).from(table).where(eq(table.slug, slug)).get();
    const old = tx.select({ id: historyOwner }).from(history).where(eq(history.slug, slug)).get();
    if ((!current || current.id === selfId) && (!old || old.id === selfId)) return slug;
  }
}

/** A company's or technology area's history entry, in the same transaction as the change. */
export function writeRecordRevision(
  tx: Tx,
  entity: MergeKind,
  entityId: number,
  version: number,
  action: RecordAction,
  actor: Actor | string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  mergeId: number | null = null,
) {
  const who = typeof actor === "string" ? { name: actor } : actor;
  const keys = Object.keys(after ?? before ?? {});
  tx.insert(recordRevisions)
    .values({
      entity,
      entityId,
      version,
      action,
      actor: who.name,
      actorUserId: who.userId ?? null,
      actorTokenId: who.tokenId ?? null,
      changedFields: keys.filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k])),
      before,
      after,
      mergeId,
    })
    .run();
}

/** Returns the company a party name means, creating it when no name, alias or slug matches. */
function resolveOrCreateCompany(tx: Tx, name: string, demo: boolean): number {
  const existing = findCompanyId(tx, name);
  if (existing) return existing;
  const clean = normalizeName(name);
  return tx
    .insert(companies)
    .values({ name: clean, nameKey: companyKey(clean), slug: uniqueSlug(tx, "company", clean), demo })
    .returning({ id: companies.id })
    .get().id;
}

function resolveOrCreateTechnology(tx: Tx, name: string): number {
  const existing = findTechnologyId(tx, name);
  if (existing) return existing;
  const clean = normalizeName(name);
  return tx
    .insert(technologies)
    .values({ name: clean, nameKey: labelKey(clean), slug: uniqueSlug(tx, "technology", clean) })
    .returning({ id: technologies.id })
    .get().id;
}

export function createCompany(
  input: CompanyInput,
  options: { demo?: boolean; actor?: Actor | string } = {},
  db: Db = getDb(),
) {
  return db.transaction((tx) => {
    const errors: FieldErrors = {};
    const taken = findCompanyId(tx, input.name);
    if (taken) errors.name = [`"${input.name}" already exists as ${companyName(tx, taken)}`];
    input.aliases.forEach((alias, i) => {
      const owner = findCompanyId(tx, alias);
      if (owner) errors[`aliases.${i}`] = [`"${alias}" already names ${companyName(tx, owner)}`];
    });
    const parentId = input.parent ? findCompanyId(tx, input.parent) : null;
    if (input.parent && !parentId) errors.parent = [`No company called "${input.parent}"`];
    if (Object.keys(errors).length) throw new InputError(errors);

    const company = tx
      .insert(companies)
      .values({
        name: input.name,
        nameKey: companyKey(input.name),
        slug: uniqueSlug(tx, "company", input.name),
        country: input.country,
        sector: input.sector,
        website: input.website,
        parentId,
        demo: options.demo ?? false,
      })
      .returning()
      .get();
    for (const alias of input.aliases) {
      tx.insert(companyAliases)
        .values({ companyId: company.id, alias, aliasKey: companyKey(alias) })
        .run();
    }
    const created = {
      name: input.name,
      aliases: input.aliases,
      country: input.country,
      sector: input.sector,
      website: input.website,
      parent: input.parent,
    };
    writeRecordRevision(tx, "company", company.id, 1, "create", options.actor ?? "api", null, created);
    return company;
  }, immediate);
}

function companyName(tx: Tx, id: number) {
  return (
    tx.select({ name: companies.name }).from(companies).where(eq(companies.id, id)).get()?.name ?? `#${id}`
  );
}

export function createTechnology(name: string, db: Db = getDb()) {
  return db.transaction((tx) => {
    const existing = findTechnologyId(tx, name);
    if (existing) throw new InputError({ name: [`"${name}" already exists`] });
    const id = resolveOrCreateTechnology(tx, name);
    return tx.select().from(technologies).where(eq(technologies.id, id)).get()!;
  }, immediate);
}

// ---------------------------------------------------------------------------------------------
// Deals

type DealOptions = { actor: Actor | string; demo?: boolean };

/** Resolves names to ids and checks what only the database can tell; throws InputError. */
function resolveDealRefs(tx: Tx, input: DealInput, demo: boolean, selfId?: number) {
  const errors: FieldErrors = {};
  if (input.expandsDealId !== null) {
    const target = tx
      .select({ id: deals.id })
      .from(deals)
      .where(and(eq(deals.id, input.expandsDealId), isNull(deals.deletedAt)))
      .get();
    if (!target) errors.expandsDealId = [`There is no deal with id ${input.expandsDealId}`];
    else if (target.id === selfId) errors.expandsDealId = ["A deal cannot expand itself"];
  }
  const partyIds = input.parties.map((p) => resolveOrCreateCompany(tx, p.company, demo));
  partyIds.forEach((id, i) => {
    const first = partyIds.indexOf(id);
    if (first < i) {
      errors[`parties.${i}.company`] = [
        `"${input.parties[i]!.company}" is the same company as party ${first + 1} (${companyName(tx, id)})`,
      ];
    }
  });
  if (Object.keys(errors).length) throw new InputError(errors);
  const technologyIds = [...new Set(input.technologies.map((t) => resolveOrCreateTechnology(tx, t)))];
  const value = input.value
    ? { valueMinor: toMinorUnits(input.value.amount, input.value.currency)!, currency: input.value.currency }
    : { valueMinor: null, currency: null };
  return { partyIds, technologyIds, value };
}

function writeDealParts(tx: Tx, dealId: number, input: DealInput, refs: ReturnType<typeof resolveDealRefs>) {
  tx.delete(dealTypes).where(eq(dealTypes.dealId, dealId)).run();
  tx.delete(dealParties).where(eq(dealParties.dealId, dealId)).run();
  tx.delete(dealTechnologies).where(eq(dealTechnologies.dealId, dealId)).run();
  tx.delete(quotes).where(eq(quotes.dealId, dealId)).run();
  tx.delete(sources).where(eq(sources.dealId, dealId)).run();
  tx.insert(dealTypes)
    .values(input.types.map((type) => ({ dealId, type })))
    .run();
  tx.insert(dealParties)
    .values(
      input.parties.map((p, i) => ({ dealId, companyId: refs.partyIds[i]!, role: p.role, position: i })),
    )
    .run();
  if (refs.technologyIds.length) {
    tx.insert(dealTechnologies)
      .values(refs.technologyIds.map((technologyId) => ({ dealId, technologyId })))
      .run();
  }
  if (input.quotes.length) {
    tx.insert(quotes)
      .values(input.quotes.map((q, position) => ({ dealId, position, ...q })))
      .run();
  }
  tx.insert(sources)
    .values(input.sources.map((s, position) => ({ dealId, position, ...s })))
    .run();
  refreshDerivedRows(tx, dealId);
}

/**
 * Rewrites what is derived from a deal's parts: its full-text row (title, summary, quotes and every
 * name and alias of its parties) and its pre-joined CSV cells.
 */
function refreshDerivedRows(tx: Tx, dealId: number) {
  tx.run(sql`DELETE FROM deal_search WHERE rowid = ${dealId}`);
  insertSearchRows(tx, sql`d.id = ${dealId}`);
  refreshDealCells(tx, sql`d.id = ${dealId}`);
}

/**
 * Rewrites the CSV cells (db/schema.ts dealCells) of the deals matching `condition` (on alias `d`).
 * The same SQL fills the table in drizzle/0004_deal_cells_backfill.sql.
 */
export function refreshDealCells(tx: Tx, condition: SQL) {
  tx.run(sql`INSERT OR REPLACE INTO deal_cells (deal_id, types, parties, technologies, first_source_url, quote_count, sources_json, quotes_json)
    SELECT d.id,
      coalesce((SELECT group_concat(type, '; ' ORDER BY type) FROM deal_types WHERE deal_id = d.id), ''),
      coalesce((SELECT group_concat(c.name || ' (' || p.role || ')', '; ' ORDER BY p.position)
         FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id), ''),
      coalesce((SELECT group_concat(t.name, '; ' ORDER BY t.name)
         FROM deal_technologies dt JOIN technologies t ON t.id = dt.technology_id WHERE dt.deal_id = d.id), ''),
      (SELECT url FROM sources WHERE deal_id = d.id ORDER BY position LIMIT 1),
      (SELECT count(*) FROM quotes WHERE deal_id = d.id),
      coalesce((SELECT json_group_array(json_object('url', url, 'title', title, 'publisher', publisher, 'publishedOn', published_on) ORDER BY position)
         FROM sources WHERE deal_id = d.id), '[]'),
      coalesce((SELECT json_group_array(json_object('text', text, 'speaker', speaker, 'speakerTitle', speaker_title, 'speakerCompany', speaker_company) ORDER BY position)
         FROM quotes WHERE deal_id = d.id), '[]')
    FROM deals d WHERE ${condition}`);
}

/** Rewrites the search rows of every deal a company is party to (its names and aliases are in them). */
export function refreshCompanyDeals(tx: Tx, companyId: number) {
  const ofCompany = sql`SELECT deal_id FROM deal_parties WHERE company_id = ${companyId}`;
  tx.run(sql`DELETE FROM deal_search WHERE rowid IN (${ofCompany})`);
  insertSearchRows(tx, sql`d.id IN (${ofCompany})`);
}

/** Inserts search rows for the deals matching `condition` (written against the alias `d`). */
export function insertSearchRows(tx: Tx, condition: SQL) {
  tx.run(sql`INSERT INTO deal_search (rowid, title, summary, quotes, parties)
    SELECT d.id, d.title, d.summary,
      (SELECT group_concat(q.text || ' ' || q.speaker || ' ' || coalesce(q.speaker_company, ''), ' ')
         FROM quotes q WHERE q.deal_id = d.id),
      (SELECT group_concat(c.name || ' ' || coalesce((SELECT group_concat(a.alias, ' ')
         FROM company_aliases a WHERE a.company_id = c.id), ''), ' ')
         FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id)
    FROM deals d WHERE ${condition}`);
}

function mustLoad(tx: Tx, id: number): DealRecord {
  const [deal] = loadDeals(tx, [id]);
  if (!deal) throw new NotFoundError(`Deal ${id}`);
  return deal;
}

export function createDeal(input: DealInput, options: DealOptions, db: Db = getDb()): DealRecord {
  return db.transaction((tx) => {
    const refs = resolveDealRefs(tx, input, options.demo ?? false);
    const { id } = tx
      .insert(deals)
      .values({
        title: input.title,
        announcedOn: input.announcedOn,
        datePrecision: input.datePrecision,
        binding: input.binding,
        status: input.status,
        summary: input.summary,
        ...refs.value,
        expandsDealId: input.expandsDealId,
        demo: options.demo ?? false,
      })
      .returning({ id: deals.id })
      .get();
    writeDealParts(tx, id, input, refs);
    // The history starts at the announcement; a later status gets its own (possibly undated) entry.
    tx.insert(statusHistory)
      .values({ dealId: id, status: "announced", effectiveOn: input.announcedOn })
      .run();
    if (input.status !== "announced") {
      tx.insert(statusHistory)
        .values({ dealId: id, status: input.status, effectiveOn: input.statusOn })
        .run();
    }
    const deal = mustLoad(tx, id);
    writeRevision(tx, id, deal.version, "create", options.actor, null, snapshotOf(deal));
    return deal;
  }, immediate);
}

/** Replaces a deal's content, refusing when `expectedVersion` is no longer the saved one. */
export function updateDeal(
  id: number,
  input: DealInput,
  expectedVersion: number,
  options: DealOptions,
  db: Db = getDb(),
): DealRecord {
  try {
    return updateDealTx(id, input, expectedVersion, options, db);
  } catch (error) {
    if (error instanceof NoChange) return error.deal;
    throw error;
  }
}

/** Thrown inside a transaction to roll back a save that changed nothing. */
class NoChange extends Error {
  constructor(public readonly deal: DealRecord) {
    super("No change");
  }
}

function updateDealTx(id: number, input: DealInput, expectedVersion: number, options: DealOptions, db: Db) {
  return db.transaction((tx) => {
    const current = getDeal(id, {}, tx);
    if (!current) throw new NotFoundError(`Deal ${id}`);
    if (current.version !== expectedVersion) throw new ConflictError(current.version, expectedVersion);
    const before = snapshotOf(current);
    const refs = resolveDealRefs(tx, input, current.demo, id);
    const version = current.version + 1;
    tx.update(deals)
      .set({
        title: input.title,
        announcedOn: input.announcedOn,
        datePrecision: input.datePrecision,
        binding: input.binding,
        status: input.status,
        summary: input.summary,
        ...refs.value,
        expandsDealId: input.expandsDealId,
        version,
        updatedAt: new Date(),
      })
      .where(eq(deals.id, id))
      .run();
    writeDealParts(tx, id, input, refs);
    if (input.status !== current.status) {
      tx.insert(statusHistory)
        .values({ dealId: id, status: input.status, effectiveOn: input.statusOn ?? today() })
        .run();
    }
    const deal = mustLoad(tx, id);
    const after = snapshotOf(deal);
    // A save that changes nothing must not bump the version or add an empty revision.
    if (changedFields(before, after).length === 0) throw new NoChange(current);
    writeRevision(tx, id, version, "update", options.actor, before, after);
    return deal;
  }, immediate);
}

function setDeleted(
  id: number,
  deleted: boolean,
  options: DealOptions & { expectedVersion?: number },
  db: Db,
) {
  return db.transaction((tx) => {
    const current = getDeal(id, { includeDeleted: true }, tx);
    if (!current || Boolean(current.deletedAt) === deleted) {
      throw new NotFoundError(deleted ? `Deal ${id}` : `Deleted deal ${id}`);
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new ConflictError(current.version, options.expectedVersion);
    }
    const version = current.version + 1;
    tx.update(deals)
      .set({ deletedAt: deleted ? new Date() : null, version, updatedAt: new Date() })
      .where(eq(deals.id, id))
      .run();
    const snapshot = snapshotOf(current);
    writeRevision(
      tx,
      id,
      version,
      deleted ? "delete" : "restore",
      options.actor,
      deleted ? snapshot : null,
      deleted ? null : snapshot,
    );
    return mustLoad(tx, id);
  }, immediate);
}

/** Soft delete: the deal leaves every list but keeps its data and history, and can be restored. */
export function deleteDeal(
  id: number,
  options: DealOptions & { expectedVersion?: number },
  db: Db = getDb(),
) {
  return setDeleted(id, true, options, db);
}

export function restoreDeal(id: number, options: DealOptions, db: Db = getDb()) {
  return setDeleted(id, false, options, db);
}

/**
 * Saves the deal as it was after an earlier revision, as a new version: history is never rewritten.
 * `expectedVersion` is the version the analyst was looking at, so a concurrent edit is not lost.
 */
export function restoreDealVersion(
  dealId: number,
  revisionId: number,
  expectedVersion: number,
  options: DealOptions,
  db: Db = getDb(),
): DealRecord {
  const revision = db
    .select({ after: revisions.after })
    .from(revisions)
    .where(and(eq(revisions.id, revisionId), eq(revisions.dealId, dealId)))
    .get();
  if (!revision?.after) throw new NotFoundError(`Revision ${revisionId} of deal ${dealId}`);
  const parsed = dealInput.safeParse(revision.after);
  if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
  return updateDeal(dealId, parsed.data, expectedVersion, options, db);
}
