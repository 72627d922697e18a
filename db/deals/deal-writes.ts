import "server-only";
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { toMinorUnits } from "@/lib/money";
import { actorColumns, type Actor } from "../audit/revisions";
import type { Db, Tx } from "../core/connection";
import { getDeal, loadDeals } from "./deals";
import { mayView, teamIdForWrite, type Viewer } from "../accounts/visibility";
import { dateText, groupConcat, isPg, jsonArrayOfObjects } from "../core/dialect";
import { companyName, resolveOrCreateCompany, resolveOrCreateTechnology } from "../directory/directory";
import { ConflictError, InputError, NotFoundError } from "../core/errors";
import { getDb } from "../core/index";
import type { DealRecord } from "../types";
import {
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  quotes,
  revisions,
  sources,
  statusHistory,
  type RevisionAction,
} from "../schema";
import { clearCsvLines } from "./csv-lines";
import { refreshSearchRows } from "./search";
import { countDeals, recounting } from "../stats/stat-counts";
import { takeDealWriteTurn } from "../core/write-order";
import { enqueueDealEvent } from "../follow/webhooks";
import {
  dealInput,
  fieldErrors,
  plainFieldsOf,
  withPlainFields,
  type DealInput,
  type FieldErrors,
} from "../../lib/validation";

// Every deal write is one `db.write` transaction that also writes its revision row, so history and
// data never disagree, and a throw anywhere leaves nothing behind on either engine.

const today = () => new Date().toISOString().slice(0, 10);

/** The deal in its input shape (names, not ids): what revisions store and diff. */
export type DealSnapshot = Omit<DealInput, "statusOn" | "parties" | "technologies"> & {
  parties: { company: string; role: string }[];
  technologies: string[];
};

export function snapshotOf(deal: DealRecord): DealSnapshot {
  return withPlainFields(deal, {
    types: deal.types,
    value: deal.value,
    parties: deal.parties.map((p) => ({ company: p.company.name, role: p.role })),
    technologies: deal.technologies.map((t) => t.name),
    quotes: deal.quotes,
    sources: deal.sources,
    visibility: deal.visibility,
  });
}

function changedFields(before: DealSnapshot | null, after: DealSnapshot | null): string[] {
  const keys = Object.keys(after ?? before ?? {}) as (keyof DealSnapshot)[];
  return keys.filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
}

export async function writeRevision(
  tx: Tx,
  dealId: number,
  version: number,
  action: RevisionAction,
  actor: Actor | string,
  before: DealSnapshot | null,
  after: DealSnapshot | null,
): Promise<void> {
  // Revision ids are watermarks (inbox, watches): they must become visible in id order.
  await takeDealWriteTurn(tx);
  await tx.insert(revisions).values({
    dealId,
    version,
    action,
    ...actorColumns(actor),
    changedFields: changedFields(before, after),
    before,
    after,
  });
  // Every deal change writes a revision; its webhook event goes into the outbox in the same transaction.
  await enqueueDealEvent(tx, action, dealId, actor);
}

// ---------------------------------------------------------------------------------------------
// Deals

/**
 * `viewer` is who writes: they change only deals they can see, and make a deal confidential only
 * to a team of theirs (an admin: any team). Without one, only deals visible to everyone.
 */
type DealOptions = { actor: Actor | string; demo?: boolean; viewer?: Viewer };

/**
 * A create whose per-bucket counts the caller adds itself, once for many new deals, in the same
 * transaction (countDeals over their ids): an import of thousands of rows. On PostgreSQL each save's
 * counting updates the same few rows (all deals, this month…), and thousands of versions of one row
 * in one transaction made every later update walk them all — a 5,000-row import took over 300 s.
 */
type CountedByCaller = { countsLater: true };

/** Resolves names to ids and checks what only the database can tell; throws InputError. */
async function resolveDealRefs(
  tx: Tx,
  input: DealInput,
  options: { demo: boolean; viewer?: Viewer },
  selfId?: number,
) {
  const { demo } = options;
  const errors: FieldErrors = {};
  let teamId: number | null = null;
  try {
    teamId = await teamIdForWrite(input.visibility, options.viewer, tx);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    Object.assign(errors, error.fieldErrors);
  }
  if (input.expandsDealId !== null) {
    const [target] = await tx
      .select({ id: deals.id, teamId: deals.teamId })
      .from(deals)
      .where(and(eq(deals.id, input.expandsDealId), isNull(deals.deletedAt)));
    // A confidential deal the writer cannot see does not exist for them.
    if (!target || !mayView(options.viewer, target.teamId))
      errors.expandsDealId = [`There is no deal with id ${input.expandsDealId}`];
    else if (target.id === selfId) errors.expandsDealId = ["A deal cannot expand itself"];
  }
  // One at a time: two parties may name one new company, which must be created once.
  const partyIds: number[] = [];
  for (const p of input.parties) partyIds.push(await resolveOrCreateCompany(tx, p.company, demo));
  for (const [i, id] of partyIds.entries()) {
    const first = partyIds.indexOf(id);
    if (first < i) {
      errors[`parties.${i}.company`] = [
        `"${input.parties[i]!.company}" is the same company as party ${first + 1} (${await companyName(tx, id)})`,
      ];
    }
  }
  if (Object.keys(errors).length) throw new InputError(errors);
  const technologyIds: number[] = [];
  for (const t of input.technologies) {
    const id = await resolveOrCreateTechnology(tx, t);
    if (!technologyIds.includes(id)) technologyIds.push(id);
  }
  const value = input.value
    ? { valueMinor: toMinorUnits(input.value.amount, input.value.currency)!, currency: input.value.currency }
    : { valueMinor: null, currency: null };
  return { partyIds, technologyIds, value, teamId };
}

/** The deal row's own columns, as the form and the API give them. */
function dealColumns(input: DealInput, refs: Awaited<ReturnType<typeof resolveDealRefs>>) {
  return { ...plainFieldsOf(input), ...refs.value, teamId: refs.teamId };
}

async function writeDealParts(
  tx: Tx,
  dealId: number,
  input: DealInput,
  refs: Awaited<ReturnType<typeof resolveDealRefs>>,
) {
  await tx.delete(dealTypes).where(eq(dealTypes.dealId, dealId));
  await tx.delete(dealParties).where(eq(dealParties.dealId, dealId));
  await tx.delete(dealTechnologies).where(eq(dealTechnologies.dealId, dealId));
  await tx.delete(quotes).where(eq(quotes.dealId, dealId));
  await tx.delete(sources).where(eq(sources.dealId, dealId));
  await tx.insert(dealTypes).values(input.types.map((type, position) => ({ dealId, type, position })));
  await tx
    .insert(dealParties)
    .values(
      input.parties.map((p, i) => ({ dealId, companyId: refs.partyIds[i]!, role: p.role, position: i })),
    );
  if (refs.technologyIds.length) {
    await tx
      .insert(dealTechnologies)
      .values(refs.technologyIds.map((technologyId) => ({ dealId, technologyId })));
  }
  if (input.quotes.length) {
    await tx.insert(quotes).values(input.quotes.map((q, position) => ({ dealId, position, ...q })));
  }
  await tx.insert(sources).values(input.sources.map((s, position) => ({ dealId, position, ...s })));
  await refreshDerivedRows(tx, dealId);
}

/**
 * Rewrites what is derived from a deal's parts: its full-text row (title, summary, quotes and every
 * name and alias of its parties) and its pre-joined CSV cells.
 */
export async function refreshDerivedRows(tx: Tx, dealId: number): Promise<void> {
  await refreshSearchRows(tx, sql`d.id = ${dealId}`);
  await refreshDealCells(tx, sql`d.id = ${dealId}`);
}

/**
 * Rewrites the CSV cells (schema dealCells) of the deals matching `condition` (on alias `d`).
 * drizzle/sqlite/0004_deal_cells_backfill.sql filled the table once with SQLite's spelling of this.
 */
export async function refreshDealCells(tx: Tx, condition: SQL): Promise<void> {
  const sourceObject = jsonArrayOfObjects(
    [
      ["url", sql`url`],
      ["title", sql`title`],
      ["publisher", sql`publisher`],
      ["publishedOn", dateText(sql`published_on`)],
    ],
    sql`position`,
  );
  const quoteObject = jsonArrayOfObjects(
    [
      ["text", sql`text`],
      ["speaker", sql`speaker`],
      ["speakerTitle", sql`speaker_title`],
      ["speakerCompany", sql`speaker_company`],
    ],
    sql`position`,
  );
  await tx.execute(sql`INSERT INTO deal_cells (deal_id, types, parties, technologies, first_source_url, quote_count, sources_json, quotes_json)
    SELECT d.id,
      coalesce((SELECT ${groupConcat(sql`type`, "; ", sql`position`)} FROM deal_types WHERE deal_id = d.id), ''),
      coalesce((SELECT ${groupConcat(sql`c.name || ' (' || p.role || ')'`, "; ", sql`p.position`)}
         FROM deal_parties p JOIN companies c ON c.id = p.company_id WHERE p.deal_id = d.id), ''),
      coalesce((SELECT ${groupConcat(sql`t.name`, "; ", sql`t.name`)}
         FROM deal_technologies dt JOIN technologies t ON t.id = dt.technology_id WHERE dt.deal_id = d.id), ''),
      (SELECT url FROM sources WHERE deal_id = d.id ORDER BY position LIMIT 1),
      (SELECT count(*) FROM quotes WHERE deal_id = d.id),
      coalesce((SELECT ${sourceObject} FROM sources WHERE deal_id = d.id), '[]'),
      coalesce((SELECT ${quoteObject} FROM quotes WHERE deal_id = d.id), '[]')
    FROM deals d WHERE ${condition}
    ON CONFLICT (deal_id) DO UPDATE SET types = excluded.types, parties = excluded.parties,
      technologies = excluded.technologies, first_source_url = excluded.first_source_url,
      quote_count = excluded.quote_count, sources_json = excluded.sources_json, quotes_json = excluded.quotes_json,
      csv_line = NULL`);
}

async function mustLoad(tx: Tx, id: number): Promise<DealRecord> {
  const [deal] = await loadDeals(tx, [id]);
  if (!deal) throw new NotFoundError(`Deal ${id}`);
  return deal;
}

/**
 * Holds the deal's row until the transaction ends, so two saves checking one version take turns
 * and the second sees the first's version (PostgreSQL). SQLite runs one write at a time anyway.
 */
async function lockDeal(tx: Tx, id: number): Promise<void> {
  if (isPg) await tx.select({ id: deals.id }).from(deals).where(eq(deals.id, id)).for("update");
}

export async function createDeal(
  input: DealInput,
  options: DealOptions & Partial<CountedByCaller>,
  db: Db = getDb(),
): Promise<DealRecord> {
  return db.write(async (tx) => {
    const refs = await resolveDealRefs(tx, input, { demo: options.demo ?? false, viewer: options.viewer });
    const [{ id }] = (await tx
      .insert(deals)
      .values({ ...dealColumns(input, refs), demo: options.demo ?? false })
      .returning({ id: deals.id })) as [{ id: number }];
    await writeDealParts(tx, id, input, refs);
    if (!options.countsLater) await countDeals(tx, sql`d.id = ${id}`, 1);
    // The history starts at the announcement; a later status gets its own (possibly undated) entry.
    await tx
      .insert(statusHistory)
      .values([
        { dealId: id, status: "announced", effectiveOn: input.announcedOn },
        ...(input.status !== "announced"
          ? [{ dealId: id, status: input.status, effectiveOn: input.statusOn }]
          : []),
      ]);
    const deal = await mustLoad(tx, id);
    await writeRevision(tx, id, deal.version, "create", options.actor, null, snapshotOf(deal));
    return deal;
  });
}

/** Replaces a deal's content, refusing when `expectedVersion` is no longer the saved one. */
export async function updateDeal(
  id: number,
  input: DealInput,
  expectedVersion: number,
  options: DealOptions,
  db: Db = getDb(),
): Promise<DealRecord> {
  try {
    return await updateDealTx(id, input, expectedVersion, options, db);
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
  return db.write(async (tx) => {
    await lockDeal(tx, id);
    const current = await getDeal(id, { viewer: options.viewer }, tx);
    if (!current) throw new NotFoundError(`Deal ${id}`);
    if (current.version !== expectedVersion) throw new ConflictError(current.version, expectedVersion);
    const before = snapshotOf(current);
    const refs = await resolveDealRefs(tx, input, { demo: current.demo, viewer: options.viewer }, id);
    const version = current.version + 1;
    await recounting(tx, sql`d.id = ${id}`, async () => {
      await tx
        .update(deals)
        .set({ ...dealColumns(input, refs), version, updatedAt: new Date() })
        .where(eq(deals.id, id));
      await writeDealParts(tx, id, input, refs);
    });
    if (input.status !== current.status) {
      await tx
        .insert(statusHistory)
        .values({ dealId: id, status: input.status, effectiveOn: input.statusOn ?? today() });
    }
    const deal = await mustLoad(tx, id);
    const after = snapshotOf(deal);
    // A save that changes nothing must not bump the version or add an empty revision.
    if (changedFields(before, after).length === 0) throw new NoChange(current);
    await writeRevision(tx, id, version, "update", options.actor, before, after);
    return deal;
  });
}

function setDeleted(
  id: number,
  deleted: boolean,
  options: DealOptions & { expectedVersion?: number },
  db: Db,
) {
  return db.write(async (tx) => {
    await lockDeal(tx, id);
    const current = await getDeal(id, { includeDeleted: true, viewer: options.viewer }, tx);
    if (!current || Boolean(current.deletedAt) === deleted) {
      throw new NotFoundError(deleted ? `Deal ${id}` : `Deleted deal ${id}`);
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new ConflictError(current.version, options.expectedVersion);
    }
    const version = current.version + 1;
    await recounting(tx, sql`d.id = ${id}`, () =>
      tx
        .update(deals)
        .set({ deletedAt: deleted ? new Date() : null, version, updatedAt: new Date() })
        .where(eq(deals.id, id)),
    );
    // Its kept CSV line shows the old updated_at: cleared, for the background pass to write again.
    await clearCsvLines(tx, sql`deal_id = ${id}`);
    const snapshot = snapshotOf(current);
    await writeRevision(
      tx,
      id,
      version,
      deleted ? "delete" : "restore",
      options.actor,
      deleted ? snapshot : null,
      deleted ? null : snapshot,
    );
    return mustLoad(tx, id);
  });
}

/** Soft delete: the deal leaves every list but keeps its data and history, and can be restored. */
export async function deleteDeal(
  id: number,
  options: DealOptions & { expectedVersion?: number },
  db: Db = getDb(),
): Promise<DealRecord> {
  return setDeleted(id, true, options, db);
}

export async function restoreDeal(id: number, options: DealOptions, db: Db = getDb()): Promise<DealRecord> {
  return setDeleted(id, false, options, db);
}

/**
 * Saves the deal as it was after an earlier revision, as a new version: history is never rewritten.
 * `expectedVersion` is the version the analyst was looking at, so a concurrent edit is not lost.
 */
export async function restoreDealVersion(
  dealId: number,
  revisionId: number,
  expectedVersion: number,
  options: DealOptions,
  db: Db = getDb(),
): Promise<DealRecord> {
  const [revision] = await db
    .select({ after: revisions.after })
    .from(revisions)
    .where(and(eq(revisions.id, revisionId), eq(revisions.dealId, dealId)));
  if (!revision?.after) throw new NotFoundError(`Revision ${revisionId} of deal ${dealId}`);
  const parsed = dealInput.safeParse(revision.after);
  if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
  return updateDeal(dealId, parsed.data, expectedVersion, options, db);
}
