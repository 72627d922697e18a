import * as z from "zod/mini";
import { BINDINGS, DEAL_TYPES, STATUSES } from "./enums";
import { isCountryCode, regionByNameOrCode } from "./geo/countries";
import { isSectorCode } from "./geo/sectors";

// The one filter schema: /deals, GET /api/deals, the charts and the CSV exports all parse the URL
// through it, so every view of "the filtered set" means the same rows. It is zod/mini because client
// components parse the URL with it and classic zod would add some 20 kB gzip to the browser's first
// load (test/client-zod.test.ts); server code may mix it into classic schemas (z.optional(x), z.pipe).

export const SORTS = ["-announcedOn", "announcedOn", "title", "-updatedAt"] as const;
export type DealSort = (typeof SORTS)[number];

/** The filters a URL may repeat, in the order a query string lists them. */
export const REPEATABLE = [
  "company",
  "partner",
  "technology",
  "type",
  "binding",
  "status",
  "country",
  "sector",
] as const;

// Control characters (NUL above all) and lone UTF-16 surrogates cannot be typed into a search box
// and break SQLite's full-text search, so they are refused here, where every consumer parses.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text typed by a person into a query string: trimmed, bounded, no control characters. */
export function searchText(max: number, tooLong: string) {
  return z.pipe(
    z.pipe(
      z.string().check(
        z.maxLength(max * 4, { error: tooLong }),
        z.refine((s: string) => !CONTROL.test(s), {
          error: "Remove control characters (such as NUL) from the text",
        }),
        z.refine((s: string) => !LONE_SURROGATE.test(s), { error: "The text is not valid Unicode" }),
      ),
      z.transform((s: string) => s.trim()),
    ),
    z.string().check(z.maxLength(max, { error: tooLong })),
  );
}

// zod/mini loads no locale (classic zod loads English), so this message is spelled out as classic
// zod's English locale words it: the same whichever zod a bundle holds.
const name = z.pipe(
  searchText(200, "Keep names under 200 characters"),
  z.string().check(z.minLength(1, { error: "Too small: expected string to have >=1 characters" })),
);
const date = z.iso.date({ error: "Use a real date as YYYY-MM-DD" });

// Codes are checked against the reference data (lib/geo) and stored canonically (upper-case country,
// a region's M49 name), so one filter has one URL and one cache key.
const country = z.pipe(
  z.string().check(
    z.refine((code: string) => isCountryCode(code.trim()), {
      error: (issue) => `No country has the ISO 3166-1 code "${String(issue.input)}"`,
    }),
  ),
  z.transform((code: string) => code.trim().toUpperCase()),
);
const region = z.pipe(
  z.string().check(
    z.refine((value: string) => !!regionByNameOrCode(value), {
      error: (issue) => `No UN M49 region is called or numbered "${String(issue.input)}"`,
    }),
  ),
  z.transform((value: string) => regionByNameOrCode(value)!.name),
);
const sector = z.pipe(
  z.string().check(
    z.refine((code: string) => isSectorCode(code), {
      error: (issue) => `No NAICS 2017 sector or subsector has the code "${String(issue.input)}"`,
    }),
  ),
  z.transform((code: string) => code.trim()),
);

/** A repeatable filter: at most `max` values (`tooMany` says so), none by default. */
const list = <T extends z.core.SomeType>(item: T, max?: { max: number; tooMany: string }) =>
  z._default(max ? z.array(item).check(z.maxLength(max.max, { error: max.tooMany })) : z.array(item), []);

const fields = z.object({
  q: z.optional(searchText(200, "Keep the search under 200 characters")),
  company: list(name, { max: 20, tooMany: "At most 20 companies" }),
  /** Deals that also involve every one of these companies (a pair's history: company=A&partner=B). */
  partner: list(name, { max: 5, tooMany: "At most 5 partners" }),
  technology: list(name, { max: 20, tooMany: "At most 20 technology areas" }),
  type: list(z.enum(DEAL_TYPES, { error: `Use one of: ${DEAL_TYPES.join(", ")}` })),
  binding: list(z.enum(BINDINGS, { error: `Use one of: ${BINDINGS.join(", ")}` })),
  status: list(z.enum(STATUSES, { error: `Use one of: ${STATUSES.join(", ")}` })),
  /** Deals with a party in one of these countries (ISO 3166-1 alpha-2). */
  country: list(country, { max: 50, tooMany: "At most 50 countries" }),
  /** Deals with a party in this UN M49 region, sub-region or intermediate region (name or code). */
  region: z.optional(region),
  /** Deals with a party in one of these NAICS sectors; a sector includes its subsectors. */
  sector: list(sector, { max: 20, tooMany: "At most 20 sectors" }),
  /** Parties from more than one country (true) or all from one known country (false); docs/filters.md. */
  crossBorder: z.optional(z.stringbool({ error: "Use crossBorder=1 or crossBorder=0" })),
  from: z.optional(date),
  to: z.optional(date),
  /** Count a subsidiary's deals under its parent group (company filter, company rankings, network). */
  rollup: z._default(z.stringbool({ error: "Use rollup=1 or rollup=0" }), false),
  sort: z._default(z.enum(SORTS, { error: `Use one of: ${SORTS.join(", ")}` }), "-announcedOn"),
  page: z._default(
    z.coerce
      .number({ error: "Use a page number" })
      .check(
        z.int({ error: "Use a whole page number" }),
        z.gte(1, { error: "Pages start at 1" }),
        z.lte(1_000_000),
      ),
    1,
  ),
  pageSize: z._default(
    z.coerce
      .number({ error: "Use a number" })
      .check(
        z.int({ error: "Use a whole number" }),
        z.gte(1, { error: "At least 1" }),
        z.lte(500, { error: "At most 500 per page" }),
      ),
    50,
  ),
});

export const dealFilters = fields.check(
  z.refine((f: z.output<typeof fields>) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    error: "The end date is before the start date",
  }),
);

/**
 * Who is reading (issue 25): the teams whose confidential deals they see — theirs, or every team for
 * an admin — among the teams that own deals. Empty (or absent) is the public audience: deals visible
 * to everyone only. Set on the server from the signed-in user or token, never from a URL, so it is
 * not in the schema above and no query string carries it; a filter without it sees public deals only.
 */
export type Audience = { readonly teams: readonly number[] };

export type DealFilters = z.output<typeof dealFilters> & { audience?: Audience };

/** The audience's part of a cache key: '' for the public audience. */
export const audienceKey = (audience: Audience | undefined): string =>
  audience?.teams.length ? `#teams=${[...audience.teams].sort((a, b) => a - b).join(",")}` : "";

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

function errorsOf(error: z.core.$ZodError): Record<string, string[]> {
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
  if (f.region) params.set("region", f.region);
  if (f.crossBorder !== undefined) params.set("crossBorder", f.crossBorder ? "1" : "0");
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
  return Boolean(
    f.q ||
    f.from ||
    f.to ||
    f.region ||
    f.crossBorder !== undefined ||
    REPEATABLE.some((key) => f[key].length > 0),
  );
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

/**
 * The query string after a filter change: `next` as filtersToSearch writes it, then the page's own
 * parameters (interval, grouping…) kept from `params`, then `extra` (null deletes). A filter the
 * change cleared stays cleared, optional ones (search, dates, region, crossBorder) included.
 */
export function patchedSearch(
  params: URLSearchParams,
  next: Partial<DealFilters>,
  extra: Record<string, string | null> = {},
): string {
  const search = new URLSearchParams(filtersToSearch(next).slice(1));
  for (const [key, value] of params)
    if (!(key in dealFilters.shape) && !search.has(key)) search.set(key, value);
  for (const [key, value] of Object.entries(extra)) {
    if (value === null) search.delete(key);
    else search.set(key, value);
  }
  return search.toString();
}
