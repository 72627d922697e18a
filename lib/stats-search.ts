import { defaultFilters, filtersToSearch, type DealFilters } from "./filters";

/** The canonical query string of a stats request: filters without paging or sort, then options. */
export function statsSearch(filters: DealFilters, extra: Record<string, string> = {}): string {
  const base = filtersToSearch({
    ...filters,
    page: 1,
    pageSize: defaultFilters.pageSize,
    sort: defaultFilters.sort,
  });
  const params = new URLSearchParams(base.slice(1));
  for (const key of Object.keys(extra).sort()) params.set(key, extra[key]!);
  const s = params.toString();
  return s ? `?${s}` : "";
}
