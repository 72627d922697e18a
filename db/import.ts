import "server-only";
import { probableDuplicatesOf } from "./companies";
import { and, eq, isNull, sql } from "drizzle-orm";
import { columnForPath, rowToDeal, type Mapping, type ParsedCsv } from "@/lib/csv-import";
import { companyKey } from "@/lib/names";
import { getDb, type Db } from "./index";
import { InputError } from "./errors";
import { createDeal, updateDeal, type Actor } from "./mutations";
import { findCompanyId, findTechnologyId, getDeal, type Reader } from "./queries";
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

export function planImport(csv: ParsedCsv, mapping: Mapping, db: Reader = getDb()): ImportPlan {
  const seen = new Map<string, number>();
  const newCompanies = new Set<string>();
  const inputs: (DealInput | null)[] = [];
  const rows = csv.rows.map((cells, index): RowPlan => {
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
  });
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

/**
 * Applies an import in one IMMEDIATE transaction: the plan is made again inside it (so nothing
 * changed in between), any invalid row aborts the whole file, and every written deal gets its
 * revision through the usual mutations (nested as savepoints of this transaction).
 */
export function commitImport(
  csv: ParsedCsv,
  mapping: Mapping,
  options: { onDuplicate: "skip" | "update"; actor: Actor },
  db: Db = getDb(),
): { plan: ImportPlan; result: ImportResult } {
  return db.transaction(
    () => {
      const plan = planImport(csv, mapping, db);
      if (plan.summary.invalid > 0) throw new ImportRejected(plan);
      const result: ImportResult = { created: [], updated: [], skipped: 0 };
      plan.rows.forEach((row, i) => {
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
      });
      plan.summary.invalid = plan.rows.filter((r) => r.status === "invalid").length;
      if (plan.summary.invalid > 0) throw new ImportRejected(plan);
      return { plan, result };
    },
    { behavior: "immediate" },
  );
}

/** Thrown when a file has invalid rows: nothing was written. */
export class ImportRejected extends Error {
  constructor(public readonly plan: ImportPlan) {
    super(`${plan.summary.invalid} rows have errors; nothing was imported`);
  }
}
