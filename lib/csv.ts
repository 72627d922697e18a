import { stringify } from "csv-stringify/sync";

// CSV reports: RFC 4180 (comma, CRLF, quotes only where needed, embedded quotes doubled), UTF-8,
// with OWASP's guard against formula injection. Writing is csv-stringify's; the guard is ours.

export type CsvCell = string | number | null | undefined;

/**
 * A text cell that a spreadsheet would run as a formula: starts with = + - @, a tab, a carriage
 * return or a line feed, or their full-width forms. Numbers are passed as numbers and never guarded,
 * so a negative amount stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

export function guardCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes guardCell on import, so an exported file re-imports to the same text. */
export function unguardCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export const BOM = "\uFEFF";
export const MULTI_SEPARATOR = "; ";

const OPTIONS = {
  record_delimiter: "windows",
  // Any CR or LF inside a field must be quoted, not only the record delimiter itself.
  quoted_match: /[\r\n]/,
  cast: { string: guardCell, number: (n: number) => String(n) },
} as const;

const blank = (cells: CsvCell[]) => cells.map((c) => (c === null || c === undefined ? "" : c));

export function csvRow(cells: CsvCell[]): string {
  return stringify([blank(cells)], OPTIONS);
}

/** Several rows at once: the same text as csvRow on each, with less per-call overhead. */
export function csvRows(rows: CsvCell[][]): string {
  return rows.length ? stringify(rows.map(blank), OPTIONS) : "";
}

export function csvFile(header: string[], rows: CsvCell[][], options: { bom?: boolean } = {}): string {
  return (options.bom ? BOM : "") + csvRow(header) + rows.map(csvRow).join("");
}
