import "server-only";
import {
  and,
  eq,
  getTableColumns,
  inArray,
  isNull,
  sql,
  type SQL,
  type SQLWrapper,
  type Table,
} from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { toMinorUnits } from "@/lib/money";
import { actorColumns, type Actor } from "../audit/revisions";
import type { Db, Tx } from "../core/connection";
import { getDeal, loadDeals } from "./deals";
import { mayView, teamIdForWrite, type Viewer } from "../accounts/visibility";
import { dateText, groupConcat, inIds, isPg, jsonArrayOfObjects } from "../core/dialect";
import { companyName, resolveOrCreateCompanies, resolveOrCreateTechnologies } from "../directory/directory";
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
import { enqueueCreatedDeals, enqueueDealEvent } from "../follow/webhooks";
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
  await writeRevisions(tx, [{ dealId, version, before, after }], action, actor);
  // Every deal change writes a revision; its webhook event goes into the outbox in the same transaction.
  await enqueueDealEvent(tx, action, dealId, actor);
}

/** The revision rows of many deals with one action, in as few statements as the engines allow. */
async function writeRevisions(
  tx: Tx,
  changes: { dealId: number; version: number; before: DealSnapshot | null; after: DealSnapshot | null }[],
  action: RevisionAction,
  actor: Actor | string,
): Promise<void> {
  // Revision ids are watermarks (inbox, watches): they must become visible in id order.
  await takeDealWriteTurn(tx);
  const who = actorColumns(actor);
  const rows = changes.map(({ dealId, version, before, after }) => ({
    dealId,
    version,
    action,
    ...who,
    changedFields: changedFields(before, after),
    before,
    after,
  }));
  for (const chunk of chunksFor(rows, revisions)) await tx.insert(revisions).values(chunk);
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

/** Thrown by createDeals when deals fail a check only the database can tell: field errors by index. */
export class DealsRejected extends Error {
  constructor(public readonly errors: Map<number, FieldErrors>) {
    super(`${errors.size} of the deals have errors`);
  }
}

/** Resolves names to ids and checks what only the database can tell; throws InputError. */
async function resolveDealRefs(
  tx: Tx,
  input: DealInput,
  options: { demo: boolean; viewer?: Viewer },
  selfId?: number,
) {
  try {
    return (await resolveRefs(tx, [input], options, selfId))[0]!;
  } catch (error) {
    if (error instanceof DealsRejected) throw new InputError(error.errors.get(0)!);
    throw error;
  }
}

type Refs = Awaited<ReturnType<typeof resolveRefs>>[number];

/**
 * resolveDealRefs of many deals at once: their names in a few statements for all (a new company or
 * area is created once, for every deal naming it), and every deal's errors (DealsRejected).
 */
async function resolveRefs(
  tx: Tx,
  inputs: DealInput[],
  options: { demo: boolean; viewer?: Viewer },
  selfId?: number,
) {
  const errors = new Map<number, FieldErrors>();
  const fail = (i: number, found: FieldErrors) => errors.set(i, { ...errors.get(i), ...found });
  // Deals of one file mostly share one visibility: each is checked once.
  const teams = new Map<string, Promise<number | InputError | null>>();
  const teamIds: (number | null)[] = [];
  for (const [i, input] of inputs.entries()) {
    const key = JSON.stringify(input.visibility);
    if (!teams.has(key))
      teams.set(
        key,
        teamIdForWrite(input.visibility, options.viewer, tx).catch((error: unknown) => {
          if (error instanceof InputError) return error;
          throw error;
        }),
      );
    const team = await teams.get(key)!;
    if (team instanceof InputError) fail(i, team.fieldErrors);
    teamIds.push(team instanceof InputError ? null : team);
  }
  const targets = [...new Set(inputs.flatMap((input) => input.expandsDealId ?? []))];
  if (targets.length) {
    const rows = await tx
      .select({ id: deals.id, teamId: deals.teamId })
      .from(deals)
      .where(and(inArray(deals.id, targets), isNull(deals.deletedAt)));
    // A confidential deal the writer cannot see does not exist for them.
    const visible = new Set(rows.filter((r) => mayView(options.viewer, r.teamId)).map((r) => r.id));
    for (const [i, { expandsDealId }] of inputs.entries()) {
      if (expandsDealId === null) continue;
      if (!visible.has(expandsDealId))
        fail(i, { expandsDealId: [`There is no deal with id ${expandsDealId}`] });
      else if (expandsDealId === selfId) fail(i, { expandsDealId: ["A deal cannot expand itself"] });
    }
  }
  const companyIds = await resolveOrCreateCompanies(
    tx,
    inputs.flatMap((input) => input.parties.map((p) => p.company)),
    options.demo,
  );
  const partyIds = inputs.map((input) => input.parties.map((p) => companyIds.get(p.company)!));
  for (const [d, ids] of partyIds.entries()) {
    for (const [i, id] of ids.entries()) {
      const first = ids.indexOf(id);
      if (first < i) {
        fail(d, {
          [`parties.${i}.company`]: [
            `"${inputs[d]!.parties[i]!.company}" is the same company as party ${first + 1} (${await companyName(tx, id)})`,
          ],
        });
      }
    }
  }
  if (errors.size) throw new DealsRejected(errors);
  const areaIds = await resolveOrCreateTechnologies(
    tx,
    inputs.flatMap((input) => input.technologies),
  );
  return inputs.map((input, i) => ({
    partyIds: partyIds[i]!,
    technologyIds: [...new Set(input.technologies.map((t) => areaIds.get(t)!))],
    value: input.value
      ? {
          valueMinor: toMinorUnits(input.value.amount, input.value.currency)!,
          currency: input.value.currency,
        }
      : { valueMinor: null, currency: null },
    teamId: teamIds[i]!,
  }));
}

/** The deal row's own columns, as the form and the API give them. */
function dealColumns(input: DealInput, refs: Refs) {
  return { ...plainFieldsOf(input), ...refs.value, teamId: refs.teamId };
}

/** The rows of the parts of one deal or many (each deal's id, input and resolved names). */
function partRows(saved: { dealId: number; input: DealInput; refs: Refs }[]) {
  return {
    types: saved.flatMap(({ dealId, input }) =>
      input.types.map((type, position) => ({ dealId, type, position })),
    ),
    parties: saved.flatMap(({ dealId, input, refs }) =>
      input.parties.map((p, i) => ({ dealId, companyId: refs.partyIds[i]!, role: p.role, position: i })),
    ),
    technologies: saved.flatMap(({ dealId, refs }) =>
      refs.technologyIds.map((technologyId) => ({ dealId, technologyId })),
    ),
    quotes: saved.flatMap(({ dealId, input }) =>
      input.quotes.map((q, position) => ({ dealId, position, ...q })),
    ),
    sources: saved.flatMap(({ dealId, input }) =>
      input.sources.map((s, position) => ({ dealId, position, ...s })),
    ),
  };
}

/** Values bound per statement at most (SQLite allows 32,766, PostgreSQL 65,535). */
const MAX_BOUND = 30_000;

/** `rows` cut into as few inserts into `table` as the engines' limit on bound values allows. */
function chunksFor<R>(rows: R[], table: Table): R[][] {
  const size = Math.max(1, Math.floor(MAX_BOUND / columnCount(table)));
  const chunks: R[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

const columnCount = (table: Table) => Object.keys(getTableColumns(table)).length;

/**
 * An insert or delete not yet run (awaited alone, or embedded in a larger statement), with the
 * number of values it binds at most.
 */
type Write = { statement: SQLWrapper & PromiseLike<unknown>; bound: number };

/**
 * Runs `writes` in order, on PostgreSQL as few statements as the limit on bound values allows
 * (each but the last write of a statement in a data-modifying WITH): a save's round trips are much
 * of its time there. SQLite, which has no such WITH, runs them one by one. Writes in one statement
 * see one snapshot: they must not touch each other's rows.
 */
async function writeTogether(tx: Tx, writes: Write[]): Promise<void> {
  const run = async (batch: Write[]) => {
    if (batch.length === 1) return void (await batch[0]!.statement);
    // getSQL(): a builder put in a template as it is would be parenthesised as a subquery.
    const steps = batch.slice(0, -1).map((w, i) => sql`${sql.raw(`w${i}`)} AS (${w.statement.getSQL()})`);
    await tx.execute(sql`WITH ${sql.join(steps, sql`, `)} ${batch.at(-1)!.statement.getSQL()}`);
  };
  let batch: Write[] = [];
  let bound = 0;
  for (const write of writes) {
    if (batch.length && (!isPg || bound + write.bound > MAX_BOUND)) {
      await run(batch);
      batch = [];
      bound = 0;
    }
    batch.push(write);
    bound += write.bound;
  }
  if (batch.length) await run(batch);
}

/** The inserts of `rows` into `table`, for writeTogether. */
function inserts<T extends PgTable>(tx: Tx, table: T, rows: T["$inferInsert"][]): Write[] {
  return chunksFor(rows, table).map((chunk) => ({
    // The rows are typed by the parameter; Drizzle cannot check a generic table's values itself.
    statement: tx.insert(table).values(chunk as never),
    bound: chunk.length * columnCount(table),
  }));
}

/** The inserts of the parts of one deal or many, for writeTogether. */
function partInserts(tx: Tx, rows: ReturnType<typeof partRows>): Write[] {
  return [
    ...inserts(tx, dealTypes, rows.types),
    ...inserts(tx, dealParties, rows.parties),
    ...inserts(tx, dealTechnologies, rows.technologies),
    ...inserts(tx, quotes, rows.quotes),
    ...inserts(tx, sources, rows.sources),
  ];
}

async function writeDealParts(tx: Tx, dealId: number, input: DealInput, refs: Refs) {
  // Deletes first, in a statement of their own: a part deleted and inserted again in one statement
  // could meet its old row at the table's key.
  await writeTogether(
    tx,
    [dealTypes, dealParties, dealTechnologies, quotes, sources].map((part) => ({
      statement: tx.delete(part).where(eq(part.dealId, dealId)),
      bound: 1,
    })),
  );
  await writeTogether(tx, partInserts(tx, partRows([{ dealId, input, refs }])));
  await refreshDerivedRows(tx, dealId);
}

/**
 * Rewrites what is derived from a deal's parts: its full-text row (title, summary, quotes and every
 * name and alias of its parties) and its pre-joined CSV cells.
 */
export async function refreshDerivedRows(tx: Tx, dealId: number | number[]): Promise<void> {
  const condition = dealIds(dealId);
  await refreshSearchRows(tx, condition);
  await refreshDealCells(tx, condition);
}

/** `d.id` is one of `ids` (on alias `d`): a plain comparison for one deal, as its plans expect. */
function dealIds(ids: number | number[]): SQL {
  const list = typeof ids === "number" ? [ids] : ids;
  return list.length === 1 ? sql`d.id = ${list[0]!}` : inIds(sql`d.id`, list);
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
  try {
    return (await createDeals([input], options, db))[0]!;
  } catch (error) {
    if (error instanceof DealsRejected) throw new InputError(error.errors.get(0)!);
    throw error;
  }
}

/**
 * createDeal of many deals at once (an import's chunk of rows), in one transaction (a savepoint of
 * the caller's): the same rows, checks, revisions and webhook events, each kind of row written for
 * every deal by one statement, where a deal at a time took ~25 statements per deal. When any deal
 * fails a check only the database can tell, nothing is written and DealsRejected gives each one's
 * field errors by index. Returns the new deals in the order given.
 */
export function createDeals(
  inputs: DealInput[],
  options: DealOptions & Partial<CountedByCaller>,
  db: Db = getDb(),
): Promise<DealRecord[]> {
  return db.write(async (tx) => {
    if (!inputs.length) return [];
    const demo = options.demo ?? false;
    const refs = await resolveRefs(tx, inputs, { demo, viewer: options.viewer });
    const inserted: { id: number }[] = [];
    for (const chunk of chunksFor(
      inputs.map((input, i) => ({ ...dealColumns(input, refs[i]!), demo })),
      deals,
    ))
      inserted.push(...(await tx.insert(deals).values(chunk).returning({ id: deals.id })));
    // One statement draws its ids in the order of its rows.
    const ids = inserted.map((r) => r.id).sort((a, b) => a - b);
    // The history starts at the announcement; a later status gets its own (possibly undated) entry.
    const history = inputs.flatMap((input, i) => [
      { dealId: ids[i]!, status: "announced" as const, effectiveOn: input.announcedOn },
      ...(input.status !== "announced"
        ? [{ dealId: ids[i]!, status: input.status, effectiveOn: input.statusOn }]
        : []),
    ]);
    await writeTogether(tx, [
      ...partInserts(tx, partRows(inputs.map((input, i) => ({ dealId: ids[i]!, input, refs: refs[i]! })))),
      ...inserts(tx, statusHistory, history),
    ]);
    await refreshDerivedRows(tx, ids);
    if (!options.countsLater) await countDeals(tx, dealIds(ids), 1);
    const created = await loadDeals(tx, ids);
    await writeRevisions(
      tx,
      created.map((deal) => ({
        dealId: deal.id,
        version: deal.version,
        before: null,
        after: snapshotOf(deal),
      })),
      "create",
      options.actor,
    );
    await enqueueCreatedDeals(
      tx,
      created.map((deal, i) => ({ deal, teamId: refs[i]!.teamId })),
      options.actor,
    );
    return created;
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
