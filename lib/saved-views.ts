import { z } from "zod";
import { compareSelection } from "./compare";
import { parseDealFilters, searchText, type DealFilters } from "./filters";
import { WIDGETS } from "./widgets";

// A saved view is a page address. It is checked with the same filter schema as the page it names
// (plus that page's own options), so a view can never save a question the page would not answer.

/** The filtered pages a view may name, and the options each page reads from its URL. */
const PAGE_OPTIONS = {
  deals: z.object({}),
  dashboard: z.object({
    interval: WIDGETS["deals-over-time"].options.shape.interval,
    rankBy: WIDGETS["top-companies"].options.shape.by,
  }),
  timeline: z.object({ groupBy: WIDGETS.timeline.options.shape.groupBy }),
  network: z.object({}),
  company: z.object({}),
  technology: z.object({}),
  compare: z.object({ interval: WIDGETS["compare-over-time"].options.shape.interval }),
} as const;
export type ViewPage = keyof typeof PAGE_OPTIONS;

export type ParsedViewPath = {
  page: ViewPage;
  /** The company or technology slug of a company or technology page. */
  slug?: string;
  /** The page's filters; on a company or technology page its own slug is added, as the page does. */
  filters: DealFilters;
  /** The path as stored: pathname and query string, nothing else. */
  path: string;
};

const SLUG = /^[a-z0-9][a-z0-9-]{0,119}$/;

function pageOf(pathname: string): { page: ViewPage; slug?: string } | null {
  const fixed: Record<string, ViewPage> = {
    "/": "dashboard",
    "/deals": "deals",
    "/timeline": "timeline",
    "/network": "network",
    "/compare": "compare",
  };
  if (fixed[pathname]) return { page: fixed[pathname] };
  const match = /^\/(companies|technologies)\/([^/]+)$/.exec(pathname);
  if (!match || !SLUG.test(match[2]!)) return null;
  return { page: match[1] === "companies" ? "company" : "technology", slug: match[2]! };
}

/** Parses a view's path; every problem is a field error (`path`, or the filter's own name). */
export function parseViewPath(
  raw: string,
): { success: true; view: ParsedViewPath } | { success: false; errors: Record<string, string[]> } {
  const pathError = (message: string) => ({ success: false as const, errors: { path: [message] } });
  if (!raw.startsWith("/") || raw.startsWith("//"))
    return pathError("Use a path in Atlas, such as /deals?type=mou");
  let url: URL;
  try {
    url = new URL(raw, "http://atlas.invalid");
  } catch {
    return pathError("That is not a valid path");
  }
  if (url.origin !== "http://atlas.invalid" || url.hash) return pathError("Use a path in Atlas, without #");
  const target = pageOf(url.pathname);
  if (!target)
    return pathError(
      "Save the deals list, the dashboard, the timeline, the network, a comparison, or a company or technology page",
    );
  const own = PAGE_OPTIONS[target.page];
  const ownKeys = Object.keys(own.shape);
  const filters = parseDealFilters(url.searchParams, { strict: true, allow: ownKeys });
  const options = own.safeParse(
    Object.fromEntries([...url.searchParams].filter(([key]) => ownKeys.includes(key))),
  );
  if (!filters.success || !options.success) {
    const errors: Record<string, string[]> = filters.success ? {} : { ...filters.errors };
    if (!options.success)
      for (const issue of options.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
    return { success: false, errors };
  }
  const f = filters.filters;
  // A comparison names 2–4 companies or areas: a view that could not show one is refused.
  const compared = target.page === "compare" ? compareSelection(f) : null;
  if (compared && !compared.success) return { success: false, errors: compared.errors };
  const scoped =
    target.page === "company"
      ? { ...f, company: [target.slug!] }
      : target.page === "technology"
        ? { ...f, technology: [target.slug!] }
        : f;
  return {
    success: true,
    view: { ...target, filters: scoped, path: url.pathname + url.search },
  };
}

export const viewName = z.pipe(
  searchText(120, "Keep the name under 120 characters"),
  z.string().min(1, { error: "Give the view a name" }),
);

export const viewInput = z.object({
  name: viewName,
  path: z.string().max(2000, { error: "The path is too long" }),
  shared: z.boolean({ error: "Use true or false" }).default(false),
});
export type ViewInput = z.output<typeof viewInput>;

export const viewPatch = z
  .object({
    name: viewName.optional(),
    shared: z.boolean({ error: "Use true or false" }).optional(),
  })
  .strict()
  .refine((p) => p.name !== undefined || p.shared !== undefined, {
    error: "Send a new name or shared",
    path: ["_form"],
  });
export type ViewPatch = z.output<typeof viewPatch>;
