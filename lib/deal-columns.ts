import type { DealInputRaw } from "@/lib/validation";

// A deal's columns, listed once: the CSV export's header and row order, the import's fields and
// their labels, and the deal form's field labels all derive from this list. A new field of the deal
// input that is missing here (with a CSV column, or `csv: null` on purpose) fails to compile.

/** Every path of the deal input a column or a form field stands for ("value.amount" for the value's parts). */
export type DealPath = keyof DealInputRaw | `value.${keyof NonNullable<DealInputRaw["value"]>}`;

type DealColumn = {
  /** The CSV column's name, or null for a field the CSV does not carry. */
  csv: string | null;
  /** What a person reads: the import's column label, and the form's (a `csv: null` entry's wins). */
  label: string;
  /** The deal input path the column fills; "id" for the deal's own id; null for export-only facts. */
  field: DealPath | "id" | null;
};

type Unlisted<T extends readonly DealColumn[]> = Exclude<DealPath, T[number]["field"]>;

/** The list as given, provided every deal input path appears in it. */
export function dealColumns<const T extends readonly DealColumn[]>(
  columns: T & ([Unlisted<T>] extends [never] ? unknown : { missingColumnFor: Unlisted<T> }),
): T {
  return columns;
}

/** In CSV order: the export writes exactly these columns, and an export re-imports as is. */
export const DEAL_COLUMNS = dealColumns([
  { csv: "id", label: "Deal id", field: "id" },
  { csv: "title", label: "Title", field: "title" },
  { csv: "announced_on", label: "Announced on", field: "announcedOn" },
  { csv: "date_precision", label: "Date precision", field: "datePrecision" },
  { csv: "deal_types", label: "Deal types", field: "types" },
  { csv: "binding", label: "Binding", field: "binding" },
  { csv: "status", label: "Status", field: "status" },
  { csv: "parties", label: "Parties", field: "parties" },
  // The parties' reference data (companies, not the deal): exported for analysis, not imported.
  { csv: "party_countries", label: "Parties' countries", field: null },
  { csv: "party_sectors", label: "Parties' sectors", field: null },
  { csv: "technology_areas", label: "Technology areas", field: "technologies" },
  { csv: "summary", label: "Summary", field: "summary" },
  { csv: "value", label: "Value", field: "value.amount" },
  { csv: "currency", label: "Currency", field: "value.currency" },
  { csv: "source_url", label: "Source URL", field: "sources" },
  { csv: "quote_count", label: "Quote count", field: null },
  { csv: "created_at", label: "Created at", field: null },
  { csv: "updated_at", label: "Updated at", field: null },
  // Lossless copies of every source and quote, so an export re-imports without losing anything.
  { csv: "sources_json", label: "Sources (JSON)", field: "sources" },
  { csv: "quotes_json", label: "Quotes (JSON)", field: "quotes" },
  // Form only: the CSV has no column for these (or, for lists, names them per column above).
  { csv: null, label: "Status since", field: "statusOn" },
  { csv: null, label: "Expands deal", field: "expandsDealId" },
  { csv: null, label: "Value", field: "value" },
  { csv: null, label: "Sources", field: "sources" },
  { csv: null, label: "Quotes", field: "quotes" },
  // Who sees the deal (issue 25): set in the form and the API; an import makes public deals.
  { csv: null, label: "Visibility", field: "visibility" },
]);

type Column = (typeof DEAL_COLUMNS)[number];
export type DealCsvColumn = Extract<Column, { csv: string }>["csv"];
/** A CSV column the import can map to a deal field (export-only facts cannot be imported). */
export type ImportField = Extract<Column, { csv: string; field: string }>["csv"];

export const DEAL_CSV_HEADER = DEAL_COLUMNS.flatMap((c) =>
  c.csv === null ? [] : [c.csv],
) as DealCsvColumn[];

const importColumns = DEAL_COLUMNS.filter(
  (c): c is Extract<Column, { csv: string; field: string }> => c.csv !== null && c.field !== null,
);
export const IMPORT_FIELDS = importColumns.map((c) => c.csv) as [ImportField, ...ImportField[]];
export const IMPORT_LABELS = Object.fromEntries(importColumns.map((c) => [c.csv, c.label])) as Record<
  ImportField,
  string
>;
/** The import columns that fill a deal path, in CSV order. */
export const importFieldsFor = (path: DealPath): ImportField[] =>
  importColumns.filter((c) => c.field === path).map((c) => c.csv);

/** The deal form's label for each path: its form-only entry's, else its first column's. */
export const DEAL_FIELD_LABELS = DEAL_COLUMNS.reduce(
  (labels, c) => {
    if (c.field !== null && c.field !== "id" && (c.csv === null || !labels[c.field]))
      labels[c.field] = c.label;
    return labels;
  },
  {} as Record<DealPath, string>,
);
