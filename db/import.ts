import "server-only";
import { enqueueEvent } from "./webhooks";
import { probableDuplicatesOf } from "./duplicates";
import { and, eq, isNull, sql } from "drizzle-orm";
import { columnForPath, rowToDeal, type Mapping, type ParsedCsv } from "@/lib/csv-import";
import { companyKey } from "@/lib/names";
import { openDatabase, type Reader } from "./connection";
import { getDb, type Db } from "./index";
import { InputError } from "./errors";
import { createDeal, updateDeal, type Actor } from "./deal-writes";
import { findCompanyId, findTechnologyId } from "./filters";
import { getDeal } from "./deals";
import { companies, dealParties, deals } from "./schema";
import { dealInput, type DealInput } from "./validation";

// CSV import in two steps: a plan (what each row would do, with every error and warning) and a
// commit that applies the plan in one transaction, all or nothing.

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

/** A probable duplicate: same date, same title (ignoring case) and the same companies. */
function findDuplicate(db: Reader, input: DealInput): number | undefined {
  const companyIds = input.parties.map((p) => findCompanyId(db, p.company));
  if (companyIds.some((id) => id === undefined)) return undefined;
  const wanted = [...new Set(companyIds as number[])].sort((a, b) => a - b).join(",");
  const candidates = db
    .select({ id: deals.id })
    .from(deals)
    .where(
      and(
        eq(deals.announcedOn, input.announcedOn),
        sql`lower(${deals.title}) = lower(${input.title})`,
        isNull(deals.deletedAt),
      ),
    )
    .all();
  return candidates.find((c) => {
    const ids = db
      .select({ id: dealParties.companyId })
      .from(dealParties)
      .where(eq(dealParties.dealId, c.id))
      .all()
      .map((p) => p.id)
      .sort((a, b) => a - b)
      .join(",");
    return ids === wanted;
  })?.id;
}

/** Work done between two yields to the event loop: other requests wait at most about this long. */
const SLICE_MS = 15;

export type ImportProgress = { phase: "checking" | "saving"; done: number; total: number };

/** Runs a step generator to its end at once. */
function drain<T>(steps: Generator<ImportProgress, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs a step generator (a step per row), letting other requests in every SLICE_MS. */
async function drive<T>(steps: Generator<ImportProgress, T>, onProgress?: (p: ImportProgress) => void) {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart < SLICE_MS) continue;
    onProgress?.(next.value);
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}

export function planImport(csv: ParsedCsv, mapping: Mapping, db: Reader = getDb()): ImportPlan {
  return drain(planSteps(csv, mapping, db));
}

/** planImport in chunks that yield to the event loop, so a 20 MB file does not stall the server. */
export function planImportAsync(
  csv: ParsedCsv,
  mapping: Mapping,
  onProgress?: (p: ImportProgress) => void,
  db: Reader = getDb(),
): Promise<ImportPlan> {
  return drive(planSteps(csv, mapping, db), onProgress);
}

function* planSteps(csv: ParsedCsv, mapping: Mapping, db: Reader): Generator<ImportProgress, ImportPlan> {
  const seen = new Map<string, number>();
  const newCompanies = new Set<string>();
  const inputs: (DealInput | null)[] = [];
  const rows: RowPlan[] = [];
  for (let index = 0; index < csv.rows.length; index++) {
    if (index > 0) yield { phase: "checking", done: index, total: csv.rows.length };
    rows.push(planRow(csv.rows[index]!, index));
  }
  function planRow(cells: string[], index: number): RowPlan {
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
      const companyId = findCompanyId(db, party.company);
      if (!companyId) {
        warnings.push(`New company “${party.company}” will be created`);
        for (const dup of probableDuplicatesOf({ name: party.company }, db))
          warnings.push(
            `“${party.company}” may be a duplicate of ${dup.company.name} (${dup.reasons.map((r) => r.label.toLowerCase()).join(", ")})`,
          );
        newCompanies.add(party.company);
        continue;
      }
      const company = db
        .select({ name: companies.name, nameKey: companies.nameKey })
        .from(companies)
        .where(eq(companies.id, companyId))
        .get()!;
      if (company.nameKey !== companyKey(party.company))
        warnings.push(`“${party.company}” is linked to ${company.name}`);
    }
    for (const area of input.technologies) {
      if (!findTechnologyId(db, area)) warnings.push(`New technology area “${area}” will be created`);
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
    if (id !== undefined && getDeal(id, {}, db)) {
      return {
        row,
        title: input.title,
        status: "duplicate",
        match: { dealId: id, by: "id" },
        errors,
        warnings,
      };
    }
    const duplicate = findDuplicate(db, input);
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

type CommitOptions = { onDuplicate: "skip" | "update"; actor: Actor };

/**
 * Applies an import in one IMMEDIATE transaction: the plan is made again inside it (so nothing
 * changed in between), any invalid row aborts the whole file, and every written deal gets its
 * revision through the usual mutations (nested as savepoints of this transaction).
 */
export function commitImport(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions,
  db: Db = getDb(),
): { plan: ImportPlan; result: ImportResult } {
  return db.transaction(() => drain(commitSteps(csv, mapping, options, db)), { behavior: "immediate" });
}

/**
 * commitImport for big files without stalling the server: the same steps, all or nothing, in one
 * transaction on a connection of its own, yielding to the event loop between chunks. Other
 * requests keep reading the data as it was before (WAL); other writes are refused at once with
 * SQLITE_BUSY (a 503, db/write-errors.ts) rather than blocking the process while they wait.
 * `inTransaction` runs inside the transaction before the commit (e.g. to store an idempotency key);
 * `before` runs once the write lock is held and may end the import early with a value of its own.
 */
export async function commitImportAsync<R = never>(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions & {
    onProgress?: (p: ImportProgress) => void;
    before?: (db: Db) => { early: R } | null;
    inTransaction?: (db: Db, outcome: { plan: ImportPlan; result: ImportResult }) => void;
  },
): Promise<{ plan: ImportPlan; result: ImportResult } | { early: R }> {
  const db = openDatabase();
  const main = getDb().$client;
  const mainTimeout = main.pragma("busy_timeout", { simple: true }) as number;
  try {
    db.$client.pragma("busy_timeout = 0");
    await acquireWriteLock(db);
    main.pragma("busy_timeout = 0");
    try {
      const early = options.before?.(db);
      if (early) {
        db.$client.exec("ROLLBACK");
        return early;
      }
      const outcome = await drive(commitSteps(csv, mapping, options, db), options.onProgress);
      options.inTransaction?.(db, outcome);
      db.$client.exec("COMMIT");
      return outcome;
    } catch (error) {
      if (db.$client.inTransaction) db.$client.exec("ROLLBACK");
      throw error;
    } finally {
      main.pragma(`busy_timeout = ${mainTimeout}`);
    }
  } finally {
    db.$client.close();
  }
}

/** BEGIN IMMEDIATE without blocking the process: retried every 50 ms for up to 30 s. */
async function acquireWriteLock(db: Db) {
  for (let waited = 0; ; waited += 50) {
    try {
      db.$client.exec("BEGIN IMMEDIATE");
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || waited >= 30_000) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function* commitSteps(
  csv: ParsedCsv,
  mapping: Mapping,
  options: CommitOptions,
  db: Db,
): Generator<ImportProgress, { plan: ImportPlan; result: ImportResult }> {
  const plan = yield* planSteps(csv, mapping, db);
  if (plan.summary.invalid > 0) throw new ImportRejected(plan);
  const result: ImportResult = { created: [], updated: [], skipped: 0 };
  for (let i = 0; i < plan.rows.length; i++) {
    if (i > 0) yield { phase: "saving", done: i, total: plan.rows.length };
    const row = plan.rows[i]!;
    const input = plan.inputs[i]!;
    if (row.status === "new") {
      try {
        result.created.push(createDeal(input, { actor: options.actor }, db).id);
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
      const current = getDeal(row.match.dealId, {}, db)!;
      const saved = updateDeal(row.match.dealId, input, current.version, { actor: options.actor }, db);
      if (saved.version !== current.version) result.updated.push(saved.id);
      else result.skipped++;
    } else {
      result.skipped++;
    }
  }
  plan.summary.invalid = plan.rows.filter((r) => r.status === "invalid").length;
  if (plan.summary.invalid > 0) throw new ImportRejected(plan);
  enqueueEvent(db, "import.completed", options.actor, () => ({ import: result }));
  return { plan, result };
}

/** Thrown when a file has invalid rows: nothing was written. */
export class ImportRejected extends Error {
  constructor(public readonly plan: ImportPlan) {
    super(`${plan.summary.invalid} rows have errors; nothing was imported`);
  }
}
