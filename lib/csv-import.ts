import { parse } from "csv-parse/sync";
import { unguardCell } from "./csv";
import { BINDING_LABELS, DEAL_TYPES, ROLES, STATUSES, TYPE_LABELS, TYPE_SHORT, type DealType } from "./enums";
import { importFieldsFor, type DealPath } from "./deal-columns";
import { DEAL_PLAIN_FIELDS } from "./validation";
import { FIELD_LABELS, IMPORT_FIELDS, type ImportField, type Mapping } from "./import-fields";

export { FIELD_LABELS, IMPORT_FIELDS, type ImportField, type Mapping };

// Reading analysts' spreadsheets: decoding, parsing, matching columns to deal fields and turning a
// row into the API's deal shape. Pure functions; db/deals/import.ts validates and writes.

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const norm = (s: string) =>
  s
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_|_$/g, "");

/** Header names a field answers to, besides its own and its label (the `deals` export layout matches as is). */
const HEADER_ALIASES: Partial<Record<ImportField, string[]>> = {
  id: ["deal_id"],
  title: ["deal", "deal_title", "headline"],
  announced_on: ["date", "announced", "announcement_date", "announced_date"],
  date_precision: ["precision"],
  deal_types: ["types", "type", "deal_type"],
  binding: ["binding_status", "legally_binding"],
  status: ["deal_status"],
  parties: ["companies", "partners", "party"],
  technology_areas: ["technologies", "technology", "areas", "tech"],
  summary: ["description", "notes"],
  value: ["amount", "deal_value", "disclosed_value"],
  currency: ["ccy"],
  source_url: ["source", "url", "link", "sources"],
};

export function autoMap(header: string[]): Mapping {
  const mapping: Mapping = {};
  const names = header.map(norm);
  for (const field of IMPORT_FIELDS) {
    const index = names.findIndex(
      (n) => n === field || n === norm(FIELD_LABELS[field]) || HEADER_ALIASES[field]?.includes(n),
    );
    if (index >= 0 && !Object.values(mapping).includes(index)) mapping[field] = index;
  }
  return mapping;
}

export type ParsedCsv = { header: string[]; rows: string[][] };
/** Why a file cannot be read; `tooLarge` is a 413 rather than a 400. */
export type FileProblem = { error: string; tooLarge?: true };

/** Bytes to rows, or a plain-language reason the file cannot be read. */
export function readCsv(bytes: Uint8Array): ParsedCsv | FileProblem {
  if (bytes.byteLength > MAX_IMPORT_BYTES)
    return { error: "The file is larger than 20 MB. Split it into smaller files.", tooLarge: true };
  if (bytes.byteLength === 0) return { error: "The file is empty." };
  if (bytes.subarray(0, 8192).includes(0))
    return { error: "This is not a CSV file (it contains binary data). Save the sheet as CSV." };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return {
      error: "The file is not UTF-8 text. In Excel choose “CSV UTF-8 (comma delimited)” when saving.",
    };
  }
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: false,
    }) as string[][];
  } catch (error) {
    const e = error as { code?: string; lines?: number; record?: unknown; message: string };
    const where = e.lines ? ` (near line ${e.lines})` : "";
    if (
      e.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH" ||
      e.code === "CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH"
    ) {
      return {
        error: `A row has a different number of columns than the header${where}. Check for stray commas.`,
      };
    }
    if (e.code === "CSV_QUOTE_NOT_CLOSED") return { error: `A quoted cell is never closed${where}.` };
    return { error: `This does not read as CSV${where}: ${e.message}` };
  }
  const [header, ...rows] = records;
  if (!header || header.every((h) => !h.trim())) return { error: "The file has no header row." };
  if (rows.length === 0) return { error: "The file has a header but no rows of data." };
  return { header: header.map((h) => h.trim()), rows };
}

const TYPE_NAMES = new Map<string, DealType>(
  DEAL_TYPES.flatMap((t) => [
    [norm(t), t],
    [norm(TYPE_LABELS[t]), t],
    [norm(TYPE_SHORT[t]), t],
  ]),
);
TYPE_NAMES.set("jv", "joint_venture");
TYPE_NAMES.set("r_d", "rd_collaboration");

const BINDING_NAMES = new Map<string, string>([
  ...Object.entries(BINDING_LABELS).flatMap(([k, label]) => [
    [norm(k), k] as [string, string],
    [norm(label), k] as [string, string],
  ]),
  ["nonbinding", "non_binding"],
  ["not_binding", "non_binding"],
  ["yes", "binding"],
  ["no", "non_binding"],
  ["", "unknown"],
]);

const split = (cell: string) =>
  cell
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);

/** A row in the API's deal shape, plus problems found before validation (keyed by column name). */
export function rowToDeal(row: string[], header: string[], mapping: Mapping) {
  const errors: Record<string, string[]> = {};
  const fail = (field: ImportField, message: string) => {
    const column = mapping[field] !== undefined ? header[mapping[field]!]! : FIELD_LABELS[field];
    (errors[column] ??= []).push(message);
  };
  const cell = (field: ImportField) => {
    const index = mapping[field];
    return index === undefined ? "" : unguardCell((row[index] ?? "").trim());
  };

  const idText = cell("id");
  const id = /^\d{1,15}$/.test(idText) ? Number(idText) : undefined;
  if (idText && id === undefined) fail("id", `“${idText}” is not a deal id`);

  // Dates: ISO day, or a bare month or year, which also sets the precision.
  let announcedOn = cell("announced_on");
  let precision = cell("date_precision").toLowerCase() || undefined;
  if (/^\d{4}-\d{2}$/.test(announcedOn)) {
    announcedOn = `${announcedOn}-01`;
    precision ??= "month";
  } else if (/^\d{4}$/.test(announcedOn)) {
    announcedOn = `${announcedOn}-01-01`;
    precision ??= "year";
  } else if (announcedOn && !/^\d{4}-\d{2}-\d{2}$/.test(announcedOn)) {
    fail("announced_on", `“${announcedOn}” is not a date as YYYY-MM-DD (or YYYY-MM, YYYY)`);
  }

  const types = split(cell("deal_types")).map((t) => {
    const type = TYPE_NAMES.get(norm(t));
    if (!type) fail("deal_types", `Unknown deal type “${t}”; use ${DEAL_TYPES.join(", ")}`);
    return type;
  });

  const bindingText = cell("binding");
  const binding = BINDING_NAMES.get(norm(bindingText));
  if (binding === undefined) fail("binding", `“${bindingText}” is not binding, non-binding or unknown`);
  const statusText = norm(cell("status"));
  const status = statusText || "announced";
  if (!(STATUSES as readonly string[]).includes(status))
    fail("status", `Unknown status “${cell("status")}”; use ${STATUSES.join(", ")}`);

  const parties = split(cell("parties")).map((text) => {
    const match = /^(.*?)\s*\(([^()]+)\)$/.exec(text);
    const role = match ? norm(match[2]!) : "";
    // "Foo (Holdings)" is a name, not a role: only known roles are read from the brackets.
    return match && (ROLES as readonly string[]).includes(role)
      ? { company: match[1]!, role }
      : { company: text, role: "partner" };
  });

  const json = (field: ImportField) => {
    const text = cell(field);
    if (!text) return undefined;
    try {
      const value = JSON.parse(text);
      if (Array.isArray(value)) return value;
    } catch {
      // reported below
    }
    fail(field, "This is not a JSON list");
    return undefined;
  };
  const sourcesJson = json("sources_json");
  const quotesJson = json("quotes_json");
  const url = cell("source_url");
  const amount = cell("value").replace(/[,\s]/g, "");
  const currency = cell("currency");

  const deal = {
    // A plain field's column is read as typed (lib/validation.ts); those below need more.
    ...Object.fromEntries(
      DEAL_PLAIN_FIELDS.flatMap((field) => importFieldsFor(field).map((column) => [field, cell(column)])),
    ),
    title: cell("title"),
    announcedOn,
    datePrecision: precision ?? "day",
    types: types.filter(Boolean),
    binding: binding ?? "unknown",
    status,
    value: amount || currency ? { amount, currency } : null,
    parties,
    technologies: split(cell("technology_areas")),
    quotes: quotesJson ?? [],
    sources: sourcesJson ?? (url ? [{ url }] : []),
    expandsDealId: null,
  };
  return { id, deal, errors };
}

/** The column a validation error path belongs to, so errors show against the analyst's headers. */
export function columnForPath(path: string, header: string[], mapping: Mapping): string {
  const head = path.split(".")[0] ?? "";
  const target =
    head === "value" ? (path.startsWith("value.currency") ? "value.currency" : "value.amount") : head;
  const fields = importFieldsFor(target as DealPath);
  // Of two columns for one path (sources), the one the row was read from: the JSON copy wins when mapped.
  const field: ImportField =
    fields.filter((f) => mapping[f] !== undefined).at(-1) ??
    fields[0] ??
    ((IMPORT_FIELDS as readonly string[]).includes(head) ? (head as ImportField) : "title");
  return mapping[field] !== undefined ? header[mapping[field]!]! : FIELD_LABELS[field];
}
