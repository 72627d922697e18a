import { describeFilters } from "@/lib/filters-in-words";
import type { DealFilters } from "@/lib/filters";

/**
 * The filters in words, shown only on paper, where the filter form is not printed (globals.css).
 * Plain markup without hooks, so server and client components alike can render it.
 */
export function PrintFilters({
  filters,
  technologies = [],
}: {
  filters: DealFilters;
  technologies?: { name: string; slug: string }[];
}) {
  const names = Object.fromEntries(technologies.map((t) => [t.slug, t.name]));
  return <p className="print-only print-filters">{describeFilters(filters, { technologies: names })}</p>;
}
