import { IMPORT_FIELDS, IMPORT_LABELS, type ImportField } from "./deal-columns";

// The deal fields a CSV column can be mapped to (listed in lib/deal-columns.ts); shared by the import
// page and the server.

export { IMPORT_FIELDS, type ImportField };
export type Mapping = Partial<Record<ImportField, number>>;
export const FIELD_LABELS = IMPORT_LABELS;
