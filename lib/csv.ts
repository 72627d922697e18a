// CSV reports: RFC 4180 (comma, CRLF, quotes only where needed, embedded quotes doubled), UTF-8,
// with OWASP's guard against formula injection, also for readers that split on `;`.

export type CsvCell = string | number | null | undefined;

/**
 * Text that a spreadsheet would run as a formula starts with = + - @, a tab, a carriage return or a
 * line feed, or their full-width forms. Numbers are passed as numbers and never guarded, so a
 * negative amount stays a number. A piece is at risk when such a character follows any spaces,
 * double quotes and apostrophes (which a lenient reader may drop). Apostrophes are in that set so a
 * guarded piece is itself at risk, which makes the guard reversible: `'@` is written `''@` and
 * read back as `'@`.
 */
const AT_RISK = /^['" ]*[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Excel in locales whose list separator is `;` splits every line on semicolons, so each
 * `;`-separated piece of a cell is guarded as if it started a cell (prefixed with `'`).
 */
function guardPiece(piece: string): string {
  return AT_RISK.test(piece) ? `'${piece}` : piece;
}
function unguardPiece(piece: string): string {
  return piece.startsWith("'") && AT_RISK.test(piece.slice(1)) ? piece.slice(1) : piece;
}

export function guardCell(text: string): string {
  return text.includes(";") ? text.split(";").map(guardPiece).join(";") : guardPiece(text);
}

/** Undoes guardCell on import, so an exported file re-imports to exactly the same text. */
export function unguardCell(text: string): string {
  return text.includes(";") ? text.split(";").map(unguardPiece).join(";") : unguardPiece(text);
}

export const BOM = "\uFEFF";
export const MULTI_SEPARATOR = "; ";

/**
 * One RFC 4180 field. Written by hand rather than with csv-stringify (which this module used first):
 * an export of 100,000 deals writes 1.8 million fields, and the library's per-call machinery doubled
 * the garbage the server had to collect while streaming. csv-parse checks every output in the tests.
 */
function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return String(cell);
  const text = guardCell(cell);
  // `;` is quoted too, for readers that split on semicolons and honour quotes.
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: CsvCell[]): string {
  return `${cells.map(field).join(",")}\r\n`;
}

/** Several rows at once. */
export function csvRows(rows: CsvCell[][]): string {
  let out = "";
  for (const row of rows) out += csvRow(row);
  return out;
}

export function csvFile(header: string[], rows: CsvCell[][], options: { bom?: boolean } = {}): string {
  return (options.bom ? BOM : "") + csvRow(header) + rows.map(csvRow).join("");
}
