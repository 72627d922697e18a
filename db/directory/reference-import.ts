import "server-only";
import { eq } from "drizzle-orm";
import { unguardCell } from "@/lib/csv";
import type { ParsedCsv } from "@/lib/csv-import";
import { countryCodeOf, sectorCodeOf } from "@/lib/geo/reference-names";
import { companyKey } from "@/lib/names";
import { companyInput, companyPatch, fieldErrors } from "@/lib/validation";
import { getDb } from "../core/index";
import type { Db, Reader } from "../core/connection";
import { InputError } from "../core/errors";
import type { Actor } from "../audit/revisions";
import { companies, companyAliases } from "../schema";
import { createCompany } from "./directory";
import { updateCompany } from "./companies";
import { probableDuplicatesOf } from "./duplicates";
import type { CompanyRef } from "../types";

// The reference import (POST /api/companies/import): a CSV a team holds (a GLEIF or Wikidata
// extract, say) sets companies' country, sector and identifiers, and creates the ones not known.
// The dry run and the apply run the same code inside one transaction; the dry run, and an apply
// with any row error, roll it back, so what the dry run reports is exactly what the apply does.

/** The CSV's columns; the body names them in its header row, in any order and case. */
export const REFERENCE_COLUMNS = [
  "name",
  "country",
  "sector",
  "lei",
  "wikidata",
  "ticker",
  "website",
  "parent",
] as const;
type Column = (typeof REFERENCE_COLUMNS)[number];
/** The API field each column fills, where its name differs. */
const FIELD_OF: Partial<Record<Column, string>> = { wikidata: "wikidataId" };
const COLUMN_OF: Record<string, Column> = { wikidataId: "wikidata" };

export type ReferenceMatch = "exact" | "alias" | "suggested" | "new";
export type ReferenceRow = { line: number; name: string; match: ReferenceMatch; company?: CompanyRef };
export type ReferenceError = { line: number; field: string; message: string };
export type ReferenceImport = {
  rows: ReferenceRow[];
  errors: ReferenceError[];
  updated: number;
  created: number;
};

class RollBack extends Error {
  constructor(readonly result: ReferenceImport) {
    super("roll back");
  }
}

/** Which company a row names: by LEI or Wikidata item first, then by name, then by alias. */
async function matchRow(
  tx: Reader,
  cells: Partial<Record<Column, string>>,
): Promise<{ match: ReferenceMatch; company?: CompanyRef }> {
  const pick = { id: companies.id, name: companies.name, slug: companies.slug };
  const lei = cells.lei?.toUpperCase();
  const qid = cells.wikidata?.toUpperCase();
  const [byId] = lei
    ? await tx.select(pick).from(companies).where(eq(companies.lei, lei)).limit(1)
    : qid
      ? await tx.select(pick).from(companies).where(eq(companies.wikidataId, qid)).limit(1)
      : [];
  if (byId) return { match: "exact", company: byId };
  const key = companyKey(cells.name ?? "");
  const [byName] = await tx.select(pick).from(companies).where(eq(companies.nameKey, key)).limit(1);
  if (byName) return { match: "exact", company: byName };
  const [byAlias] = await tx
    .select(pick)
    .from(companyAliases)
    .innerJoin(companies, eq(companies.id, companyAliases.companyId))
    .where(eq(companyAliases.aliasKey, key))
    .limit(1);
  if (byAlias) return { match: "alias", company: byAlias };
  const [likely] = await probableDuplicatesOf({ name: cells.name ?? "", website: cells.website }, tx);
  return likely ? { match: "suggested", company: likely.company } : { match: "new" };
}

/** A row's cells by column, unguarded (an exported "'=…" cell comes back as typed), empty ones left out. */
function cellsOf(row: string[], index: Map<Column, number>): Partial<Record<Column, string>> {
  const cells: Partial<Record<Column, string>> = {};
  for (const [column, i] of index) {
    const value = unguardCell(row[i] ?? "").trim();
    if (value) cells[column] = value;
  }
  return cells;
}

/**
 * Matches every row and applies it — an update of the matched company (exact or alias match) or a
 * new company (a suggested match is only reported: rename the row to update that company instead).
 * An empty cell leaves the field as it is. `dryRun`, or any row error, changes nothing.
 */
export async function importCompanyReferences(
  csv: ParsedCsv,
  options: { dryRun: boolean; actor: Actor | string },
  db: Db = getDb(),
): Promise<ReferenceImport> {
  const index = new Map<Column, number>();
  csv.header.forEach((h, i) => {
    const column = REFERENCE_COLUMNS.find(
      (c) =>
        c ===
        h
          .trim()
          .toLowerCase()
          .replace(/[\s_-]+/g, ""),
    );
    if (column && !index.has(column)) index.set(column, i);
  });
  if (!index.has("name")) throw new InputError({ file: ['The header row has no "name" column'] });

  const lines = csv.rows.map((row, i) => ({ line: i + 2, cells: cellsOf(row, index) }));
  // Parents named in the file are applied before the rows that name them.
  const keyOf = (name: string | undefined) => companyKey(name ?? "");
  const ordered: typeof lines = [];
  const pending = [...lines];
  while (pending.length) {
    let at = pending.findIndex(
      (l) => !pending.some((p) => p !== l && keyOf(p.cells.name) === keyOf(l.cells.parent)),
    );
    if (at < 0) at = 0;
    ordered.push(...pending.splice(at, 1));
  }

  const run = async (tx: Reader): Promise<ReferenceImport> => {
    const result: ReferenceImport = { rows: [], errors: [], updated: 0, created: 0 };
    const fail = (line: number, errors: Record<string, string[]>) => {
      for (const [field, messages] of Object.entries(errors))
        for (const message of messages)
          result.errors.push({
            line,
            field: COLUMN_OF[field] ?? (field === "_form" ? "name" : field),
            message,
          });
    };
    const seen = new Map<string, number>();
    const byLine = new Map<number, ReferenceRow>();
    for (const { line, cells } of ordered) {
      const name = cells.name ?? "";
      if (!name) {
        fail(line, { name: ["Name the company"] });
        continue;
      }
      const earlier = seen.get(keyOf(name));
      if (earlier) {
        fail(line, { name: [`Same company as line ${earlier}`] });
        continue;
      }
      seen.set(keyOf(name), line);
      // Names go to codes as the migration maps them; an unknown one stays, for the schema's message.
      const given: Record<string, string> = {};
      for (const column of REFERENCE_COLUMNS) {
        if (column === "name" || cells[column] === undefined) continue;
        const value = cells[column]!;
        given[FIELD_OF[column] ?? column] =
          column === "country"
            ? (countryCodeOf(value) ?? value)
            : column === "sector"
              ? (sectorCodeOf(value) ?? value)
              : value;
      }
      const found = await matchRow(tx, cells);
      const row: ReferenceRow = {
        line,
        name,
        match: found.match,
        ...(found.company && { company: found.company }),
      };
      byLine.set(line, row);
      try {
        if (found.match === "exact" || found.match === "alias") {
          const [current] = await tx
            .select({ slug: companies.slug, version: companies.version })
            .from(companies)
            .where(eq(companies.id, found.company!.id));
          const patch = companyPatch.safeParse({ ...given, version: current!.version });
          if (!patch.success) throw new InputError(fieldErrors(patch.error));
          await updateCompany(current!.slug, patch.data, options.actor, db);
          result.updated++;
        } else {
          const input = companyInput.safeParse({ ...given, name });
          if (!input.success) throw new InputError(fieldErrors(input.error));
          const created = await createCompany(input.data, { actor: options.actor }, db);
          if (!row.company) row.company = { id: created.id, name: created.name, slug: created.slug };
          result.created++;
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        fail(line, error.fieldErrors);
      }
    }
    result.rows = lines.flatMap(({ line }) => byLine.get(line) ?? []);
    result.errors.sort((a, b) => a.line - b.line);
    return result;
  };

  try {
    // Reads go through `tx`: the reader connection does not see rows this import created.
    return await db.write(async (tx) => {
      const result = await run(tx);
      if (options.dryRun || result.errors.length) throw new RollBack(result);
      return result;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    throw error;
  }
}
