import { BINDING_LABELS, BINDINGS, DEAL_TYPES, STATUS_LABELS, STATUSES, TYPE_LABELS } from "@/lib/enums";
import { COUNTRIES, REGIONS } from "@/lib/geo/countries";
import { SECTORS } from "@/lib/geo/sectors";
import type { Choice } from "./multi-select";

/** The single-choice enum filters every filter form offers (types are a multi-select, TYPE_CHOICES). */
export const ENUM_FILTERS = [
  { key: "binding", label: "Binding", values: BINDINGS, labels: BINDING_LABELS as Record<string, string> },
  { key: "status", label: "Status", values: STATUSES, labels: STATUS_LABELS as Record<string, string> },
] as const;

/** A filter select's options: "Any", then each value with its label. */
export function AnyOptions({
  values,
  labels,
}: {
  values: readonly string[];
  labels: Record<string, string>;
}) {
  return (
    <>
      <option value="">Any</option>
      {values.map((value) => (
        <option key={value} value={value}>
          {labels[value]}
        </option>
      ))}
    </>
  );
}

/** Technology areas for a multi-select: slugs in the URL, names shown. */
export function technologyMultiChoices(technologies: { name: string; slug: string }[]): Choice[] {
  return technologies.map((t) => ({ value: t.slug, label: t.name }));
}

export const TYPE_CHOICES: Choice[] = DEAL_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }));

export const COUNTRY_CHOICES: Choice[] = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));

/** Sectors with their subsectors indented under them, codes shown so "517" finds Telecommunications. */
export const SECTOR_CHOICES: Choice[] = SECTORS.map((s) => ({
  value: s.code,
  label: `${s.name} (${s.code})`,
  child: !!s.parent,
}));

/** The region select: M49 regions first, then sub-regions and intermediate regions, by name. */
export function RegionOptions() {
  const groups = [
    { label: "Regions", level: "region" },
    { label: "Sub-regions", level: "subregion" },
    { label: "Intermediate regions", level: "intermediate" },
  ] as const;
  return (
    <>
      <option value="">Any</option>
      {groups.map((group) => (
        <optgroup key={group.level} label={group.label}>
          {REGIONS.filter((r) => r.level === group.level).map((r) => (
            <option key={r.code} value={r.name}>
              {r.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/** crossBorder as a select's value: "" any, "1" cross-border, "0" domestic. */
export const CROSS_BORDER_LABELS: Record<string, string> = { "1": "Cross-border", "0": "Domestic" };
export const crossBorderValue = (value: boolean | undefined) =>
  value === undefined ? "" : value ? "1" : "0";

/** The filters offered as multi-selects, in order, with their choices: one list for every filter bar. */
export function multiFilters(technologies: { name: string; slug: string }[]) {
  return [
    { key: "technology", label: "Technology", choices: technologyMultiChoices(technologies) },
    { key: "type", label: "Type", choices: TYPE_CHOICES },
    { key: "country", label: "Country", choices: COUNTRY_CHOICES },
    { key: "sector", label: "Sector", choices: SECTOR_CHOICES },
  ] as const;
}
