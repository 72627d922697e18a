import { z } from "zod";
import { BINDINGS, DEAL_TYPES, STATUSES } from "./enums";

// The one filter schema: /deals, GET /api/deals, the charts and the CSV exports all parse the URL
// through it, so every view of "the filtered set" means the same rows.

export const SORTS = ["-announcedOn", "announcedOn", "title", "-updatedAt"] as const;
export type DealSort = (typeof SORTS)[number];

const REPEATABLE = ["company", "partner", "technology", "type", "binding", "status"] as const;

// Control characters (NUL above all) and lone UTF-16 surrogates cannot be typed into a search box
// and break SQLite's full-text search, so they are refused here, where every consumer parses.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text typed by a person into a query string: trimmed, bounded, no control characters. */
export function searchText(max: number, tooLong: string) {
  return z
    .string()
    .max(max * 4, { error: tooLong })
    .refine((s) => !CONTROL.test(s), { error: "Remove control characters (such as NUL) from the text" })
    .refine((s) => !LONE_SURROGATE.test(s), { error: "The text is not valid Unicode" })
    .transform((s) => s.trim())
    .pipe(z.string().max(max, { error: tooLong }));
}

const name = searchText(200, "Keep names under 200 characters").pipe(z.string().min(1));
const date = z.iso.date({ error: "Use a real date as YYYY-MM-DD" });

export const dealFilters = z
  .object({
    q: searchText(200, "Keep the search under 200 characters").optional(),
    company: z.array(name).max(20, { error: "At most 20 companies" }).default([]),
    /** Deals that also involve every one of these companies (a pair's history: company=A&partner=B). */
    partner: z.array(name).max(5, { error: "At most 5 partners" }).default([]),
    technology: z.array(name).max(20, { error: "At most 20 technology areas" }).default([]),
    type: z.array(z.enum(DEAL_TYPES, { error: `Use one of: ${DEAL_TYPES.join(", ")}` })).default([]),
    binding: z.array(z.enum(BINDINGS, { error: `Use one of: ${BINDINGS.join(", ")}` })).default([]),
    status: z.array(z.enum(STATUSES, { error: `Use one of: ${STATUSES.join(", ")}` })).default([]),
    from: date.optional(),
    to: date.optional(),
    /** Count a subsidiary's deals under its parent group (company filter, company rankings, network). */
    rollup: z.stringbool({ error: "Use rollup=1 or rollup=0" }).default(false),
    sort: z.enum(SORTS, { error: `Use one of: ${SORTS.join(", ")}` }).default("-announcedOn"),
    page: z.coerce
      .number({ error: "Use a page number" })
      .int({ error: "Use a whole page number" })
      .min(1, { error: "Pages start at 1" })
      .max(1_000_000)
      .default(1),
    pageSize: z.coerce
      .number({ error: "Use a number" })
      .int({ error: "Use a whole number" })
      .min(1, { error: "At least 1" })
      .max(500, { error: "At most 500 per page" })
      .default(50),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    error: "The end date is before the start date",
  });

export type DealFilters = z.output<typeof dealFilters>;

export type SearchParams = Record<string, string | string[] | undefined>;
type Params = URLSearchParams | SearchParams;

function entries(params: Params): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  return Object.entries(params).flatMap(([k, v]) =>
    v === undefined
      ? []
      : Array.isArray(v)
        ? v.map((x) => [k, x] as [string, string])
        : [[k, v] as [string, string]],
  );
}

/**
 * Parses URL parameters. Empty values (as a GET form sends them) are ignored. With `strict`, unknown
 * parameter names are errors, so a typo in a script does not silently return everything.
 */
export function parseDealFilters(
  params: Params,
  options: { strict?: boolean; allow?: readonly string[] } = {},
) {
  const raw: Record<string, string | string[]> = {};
  const unknown: string[] = [];
  const known = new Set<string>([...Object.keys(dealFilters.shape), ...(options.allow ?? [])]);
  for (const [key, value] of entries(params)) {
    if (!known.has(key)) {
      unknown.push(key);
      continue;
    }
    if (value.trim() === "" || !(key in dealFilters.shape)) continue;
    if ((REPEATABLE as readonly string[]).includes(key)) ((raw[key] ??= []) as string[]).push(value);
    else raw[key] = value;
  }
  const result = dealFilters.safeParse(raw);
  if (options.strict && unknown.length) {
    const errors: Record<string, string[]> = result.success ? {} : errorsOf(result.error);
    for (const key of unknown) errors[key] = [`Unknown parameter "${key}"`];
    return { success: false as const, errors };
  }
  return result.success
    ? { success: true as const, filters: result.data }
    : { success: false as const, errors: errorsOf(result.error) };
}

function errorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "_form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export const defaultFilters: DealFilters = dealFilters.parse({});

/** Serialises filters back to a query string, leaving defaults out so URLs stay short. */
export function filtersToSearch(filters: Partial<DealFilters>): string {
  const params = new URLSearchParams();
  const f = { ...defaultFilters, ...filters };
  if (f.q) params.set("q", f.q);
  for (const key of REPEATABLE) for (const v of f[key]) params.append(key, v);
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  if (f.rollup) params.set("rollup", "1");
  if (f.sort !== defaultFilters.sort) params.set("sort", f.sort);
  if (f.pageSize !== defaultFilters.pageSize) params.set("pageSize", String(f.pageSize));
  if (f.page !== 1) params.set("page", String(f.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

/**
 * The canonical query string of a request over the filtered set: filters without paging (and without
 * the sort unless the answer depends on it, as a deals export does), then `extra` in key order. One
 * answer has one string, so caches and react-query keys built from it never split.
 */
export function filtersQuery(
  filters: DealFilters,
  extra: Record<string, string> = {},
  options: { keepSort?: boolean } = {},
): string {
  const base = filtersToSearch({
    ...filters,
    page: 1,
    pageSize: defaultFilters.pageSize,
    sort: options.keepSort ? filters.sort : defaultFilters.sort,
  });
  const params = new URLSearchParams(base.slice(1));
  for (const key of Object.keys(extra).sort()) params.set(key, extra[key]!);
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function hasActiveFilters(f: DealFilters): boolean {
  return Boolean(f.q || f.from || f.to || REPEATABLE.some((key) => f[key].length > 0));
}

/**
 * For pages: parse, and if some parameters are bad, drop just those and say so, rather than
 * showing the analyst an error page for a mistyped link.
 */
export function parseDealFiltersLenient(params: Params): {
  filters: DealFilters;
  errors: Record<string, string[]>;
} {
  const first = parseDealFilters(params);
  if (first.success) return { filters: first.filters, errors: {} };
  const kept = entries(params).filter(([key]) => !(key in first.errors));
  const second = parseDealFilters(new URLSearchParams(kept));
  return { filters: second.success ? second.filters : defaultFilters, errors: first.errors };
}
