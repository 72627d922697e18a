import { slugify } from "./names";
import { REPEATABLE, type DealFilters } from "./filters";

/** "atlas-deals-2026-11-27-technology-5g.csv": what was exported, when, and with which filters. */
export function exportFilename(
  what: string,
  filters: DealFilters,
  today = new Date(),
  extension: "csv" | "svg" | "png" = "csv",
): string {
  const parts: string[] = [];
  if (filters.q) parts.push(`search-${slugify(filters.q)}`);
  for (const key of REPEATABLE) {
    for (const value of filters[key]) parts.push(`${key}-${slugify(value)}`);
  }
  if (filters.region) parts.push(`region-${slugify(filters.region)}`);
  if (filters.crossBorder !== undefined) parts.push(filters.crossBorder ? "cross-border" : "domestic");
  if (filters.from) parts.push(`from-${filters.from}`);
  if (filters.to) parts.push(`to-${filters.to}`);
  if (filters.rollup) parts.push("rollup");
  const suffix = parts.join("-").slice(0, 120).replace(/-+$/, "");
  return `atlas-${what}-${today.toISOString().slice(0, 10)}${suffix ? `-${suffix}` : ""}.${extension}`;
}
