// The deal fields a CSV column can be mapped to; shared by the import page and the server.

export const IMPORT_FIELDS = [
  "id",
  "title",
  "announced_on",
  "date_precision",
  "deal_types",
  "binding",
  "status",
  "parties",
  "technology_areas",
  "summary",
  "value",
  "currency",
  "source_url",
  "sources_json",
  "quotes_json",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type Mapping = Partial<Record<ImportField, number>>;

export const FIELD_LABELS: Record<ImportField, string> = {
  id: "Deal id",
  title: "Title",
  announced_on: "Announced on",
  date_precision: "Date precision",
  deal_types: "Deal types",
  binding: "Binding",
  status: "Status",
  parties: "Parties",
  technology_areas: "Technology areas",
  summary: "Summary",
  value: "Value",
  currency: "Currency",
  source_url: "Source URL",
  sources_json: "Sources (JSON)",
  quotes_json: "Quotes (JSON)",
};
