import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { enqueueEvent } from "../follow/webhooks";
import { probableDuplicatesOfNames } from "../directory/duplicates";
import { sql } from "drizzle-orm";
import { columnForPath, rowToDeal, type Mapping, type ParsedCsv } from "@/lib/csv-import";
import { companyKey } from "@/lib/names";
import type { Reader, Tx } from "../core/connection";
import { getDb, type Db } from "../core/index";
import type { Actor } from "../audit/revisions";
import { createDeals, DealsRejected, updateDeal } from "./deal-writes";
import { countDeals } from "../stats/stat-counts";
import { inIds, isPg } from "../core/dialect";
import { findCompanies, findTechnologies } from "../directory/lookups";
import { getDeal } from "./deals";
import { audienceOf, mayView, type Viewer } from "../accounts/visibility";
import { visibleTo } from "../stats/filters";
import type { Audience } from "@/lib/filters";
import { dealInput, type DealInput } from "../../lib/validation";
import { plural } from "@/lib/plural";

// CSV import in two steps: a plan (what each row would do, with every error and warning) and a
// commit that applies the plan in one `db.write` transaction, all or nothing.

export type RowPlan = {
  row: number;
  title: string;
  status: "new" | "duplicate" | "invalid";
  match?: { dealId: number; by: "id" | "parties, date and title" | "an earlier row"; row?: number };
  errors: Record<string, string[]>;
  warnings: string[];
};

export type ImportPlan = {
  rows: RowPlan[];
  summary: { rows: number; new: number; duplicates: number; invalid: number; newCompanies: string[] };
  inputs: (DealInput | null)[];
};

/** Rows checked against the database per statement (each row binds its date and title). */
const PLAN_CHUNK = 500;

/**
 * Probable duplicates of many rows at once: same date, same title (ignoring case) and the same
 * companies, among the deals the importer may see (a confidential deal of another team does not
 * exist for them). `rows`: each row's index and its parties' company ids. Two statements per 500
 * rows, where a row at a time took one per party and candidate.
 */
async function findDuplicates(
  db: Reader,
  rows: { index: number; input: DealInput; companyIds: number[] }[],
  audience: Audience,
): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  for (let start = 0; start < rows.length; start += PLAN_CHUNK) {
    const chunk = rows.slice(start, start + PLAN_CHUNK);
    const wanted = JSON.stringify(chunk.map((r) => [r.input.announcedOn, r.input.title]));
    const matched = isPg
      ? sql`jsonb_array_elements(${wanted}::jsonb) WITH ORDINALITY AS e(r, i)
          JOIN deals ON deals.announced_on = (e.r ->> 0)::date AND lower(deals.title) = lower(e.r ->> 1)`
      : sql`json_each(${wanted}) AS e
          JOIN deals ON deals.announced_on = e.value ->> 0 AND lower(deals.title) = lower(e.value ->> 1)`;
    const position = isPg ? sql`e.i - 1` : sql`e.key`;
    const { rows: candidates } = await db.execute<{ at: number; id: number }>(
      sql`SELECT ${position} AS at, deals.id AS id FROM ${matched}
        WHERE deals.deleted_at IS NULL AND ${visibleTo(audience)} ORDER BY deals.id`,
    );
    if (!candidates.length) continue;
    const ids = [...new Set(candidates.map((c) => Number(c.id)))];
    const { rows: parties } = await db.execute<{ dealId: number; companyId: number }>(
      sql`SELECT deal_id AS "dealId", company_id AS "companyId" FROM deal_parties WHERE ${inIds(sql`deal_id`, ids)}`,
    );
    const partiesOf = new Map<number, number[]>();
    for (const p of parties) {
      const list = partiesOf.get(Number(p.dealId)) ?? [];
      list.push(Number(p.companyId));
      partiesOf.set(Number(p.dealId), list);
    }
    const setOf = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b).join(",");
    for (const c of candidates) {
      const row = chunk[Number(c.at)]!;
      if (found.has(row.index)) continue;
      // A deal's parties are distinct companies, so its list compares as the row's set.
      if ((partiesOf.get(Number(c.id)) ?? []).sort((a, b) => a - b).join(",") === setOf(row.companyIds))
        found.set(row.index, Number(c.id));
    }
  }
  return found;
}

/** Which of `ids` name a live deal the viewer may see (an id they may not see reads as none). */
async function visibleDealIds(db: Reader, ids: number[], viewer: Viewer): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const { rows } = await db.execute<{ id: number; teamId: number | null }>(
    sql`SELECT id, team_id AS "teamId" FROM deals WHERE ${inIds(sql`id`, [...new Set(ids)])} AND deleted_at IS NULL`,
  );
  return new Set(
    rows.filter((r) => mayView(viewer, r.teamId === null ? null : Number(r.teamId))).map((r) => Number(r.id)),
  );
}

/** Work done between two yields to the event loop: other requests wait at most about this long. */
const SLICE_MS = 15;

/**
 * New rows saved together by one createDeals: a few statements per chunk, and a pause for other
 * requests between chunks (on SQLite a chunk holds the process while it is written).
 */
const SAVE_CHUNK = 50;

export type ImportProgress = { phase: "checking" | "saving"; done: number; total: number };

/** `pause`: the step ends a chunk of work big enough to let other requests in after it, whatever its time. */
type Steps<T> = AsyncGenerator<ImportProgress & { pause?: true }, T>;

/** Runs a step generator to its end without pausing. */
async function drain<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs a step generator (a step per row), letting other requests in every SLICE_MS: on SQLite the
 * statements are synchronous underneath, so without these pauses a big file would hold the process.
 */
async function drive<T>(steps: Steps<T>, onProgress?: (p: ImportProgress) => void) {
  let sliceStart = performance.now();
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
    if (!next.value.pause && performance.now() - sliceStart < SLICE_MS) continue;
    const { phase, done, total } = next.value;
    onProgress?.({ phase, done, total });
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}

/** The plan of an import by `viewer`: rows are matched only against the deals they may see. */
export function planImport(
  csv: ParsedCsv,
  mapping: Mapping,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<ImportPlan> {
  return drain(planSteps(csv, mapping, viewer, db));
}

/** planImport in chunks that yield to the event loop, so a 20 MB file does not stall the server. */
export function planImportAsync(
  csv: ParsedCsv,
  mapping: Mapping,
  viewer: Viewer,
  onProgress?: (p: ImportProgress) => void,
  db: Reader = getDb(),
): Promise<ImportPlan> {
  return drive(planSteps(csv, mapping, viewer, db), onProgress);
}

/**
 * Every row is parsed and validated first; then the names, ids and probable duplicates of the whole
 * file are looked up in a few statements (chunked), and each row's plan is made from those answers.
 */
async function* planSteps(csv: ParsedCsv, mapping: Mapping, viewer: Viewer, db: Reader): Steps<ImportPlan> {
  const audience = await audienceOf(viewer, db);
  type Parsed = {
    row: number;
    id?: number;
    title: string;
    errors: Record<string, string[]>;
    input: DealInput | null;
  };
  const parsed: Parsed[] = [];
  for (let index = 0; index < csv.rows.length; index++) {
    if (index > 0) yield { phase: "checking", done: index, total: csv.rows.length };
    const row = index + 2; // the header is row 1, as in a spreadsheet
    const { id, deal, errors } = rowToDeal(csv.rows[index]!, csv.header, mapping);
    const result = dealInput.safeParse(deal);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = columnForPath(issue.path.join("."), csv.header, mapping);
        if (!errors[column]?.length) (errors[column] ??= []).push(issue.message);
      }
    }
    const valid = result.success && !Object.keys(errors).length;
    parsed.push({ row, id, title: deal.title, errors, input: valid ? result.data : null });
  }
  const valid = parsed.flatMap((p) => (p.input ? [p.input] : []));
  // Each look-up reads the whole file's names at once: other requests get a turn after each.
  const lookedUp = { phase: "checking", done: parsed.length, total: parsed.length, pause: true } as const;
  yield lookedUp;
  const companiesByName = await findCompanies(
    db,
    valid.flatMap((i) => i.parties.map((p) => p.company)),
  );
  yield lookedUp;
  const technologiesByName = await findTechnologies(
    db,
    valid.flatMap((i) => i.technologies),
  );
  const newNames = [...new Set(valid.flatMap((i) => i.parties.map((p) => p.company)))].filter(
    (name) => !companiesByName.has(name),
  );
  yield lookedUp;
  const duplicatesOfNew = await probableDuplicatesOfNames(newNames, db);
  yield lookedUp;
  const existingIds = await visibleDealIds(
    db,
    parsed.flatMap((p) => (p.input && p.id !== undefined ? [p.id] : [])),
    viewer,
  );

  // Duplicates within the file, then by id, then by parties, date and title, as a row at a time did.
  const seen = new Map<string, number>();
  const earlier = new Map<number, number>();
  const byId = new Set<number>();
  const lookFor: { index: number; input: DealInput; companyIds: number[] }[] = [];
  parsed.forEach((p, index) => {
    if (!p.input) return;
    const key = `${p.input.announcedOn}|${p.input.title.toLowerCase()}|${p.input.parties
      .map((party) => companyKey(party.company))
      .sort()
      .join(",")}`;
    const first = seen.get(key);
    if (first !== undefined) return void earlier.set(index, first);
    seen.set(key, p.row);
    if (p.id !== undefined && existingIds.has(p.id)) return void byId.add(index);
    const companyIds = p.input.parties.map((party) => companiesByName.get(party.company)?.id);
    if (companyIds.every((id) => id !== undefined))
      lookFor.push({ index, input: p.input, companyIds: companyIds as number[] });
  });
  yield lookedUp;
  const duplicates = await findDuplicates(db, lookFor, audience);
  yield lookedUp;

  const newCompanies = new Set<string>();
  const rows: RowPlan[] = parsed.map((p, index): RowPlan => {
    const { row, errors, input } = p;
    if (!input) return { row, title: p.title, status: "invalid", errors, warnings: [] };
    const warnings: string[] = [];
    for (const party of input.parties) {
      const company = companiesByName.get(party.company);
      if (!company) {
        warnings.push(`New company “${party.company}” will be created`);
        for (const dup of duplicatesOfNew.get(party.company) ?? [])
          warnings.push(
            `“${party.company}” may be a duplicate of ${dup.company.name} (${dup.reasons.map((r) => r.label.toLowerCase()).join(", ")})`,
          );
        newCompanies.add(party.company);
      } else if (company.nameKey !== companyKey(party.company)) {
        warnings.push(`“${party.company}” is linked to ${company.name}`);
      }
    }
    for (const area of input.technologies) {
      if (!technologiesByName.has(area)) warnings.push(`New technology area “${area}” will be created`);
    }
    const base = { row, title: input.title, errors, warnings };
    const first = earlier.get(index);
    if (first !== undefined)
      return { ...base, status: "duplicate", match: { dealId: 0, by: "an earlier row", row: first } };
    if (byId.has(index)) return { ...base, status: "duplicate", match: { dealId: p.id!, by: "id" } };
    const duplicate = duplicates.get(index);
    if (duplicate !== undefined)
      return { ...base, status: "duplicate", match: { dealId: duplicate, by: "parties, date and title" } };
    return { ...base, status: "new" };
  });
  return {
    rows,
    inputs: parsed.map((p) => p.input),
    summary: {
      rows: rows.length,
      new: rows.filter((r) => r.status === "new").length,
      duplicates: rows.filter((r) => r.status === "duplicate").length,
      invalid: rows.filter((r) => r.status === "invalid").length,
      newCompanies: [...newCompanies],
    },
  };
}

export type ImportResult = { created: number[]; updated: number[]; skipped: number };

/** `viewer`: who imports; rows match only deals they may see, and the deals are written as theirs. */
type CommitOptions = { onDuplicate: "skip" | "update"; actor: Actor; viewer: Viewer };

/**
 * Applies an import in one transaction: the plan is made again inside it (so nothing changed in
 * between), any invalid row aborts the whole file, and every written deal gets its revision through
 * the usual mutations (which join this transaction).
 */
export function commitImport(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions,
  db: Db = getDb(),
): Promise<{ plan: ImportPlan; result: ImportResult }> {
  return db.write((tx) => drain(commitSteps(csv, mapping, options, db, tx)));
}

/** Ends the transaction of an import that `before` answered early, without writing anything. */
class EndedEarly<R> {
  constructor(public readonly early: R) {}
}

/**
 * commitImport for big files without stalling the server: the same steps, all or nothing, in one
 * `db.write`, pausing between chunks of rows so other requests get answered. Readers keep seeing
 * the data as it was until the commit (their own connection on SQLite, MVCC on PostgreSQL); other
 * writes wait for the commit (SQLite's write queue, PostgreSQL's row locks).
 * `inTransaction` runs inside the transaction before the commit (e.g. to store an idempotency key);
 * `before` runs first inside it and may end the import early with a value of its own.
 */
export async function commitImportAsync<R = never>(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions & {
    onProgress?: (p: ImportProgress) => void;
    before?: (tx: Tx) => { early: R } | null | Promise<{ early: R } | null>;
    inTransaction?: (tx: Tx, outcome: { plan: ImportPlan; result: ImportResult }) => unknown;
  },
  db: Db = getDb(),
): Promise<{ plan: ImportPlan; result: ImportResult } | { early: R }> {
  // Progress is reported from inside the transaction; whatever the listener starts (another
  // request, another write) belongs to the caller, not to the import's transaction.
  const callerContext = AsyncLocalStorage.snapshot();
  const onProgress =
    options.onProgress && ((p: ImportProgress) => callerContext(() => options.onProgress!(p)));
  try {
    return await db.write(async (tx) => {
      const early = await options.before?.(tx);
      if (early) throw new EndedEarly(early.early);
      const outcome = await drive(commitSteps(csv, mapping, options, db, tx), onProgress);
      await options.inTransaction?.(tx, outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof EndedEarly) return { early: error.early as R };
    throw error;
  }
}

/**
 * The plan is made through `tx`; the new rows are then saved a chunk at a time and the updates a
 * row at a time, by the mutations, which take `db` and whose own `db.write` joins this transaction.
 */
async function* commitSteps(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions,
  db: Db,
  tx: Tx,
): Steps<{ plan: ImportPlan; result: ImportResult }> {
  const plan = yield* planSteps(csv, mapping, options.viewer, tx);
  const writer = { actor: options.actor, viewer: options.viewer };
  if (plan.summary.invalid > 0) throw new ImportRejected(plan);
  const result: ImportResult = { created: [], updated: [], skipped: 0 };
  const total = plan.rows.length;
  const fresh = plan.rows.flatMap((row, i) => (row.status === "new" ? [i] : []));
  for (let start = 0; start < fresh.length; start += SAVE_CHUNK) {
    if (start > 0) yield { phase: "saving", done: start, total, pause: true };
    const chunk = fresh.slice(start, start + SAVE_CHUNK);
    try {
      // Counted a chunk at a time (deal-writes.ts CountedByCaller): once per save made PostgreSQL walk
      // thousands of versions of the same count rows; once for the whole file held a SQLite server
      // for seconds in one synchronous stretch (the dashboard waited up to 2.3 s during a 5,000-row
      // import). A hundred versions per 5,000 rows cost PostgreSQL the same as one count at the end.
      const created = await createDeals(
        chunk.map((i) => plan.inputs[i]!),
        { ...writer, countsLater: true },
        db,
      );
      const ids = created.map((d) => d.id);
      await countDeals(tx, inIds(sql`d.id`, ids), 1);
      result.created.push(...ids);
    } catch (error) {
      // What only the database can tell (e.g. "SKT" and "SK Telecom" are one party).
      if (!(error instanceof DealsRejected)) throw error;
      for (const [k, fieldErrors] of error.errors) {
        const row = plan.rows[chunk[k]!]!;
        row.status = "invalid";
        for (const [path, messages] of Object.entries(fieldErrors)) {
          (row.errors[columnForPath(path, csv.header, mapping)] ??= []).push(...messages);
        }
      }
    }
  }
  let done = fresh.length;
  for (let i = 0; i < plan.rows.length; i++) {
    const row = plan.rows[i]!;
    if (row.status === "new" || row.status === "invalid") continue;
    if (done > 0) yield { phase: "saving", done, total };
    done++;
    const input = plan.inputs[i]!;
    if (row.status === "duplicate" && options.onDuplicate === "update" && row.match && row.match.dealId > 0) {
      const current = (await getDeal(row.match.dealId, { viewer: options.viewer }, tx))!;
      // The CSV has no visibility column: an update keeps the deal's, so a team's deal stays its own.
      const kept = { ...input, visibility: current.visibility };
      const saved = await updateDeal(row.match.dealId, kept, current.version, writer, db);
      if (saved.version !== current.version) result.updated.push(saved.id);
      else result.skipped++;
    } else {
      result.skipped++;
    }
  }
  plan.summary.invalid = plan.rows.filter((r) => r.status === "invalid").length;
  if (plan.summary.invalid > 0) throw new ImportRejected(plan);
  await enqueueEvent(tx, "import.completed", options.actor, () => ({ import: result }));
  return { plan, result };
}

/** Thrown when a file has invalid rows: nothing was written. */
export class ImportRejected extends Error {
  constructor(public readonly plan: ImportPlan) {
    super(
      `${plural(plan.summary.invalid, "row")} ${plan.summary.invalid === 1 ? "has" : "have"} errors; nothing was imported`,
    );
  }
}
