import type { Comparison } from "@/db/types";
import type { CsvCell } from "./csv";
import { filtersQuery, type DealFilters } from "./filters";
import type { CsvTable } from "./widgets";

// The compare page's question, read from the same filters as every other page: the compared items
// are the `company` values (2–4 companies) or else the `technology` values (2–4 areas); every other
// filter, including the other dimension when it has one value, narrows each item's deals alike.

export const COMPARE_KINDS = ["company", "technology"] as const;
export type CompareKind = (typeof COMPARE_KINDS)[number];
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

export type CompareSelection = {
  kind: CompareKind;
  /** The compared companies or areas as given (names or slugs), without repeats, in order. */
  given: string[];
  /** The filters every item shares: the page's filters without the compared values. */
  base: DealFilters;
};

const noun = (kind: CompareKind, n: number) =>
  kind === "company" ? (n === 1 ? "company" : "companies") : n === 1 ? "technology area" : "technology areas";

/** What the URL asks to compare, or field errors naming `company` or `technology`. */
export function compareSelection(
  f: DealFilters,
): { success: true; selection: CompareSelection } | { success: false; errors: Record<string, string[]> } {
  const unique = (values: string[]) => [...new Map(values.map((v) => [v.toLowerCase(), v])).values()];
  const companies = unique(f.company);
  const areas = unique(f.technology);
  if (companies.length >= COMPARE_MIN && areas.length >= COMPARE_MIN)
    return {
      success: false,
      errors: {
        company: ["Compare either companies or technology areas, not both at once"],
        technology: ["Compare either companies or technology areas, not both at once"],
      },
    };
  // Two or more of one kind are compared; a single value of the other kind stays a filter.
  const kind: CompareKind =
    companies.length >= COMPARE_MIN || (companies.length && !areas.length) ? "company" : "technology";
  const given = kind === "company" ? companies : areas;
  if (given.length < COMPARE_MIN || given.length > COMPARE_MAX)
    return {
      success: false,
      errors: {
        [kind]: [
          given.length > COMPARE_MAX
            ? `Compare at most ${COMPARE_MAX} ${noun(kind, 2)}; you chose ${given.length}`
            : `Choose ${COMPARE_MIN} to ${COMPARE_MAX} ${noun(kind, 2)} to compare${given.length ? `; you chose ${given.length}` : ""}`,
        ],
      },
    };
  return { success: true, selection: { kind, given, base: { ...f, [kind]: [], page: 1 } } };
}

/** The filters of one compared item: the shared filters plus that company or area. */
export function itemFilters(s: Pick<CompareSelection, "kind" | "base">, slug: string): DealFilters {
  return { ...s.base, [s.kind]: [slug] };
}

/**
 * The deals list behind one number of the comparison (a bar, a cell): the item's filters with
 * `filters`, and `geo` for the partners' country or sector (issue 23's filters of those names).
 */
export function compareDealsHref(
  s: Pick<CompareSelection, "kind" | "base">,
  slug: string,
  filters: Partial<DealFilters> = {},
  geo: { country?: string; sector?: string } = {},
): string {
  const extra = Object.fromEntries(Object.entries(geo).filter(([, v]) => v)) as Record<string, string>;
  return `/deals${filtersQuery({ ...itemFilters(s, slug), ...filters }, extra)}`;
}

/** The panels of a comparison in page order, with the CSV's name for each. */
export const COMPARE_PANELS = [
  ["overTime", "over_time"],
  ["types", "types"],
  ["mix", "mix"],
  ["countries", "partner_countries"],
  ["sectors", "partner_sectors"],
  ["partners", "top_partners"],
  ["shared", "shared_partners"],
] as const satisfies readonly (readonly [keyof Comparison, string])[];

/**
 * The whole comparison as one long table, a row per panel, category and item, so a spreadsheet
 * can pivot it any way; the deals between two companies are rows of `between` (key: the partner).
 */
export function comparisonTable(c: Comparison): CsvTable {
  const rows: CsvCell[][] = [];
  for (const [key, panel] of COMPARE_PANELS)
    for (const row of c[key])
      for (const item of c.items)
        rows.push([panel, row.key, row.label, item.slug, row.counts[item.slug] ?? 0]);
  const name = new Map(c.items.map((i) => [i.slug, i.name]));
  for (const pair of c.between)
    rows.push(["between", pair.b, name.get(pair.b) ?? pair.b, pair.a, pair.deals]);
  return { header: ["panel", "key", "name", c.kind, "deals"], rows };
}
