import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { enqueueEvent } from "../follow/webhooks";
import { probableDuplicatesOf } from "../directory/duplicates";
import { and, eq, isNull, sql } from "drizzle-orm";
import { columnForPath, rowToDeal, type Mapping, type ParsedCsv } from "@/lib/csv-import";
import { companyKey } from "@/lib/names";
import type { Reader, Tx } from "../core/connection";
import { getDb, type Db } from "../core/index";
import { InputError } from "../core/errors";
import type { Actor } from "../audit/revisions";
import { createDeal, updateDeal } from "./deal-writes";
import { countDeals } from "../stats/stat-counts";
import { inIds } from "../core/dialect";
import { findCompanyId, findTechnologyId } from "../directory/lookups";
import { getDeal } from "./deals";
import { audienceOf, type Viewer } from "../accounts/visibility";
import { visibleTo } from "../stats/filters";
import type { Audience } from "@/lib/filters";
import { companies, dealParties, deals } from "../schema";
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

/**
 * A probable duplicate: same date, same title (ignoring case) and the same companies, among the
 * deals the importer may see: a confidential deal of another team does not exist for them.
 */
async function findDuplicate(db: Reader, input: DealInput, audience: Audience): Promise<number | undefined> {
  const companyIds: (number | undefined)[] = [];
  for (const p of input.parties) companyIds.push(await findCompanyId(db, p.company));
  if (companyIds.some((id) => id === undefined)) return undefined;
  const wanted = [...new Set(companyIds as number[])].sort((a, b) => a - b).join(",");
  const candidates = await db
    .select({ id: deals.id })
    .from(deals)
    .where(
      and(
        eq(deals.announcedOn, input.announcedOn),
        sql`lower(${deals.title}) = lower(${input.title})`,
        isNull(deals.deletedAt),
        visibleTo(audience),
      ),
    );
  for (const c of candidates) {
    const parties = await db
      .select({ id: dealParties.companyId })
      .from(dealParties)
      .where(eq(dealParties.dealId, c.id));
    const ids = parties
      .map((p) => p.id)
      .sort((a, b) => a - b)
      .join(",");
    if (ids === wanted) return c.id;
  }
  return undefined;
}

/** Work done between two yields to the event loop: other requests wait at most about this long. */
const SLICE_MS = 15;

export type ImportProgress = { phase: "checking" | "saving"; done: number; total: number };

type Steps<T> = AsyncGenerator<ImportProgress, T>;

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
    if (performance.now() - sliceStart < SLICE_MS) continue;
    onProgress?.(next.value);
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

async function* planSteps(csv: ParsedCsv, mapping: Mapping, viewer: Viewer, db: Reader): Steps<ImportPlan> {
  const audience = await audienceOf(viewer, db);
  const seen = new Map<string, number>();
  const newCompanies = new Set<string>();
  const inputs: (DealInput | null)[] = [];
  const rows: RowPlan[] = [];
  for (let index = 0; index < csv.rows.length; index++) {
    if (index > 0) yield { phase: "checking", done: index, total: csv.rows.length };
    rows.push(await planRow(csv.rows[index]!, index));
  }
  async function planRow(cells: string[], index: number): Promise<RowPlan> {
    const row = index + 2; // the header is row 1, as in a spreadsheet
    const { id, deal, errors } = rowToDeal(cells, csv.header, mapping);
    const parsed = dealInput.safeParse(deal);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnForPath(issue.path.join("."), csv.header, mapping);
        if (!errors[column]?.length) (errors[column] ??= []).push(issue.message);
      }
    }
    if (Object.keys(errors).length || !parsed.success) {
      inputs.push(null);
      return { row, title: deal.title, status: "invalid", errors, warnings: [] };
    }
    const input = parsed.data;
    inputs.push(input);
    const warnings: string[] = [];
    for (const party of input.parties) {
      const companyId = await findCompanyId(db, party.company);
      if (!companyId) {
        warnings.push(`New company “${party.company}” will be created`);
        for (const dup of await probableDuplicatesOf({ name: party.company }, db))
          warnings.push(
            `“${party.company}” may be a duplicate of ${dup.company.name} (${dup.reasons.map((r) => r.label.toLowerCase()).join(", ")})`,
          );
        newCompanies.add(party.company);
        continue;
      }
      const [company] = await db
        .select({ name: companies.name, nameKey: companies.nameKey })
        .from(companies)
        .where(eq(companies.id, companyId));
      if (company!.nameKey !== companyKey(party.company))
        warnings.push(`“${party.company}” is linked to ${company!.name}`);
    }
    for (const area of input.technologies) {
      if (!(await findTechnologyId(db, area))) warnings.push(`New technology area “${area}” will be created`);
    }
    const key = `${input.announcedOn}|${input.title.toLowerCase()}|${input.parties
      .map((p) => companyKey(p.company))
      .sort()
      .join(",")}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      return {
        row,
        title: input.title,
        status: "duplicate",
        match: { dealId: 0, by: "an earlier row", row: earlier },
        errors,
        warnings,
      };
    }
    seen.set(key, row);
    // An id the importer may not see reads as one that does not exist.
    if (id !== undefined && (await getDeal(id, { viewer }, db))) {
      return {
        row,
        title: input.title,
        status: "duplicate",
        match: { dealId: id, by: "id" },
        errors,
        warnings,
      };
    }
    const duplicate = await findDuplicate(db, input, audience);
    if (duplicate !== undefined) {
      return {
        row,
        title: input.title,
        status: "duplicate",
        match: { dealId: duplicate, by: "parties, date and title" },
        errors,
        warnings,
      };
    }
    return { row, title: input.title, status: "new", errors, warnings };
  }
  return {
    rows,
    inputs,
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
 * Reads go through `tx`, so later rows see what earlier rows created; the mutations take `db` and
 * their own `db.write` joins this transaction.
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
  for (let i = 0; i < plan.rows.length; i++) {
    if (i > 0) yield { phase: "saving", done: i, total: plan.rows.length };
    const row = plan.rows[i]!;
    const input = plan.inputs[i]!;
    if (row.status === "new") {
      try {
        // Counted below, all at once (deal-writes.ts CountedByCaller).
        result.created.push((await createDeal(input, { ...writer, countsLater: true }, db)).id);
      } catch (error) {
        // What only the database can tell (e.g. "SKT" and "SK Telecom" are one party).
        if (!(error instanceof InputError)) throw error;
        row.status = "invalid";
        for (const [path, messages] of Object.entries(error.fieldErrors)) {
          (row.errors[columnForPath(path, csv.header, mapping)] ??= []).push(...messages);
        }
      }
    } else if (
      row.status === "duplicate" &&
      options.onDuplicate === "update" &&
      row.match &&
      row.match.dealId > 0
    ) {
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
  if (result.created.length) await countDeals(tx, inIds(sql`d.id`, result.created), 1);
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
