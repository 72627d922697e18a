import { BINDING_LABELS, STATUS_LABELS, type DealType } from "./enums";
import type { DealFilters } from "./filters";
import { countryByCode } from "./geo/countries";
import { sectorByCode } from "./geo/sectors";

// The filtered set said as a sentence, for what cannot carry the filter form: a printed page, a chart
// image's subtitle. Paging and sorting are left out: they choose rows to show, not the set.

const TYPE_PLURALS: Record<DealType, string> = {
  mou: "MoUs",
  strategic_partnership: "strategic partnerships",
  joint_venture: "joint ventures",
  investment: "investments",
  licensing: "licensing deals",
  rd_collaboration: "R&D collaborations",
  commercial_agreement: "commercial agreements",
  acquisition: "acquisitions",
  other: "other deals",
};

/** "A", "A or B", "A, B or C". */
function list(items: string[], conjunction: "or" | "and"): string {
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

const YEAR_START = /^(\d{4})-01-01$/;
const YEAR_END = /^(\d{4})-12-31$/;

/** The date range, in whole years where the bounds are whole years ("2020–2024", "from 2021-03-15"). */
function range(from: string | undefined, to: string | undefined): string | null {
  const fromYear = from?.match(YEAR_START)?.[1];
  const toYear = to?.match(YEAR_END)?.[1];
  if (from && to) {
    if (fromYear && toYear) return fromYear === toYear ? fromYear : `${fromYear}–${toYear}`;
    return `${from} to ${to}`;
  }
  if (from) return `from ${fromYear ?? from}`;
  if (to) return `until ${toYear ?? to}`;
  return null;
}

/**
 * Filters as one sentence: "Deals of Samsung with Apple, in 5G, MoUs, 2020–2024, subsidiaries rolled up".
 * Companies and technology areas appear as the URL names them (a name or a slug) unless `names`
 * maps that value to a display name.
 */
export function describeFilters(
  filters: DealFilters,
  names: { companies?: Record<string, string>; technologies?: Record<string, string> } = {},
): string {
  const company = (value: string) => names.companies?.[value] ?? value;
  const technology = (value: string) => names.technologies?.[value] ?? value;
  const base =
    filters.crossBorder === true
      ? "Cross-border deals"
      : filters.crossBorder === false
        ? "Domestic deals"
        : "Deals";
  let head = base;
  if (filters.company.length) head += ` of ${list(filters.company.map(company), "or")}`;
  // Every partner must be in the deal (lib/filters.ts), hence "and".
  if (filters.partner.length) head += ` with ${list(filters.partner.map(company), "and")}`;

  const parts: string[] = [];
  if (filters.technology.length) parts.push(`in ${list(filters.technology.map(technology), "or")}`);
  // A party in one of them, hence "or"; a region and countries together must both hold.
  if (filters.country.length)
    parts.push(
      `in ${list(
        filters.country.map((c) => countryByCode(c)?.name ?? c),
        "or",
      )}`,
    );
  if (filters.region) parts.push(`in ${filters.region}`);
  if (filters.sector.length)
    parts.push(
      `in ${list(
        filters.sector.map((s) => sectorByCode(s)?.name ?? s),
        "or",
      )}`,
    );
  if (filters.type.length)
    parts.push(
      list(
        filters.type.map((t) => TYPE_PLURALS[t]),
        "or",
      ),
    );
  if (filters.binding.length) {
    parts.push(
      list(
        filters.binding.map((b) => (b === "unknown" ? "binding unknown" : BINDING_LABELS[b].toLowerCase())),
        "or",
      ),
    );
  }
  if (filters.status.length) {
    parts.push(
      `with status ${list(
        filters.status.map((s) => STATUS_LABELS[s].toLowerCase()),
        "or",
      )}`,
    );
  }
  const dates = range(filters.from, filters.to);
  if (dates) parts.push(dates);
  if (filters.q) parts.push(`matching “${filters.q}”`);
  if (filters.rollup) {
    const companies = filters.company.length > 0 || filters.partner.length > 0;
    const areas = filters.technology.length > 0;
    parts.push(
      companies && areas
        ? "subsidiaries and narrower areas rolled up"
        : areas
          ? "narrower areas rolled up"
          : "subsidiaries rolled up",
    );
  }
  if (head === "Deals" && parts.length === 0) return "All deals";
  if (head === base && parts.length === 0) return head;
  if (head === base) {
    const [first, ...rest] = parts as [string, ...string[]];
    // "Deals in 5G", "Deals from 2020": a phrase that continues the head goes on without a comma;
    // types name the deals themselves ("MoUs, 2020–2024").
    if (/^(in|with|from|until|matching|subsidiaries|narrower) /.test(first)) {
      return [`${head} ${first}`, ...rest].join(", ");
    }
    if (filters.type.length && head === "Deals")
      return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(", ");
  }
  return [head, ...parts].join(", ");
}
