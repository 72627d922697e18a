import * as z from "zod/mini";
import type {
  CompanyRank,
  ComparePanel,
  CountryCounts,
  CountryPairs,
  Network,
  PartnerMix,
  SectorCounts,
  SectorTechnologies,
  OverTime,
  Summary,
  TechnologiesOverTime,
  TechnologyCount,
  Timeline,
  TypeBreakdown,
} from "@/db/types";
import { INTERVALS } from "./buckets";
import { BINDING_COLORS, RANKING_COLORS, SERIES_COLORS, TYPE_COLORS } from "./chart-colors";
import type { ChartFigure, FigureRow } from "./chart-figure";
import type { CsvCell } from "./csv";
import { BINDING_LABELS, DEAL_TYPES, TYPE_LABELS, TYPE_SHORT } from "./enums";
import { filtersQuery, type DealFilters } from "./filters";
import { countryByCode } from "./geo/countries";

// Every dashboard widget defined once: its JSON endpoint, its own options (validated, with
// defaults), how the page URL sets them, its numbers as a CSV table and as a chart image. The stats
// routes, the chart CSV export, the chart images, the server prefetch and the client hook all read
// this; the compute functions are the server half (server/widgets.ts), keyed by the same names.
// The options are zod/mini, as the filters are, since the dashboard's client hook reads them.

export type CsvTable = { header: string[]; rows: CsvCell[][] };
type Get = (key: string) => string | null | undefined;

type WidgetDef<O extends z.ZodMiniObject, T> = {
  /** The JSON route under /api/. */
  endpoint: string;
  options: O;
  /** The widget's raw options as the page URL carries them (e.g. ?rankBy=partners). */
  fromUrl?: (get: Get) => Record<string, string | undefined>;
  table: (data: T, options: z.output<O>) => CsvTable;
  /** What its image (GET /api/charts/{widget}.svg|.png) draws: required, so no widget lacks one. */
  image: (data: T, options: z.output<O>) => ChartFigure;
};

const define =
  <T>() =>
  <O extends z.ZodMiniObject>(def: WidgetDef<O, T>) =>
    def;

const noOptions = z.object({});
const intervalOption = z.object({
  interval: z._default(
    z.enum(["auto", ...INTERVALS], { error: "Use interval=auto, month, quarter or year" }),
    "auto",
  ),
});
const fromInterval = (get: Get) => ({ interval: get("interval") ?? undefined });

/** A horizontal ranking in one colour: "Deals" per company, area or pair. */
const ranking = (title: string, color: string, rows: FigureRow[], label = "Deals"): ChartFigure => ({
  title,
  kind: "bars",
  axis: label,
  series: [{ key: "deals", label, color }],
  rows,
});

/** The compared items as series: each company or area keeps its colour in every panel. */
const compareSeries = (d: ComparePanel) =>
  d.items.map((item, i) => ({
    key: item.slug,
    label: item.name,
    color: SERIES_COLORS[i % SERIES_COLORS.length]!,
  }));

/**
 * A compare page panel (/compare, lib/compare.ts): the items side by side over the same categories.
 * Its CSV has one column per item (by slug); its image draws the items as series on one scale.
 */
const comparePanel = <O extends z.ZodMiniObject>(o: {
  panel: string;
  options: O;
  fromUrl?: (get: Get) => Record<string, string | undefined>;
  column: string;
  title: (d: ComparePanel) => string;
  kind?: "bars" | "lines";
}) =>
  define<ComparePanel>()({
    endpoint: `compare/${o.panel}`,
    options: o.options,
    fromUrl: o.fromUrl,
    table: (d) => ({
      header: [o.column, "name", ...d.items.map((i) => i.slug)],
      rows: d.rows.map((r) => [r.key, r.label, ...d.items.map((i) => r.counts[i.slug] ?? 0)]),
    }),
    image: (d) => ({
      title: o.title(d),
      kind: o.kind ?? "bars",
      axis: "Deals",
      series: compareSeries(d),
      rows: d.rows.map((r) => ({ label: r.label, values: d.items.map((i) => r.counts[i.slug] ?? 0) })),
    }),
  });

const compared = (d: ComparePanel) => (d.kind === "company" ? "companies" : "technology areas");
const countryName = (code: string) => countryByCode(code)?.name ?? code;

/** The counting rules the geography charts state on the page and in their images. */
export const GEO_RULES = {
  countries:
    "A deal counts once in each country among its parties, so the countries add up to more than the deals.",
  pairs: "Deals with parties in both countries (each deal once per pair of its countries).",
  sectors:
    "A deal counts once in each sector among its parties (a subsector under its sector), so the sectors add up to more than the deals.",
  sectorTechnologies: "A deal counts once in each pair of its parties' sectors and its technology areas.",
  partnerMix: "Each partner company counts once, under its country and under its sector.",
} as const;

/** The sentence a geography chart adds for deals none of whose parties has a known country or sector. */
export const unknownNote = (n: number, of: string) =>
  n ? ` ${n.toLocaleString("en")} ${n === 1 ? "deal has" : "deals have"} no party with a known ${of}.` : "";

export const WIDGETS = {
  summary: define<Summary>()({
    endpoint: "stats/summary",
    options: noOptions,
    table: (s) => ({
      header: ["metric", "value"],
      rows: [
        ["deals", s.deals],
        ["companies", s.companies],
        ["technology_areas", s.technologies],
        ["non_binding_mous", s.nonBindingMous],
        ["known_binding", s.knownBinding],
        ["non_binding_mou_share", Number(s.nonBindingMouShare.toFixed(4))],
        ["last_12_months", s.last12Months],
        ["previous_12_months", s.previous12Months],
      ],
    }),
    image: (s) => ({
      title: "At a glance",
      kind: "figures",
      items: [
        { label: "Deals", value: s.deals, text: s.deals.toLocaleString("en") },
        { label: "Companies involved", value: s.companies, text: s.companies.toLocaleString("en") },
        { label: "Technology areas", value: s.technologies, text: s.technologies.toLocaleString("en") },
        {
          label: "Non-binding MoUs (of known binding)",
          value: s.nonBindingMouShare,
          text: `${Math.round(s.nonBindingMouShare * 100)}%`,
        },
        { label: "Last 12 months", value: s.last12Months, text: s.last12Months.toLocaleString("en") },
        {
          label: "The 12 months before",
          value: s.previous12Months,
          text: s.previous12Months.toLocaleString("en"),
        },
      ],
    }),
  }),
  "deals-over-time": define<OverTime>()({
    endpoint: "stats/deals-over-time",
    options: intervalOption,
    fromUrl: fromInterval,
    table: (d) => ({
      // Each deal once, under its primary type: the type columns add up to `deals`.
      header: ["period", ...DEAL_TYPES.map((t) => `primary_${t}`), "deals"],
      rows: d.buckets.map((b) => [b.bucket, ...DEAL_TYPES.map((t) => b.counts[t] ?? 0), b.total]),
    }),
    image: (d) => {
      // Only the types that occur, so the legend lists what the columns show.
      const types = DEAL_TYPES.filter((t) => d.buckets.some((b) => b.counts[t]));
      return {
        title: "Deals over time, by type",
        kind: "stacked-columns",
        axis: "Deals (each under its primary type)",
        series: types.map((t) => ({ key: t, label: TYPE_SHORT[t], color: TYPE_COLORS[t] })),
        rows: d.buckets.map((b) => ({ label: b.bucket, values: types.map((t) => b.counts[t] ?? 0) })),
      };
    },
  }),
  "top-companies": define<CompanyRank[]>()({
    endpoint: "stats/top-companies",
    options: z.object({
      by: z._default(z.enum(["deals", "partners"], { error: "Use by=deals or by=partners" }), "deals"),
      limit: z._default(
        z.coerce
          .number({ error: "Use a number" })
          .check(z.int(), z.gte(1), z.lte(50, { error: "At most 50" })),
        10,
      ),
    }),
    fromUrl: (get) => ({ by: get("rankBy") ?? undefined }),
    table: (d, o) => ({
      header: ["company", "deals", "partners"],
      rows: d.map((c) => [c.name, c.deals, o.by === "partners" ? c.partners : null]),
    }),
    image: (d, o) =>
      o.by === "partners"
        ? ranking(
            "Top companies by distinct partners",
            RANKING_COLORS.company,
            d.map((c) => ({ label: c.name, values: [c.partners] })),
            "Distinct partners",
          )
        : ranking(
            "Top companies by deals",
            RANKING_COLORS.company,
            d.map((c) => ({ label: c.name, values: [c.deals] })),
          ),
  }),
  technologies: define<TechnologyCount[]>()({
    endpoint: "stats/technologies",
    options: noOptions,
    table: (d) => ({ header: ["technology_area", "deals"], rows: d.map((t) => [t.name, t.deals]) }),
    image: (d) =>
      ranking(
        "Deals by technology area",
        RANKING_COLORS.technology,
        d.map((t) => ({ label: t.name, values: [t.deals] })),
      ),
  }),
  "technologies-over-time": define<TechnologiesOverTime>()({
    endpoint: "stats/technologies-over-time",
    options: intervalOption,
    fromUrl: fromInterval,
    table: (d) => ({
      header: ["period", ...d.areas.map((a) => a.name)],
      rows: d.buckets.map((b) => [b.bucket, ...d.areas.map((a) => b.counts[a.slug] ?? 0)]),
    }),
    image: (d) => ({
      title: "Technology areas over time",
      kind: "lines",
      axis: "Deals",
      series: d.areas.map((a, i) => ({
        key: a.slug,
        label: a.name,
        color: SERIES_COLORS[i % SERIES_COLORS.length]!,
      })),
      rows: d.buckets.map((b) => ({ label: b.bucket, values: d.areas.map((a) => b.counts[a.slug] ?? 0) })),
    }),
  }),
  "deal-types": define<TypeBreakdown>()({
    endpoint: "stats/deal-types",
    options: noOptions,
    table: (d) => ({
      header: ["dimension", "value", "deals"],
      rows: [
        ...d.types.map((t) => ["type", t.type, t.deals]),
        ...d.binding.map((b) => ["binding", b.binding, b.deals]),
      ],
    }),
    // Types and binding as one list of bars in their page colours; the legend says how each counts.
    image: (d) => ({
      title: "Deal types and binding",
      kind: "bars",
      axis: "Deals",
      series: [
        {
          key: "deals",
          label: "Deals: a deal of two types counts under both; binding counts each deal once",
          color: "#6B7280",
        },
      ],
      rows: [
        ...d.types.map((t) => ({
          label: TYPE_LABELS[t.type],
          values: [t.deals],
          color: TYPE_COLORS[t.type],
        })),
        ...d.binding.map((b) => ({
          label: `Binding: ${BINDING_LABELS[b.binding]}`,
          values: [b.deals],
          color: BINDING_COLORS[b.binding],
        })),
      ],
    }),
  }),
  countries: define<CountryCounts>()({
    endpoint: "stats/countries",
    options: noOptions,
    table: (d) => ({
      header: ["country_code", "country", "deals"],
      rows: [
        ...d.items.map((c) => [c.country, c.name, c.deals]),
        ...(d.unknown ? [["", "Unknown", d.unknown]] : []),
      ],
    }),
    image: (d) => ({
      title: "Deals by country",
      kind: "map",
      axis: "Deals",
      items: d.items.map((c) => ({ code: c.country, label: c.name, value: c.deals })),
      note: GEO_RULES.countries + unknownNote(d.unknown, "country"),
    }),
  }),
  "country-pairs": define<CountryPairs>()({
    endpoint: "stats/country-pairs",
    options: z.object({
      limit: z._default(
        z.coerce
          .number({ error: "Use a number" })
          .check(z.int(), z.gte(1, { error: "At least 1" }), z.lte(50, { error: "At most 50" })),
        15,
      ),
    }),
    table: (d) => ({
      header: ["country_a", "country_b", "name_a", "name_b", "deals"],
      rows: d.items.map((p) => [p.a, p.b, countryName(p.a), countryName(p.b), p.deals]),
    }),
    image: (d) =>
      ranking(
        "Top cross-border corridors",
        RANKING_COLORS.country,
        d.items.map((p) => ({ label: `${countryName(p.a)} – ${countryName(p.b)}`, values: [p.deals] })),
        "Deals with parties in both countries",
      ),
  }),
  sectors: define<SectorCounts>()({
    endpoint: "stats/sectors",
    options: noOptions,
    table: (d) => ({
      header: ["sector_code", "sector", "deals"],
      rows: [
        ...d.items.map((c) => [c.sector, c.name, c.deals]),
        ...(d.unknown ? [["", "Unknown", d.unknown]] : []),
      ],
    }),
    image: (d) =>
      ranking(
        "Deals by sector",
        RANKING_COLORS.sector,
        d.items.map((c) => ({ label: c.name, values: [c.deals] })),
        "Deals (once per sector among the parties)",
      ),
  }),
  "sector-technologies": define<SectorTechnologies>()({
    endpoint: "stats/sector-technologies",
    options: noOptions,
    table: (d) => ({
      header: ["sector_code", "sector", "technology_area", "deals"],
      rows: d.items.map((c) => [c.sector, c.name, c.technology, c.deals]),
    }),
    image: (d) => {
      const { sectors, areas, cell } = heatGrid(d);
      return {
        title: "Sectors × technology areas",
        kind: "heatmap",
        axis: "Deals",
        columns: areas.map((a) => a.name),
        rows: sectors.map((s) => ({ label: s.name, values: areas.map((a) => cell(s.code, a.slug)) })),
      };
    },
  }),
  "partner-mix": define<PartnerMix>()({
    endpoint: "stats/partner-mix",
    options: noOptions,
    table: (d) => ({
      header: ["dimension", "code", "name", "partners"],
      rows: [
        ...d.countries.map((c) => ["country", c.country, c.name, c.companies]),
        ...(d.unknownCountry ? [["country", "", "Unknown", d.unknownCountry]] : []),
        ...d.sectors.map((c) => ["sector", c.sector, c.name, c.companies]),
        ...(d.unknownSector ? [["sector", "", "Unknown", d.unknownSector]] : []),
      ],
    }),
    // Countries then sectors as one list of bars, each dimension in its own colour.
    image: (d) => ({
      title: "Partners by country and sector",
      kind: "bars",
      axis: "Partner companies",
      series: [{ key: "companies", label: GEO_RULES.partnerMix, color: "#6B7280" }],
      rows: [
        ...d.countries.slice(0, 10).map((c) => ({
          label: c.name,
          values: [c.companies],
          color: RANKING_COLORS.country,
        })),
        ...d.sectors.slice(0, 10).map((c) => ({
          label: c.name,
          values: [c.companies],
          color: RANKING_COLORS.sector,
        })),
      ],
    }),
  }),
  timeline: define<Timeline>()({
    endpoint: "timeline",
    options: z.object({
      groupBy: z._default(
        z.enum(["company", "technology"], { error: "Use groupBy=company or groupBy=technology" }),
        "company",
      ),
    }),
    fromUrl: (get) => ({ groupBy: get("groupBy") ?? undefined }),
    table: (d) => {
      const lane = new Map(d.lanes.map((l) => [l.key, l.name]));
      return d.mode === "deals"
        ? {
            header: ["lane", "deal_id", "title", "announced_on", "date_precision", "deal_types"],
            rows: d.markers.map((m) => [
              lane.get(m.lane) ?? m.lane,
              m.id,
              m.title,
              m.announcedOn,
              m.datePrecision,
              m.types.join("; "),
            ]),
          }
        : {
            header: ["lane", "month", "deals"],
            rows: d.cells.map((c) => [lane.get(c.lane) ?? c.lane, c.month, c.deals]),
          };
    },
    // A timeline does not fit a static picture; its image ranks the lanes it shows by their deals.
    image: (d) =>
      ranking(
        d.groupBy === "company"
          ? "Deals per company on the timeline"
          : "Deals per technology area on the timeline",
        RANKING_COLORS[d.groupBy],
        d.lanes.map((l) => ({ label: l.name, values: [l.deals] })),
      ),
  }),
  network: define<Network>()({
    endpoint: "network",
    options: noOptions,
    table: (d) => {
      const name = new Map(d.nodes.map((n) => [n.id, n.name]));
      return {
        header: ["company_a", "company_b", "shared_deals"],
        rows: d.edges
          .toSorted((a, b) => b.deals - a.deals)
          .map((e) => [name.get(e.source)!, name.get(e.target)!, e.deals]),
      };
    },
    // The network's image is its strongest pairs: a force layout says little on a slide.
    image: (d) => {
      const name = new Map(d.nodes.map((n) => [n.id, n.name]));
      return ranking(
        "Strongest partnerships",
        RANKING_COLORS.company,
        d.edges
          .toSorted((a, b) => b.deals - a.deals)
          .slice(0, 15)
          .map((e) => ({ label: `${name.get(e.source)} – ${name.get(e.target)}`, values: [e.deals] })),
        "Shared deals",
      );
    },
  }),
  "compare-over-time": comparePanel({
    panel: "over-time",
    options: intervalOption,
    fromUrl: fromInterval,
    column: "period",
    title: (d) => `Deals over time: ${compared(d)} compared`,
    kind: "lines",
  }),
  "compare-types": comparePanel({
    panel: "types",
    options: noOptions,
    column: "type",
    title: () => "Deal types compared (a deal of two types counts under both)",
  }),
  "compare-mix": comparePanel({
    panel: "mix",
    options: noOptions,
    column: "slug",
    title: (d) => (d.kind === "company" ? "Technology areas compared" : "Top companies compared"),
  }),
  "compare-countries": comparePanel({
    panel: "countries",
    options: noOptions,
    column: "country",
    title: (d) =>
      `${d.kind === "company" ? "Partners'" : "Companies'"} countries (a deal counts once per country)`,
  }),
  "compare-sectors": comparePanel({
    panel: "sectors",
    options: noOptions,
    column: "sector",
    title: (d) =>
      `${d.kind === "company" ? "Partners'" : "Companies'"} sectors (a deal counts once per sector)`,
  }),
  "compare-partners": comparePanel({
    panel: "partners",
    options: noOptions,
    column: "slug",
    title: () => "Top partners compared",
  }),
  "compare-shared": comparePanel({
    panel: "shared",
    options: noOptions,
    column: "slug",
    title: (d) => (d.kind === "company" ? "Shared partners" : "Companies in several of these areas"),
  }),
};

export type WidgetName = keyof typeof WIDGETS;

/** The widgets of the dashboard (/), in page order. */
export const DASHBOARD_WIDGETS: WidgetName[] = [
  "summary",
  "deals-over-time",
  "top-companies",
  "technologies",
  "technologies-over-time",
  "deal-types",
  "countries",
  "country-pairs",
  "sectors",
  "sector-technologies",
];
type Def<N extends WidgetName> = (typeof WIDGETS)[N];
export type WidgetData<N extends WidgetName> = Def<N> extends WidgetDef<z.ZodMiniObject, infer T> ? T : never;
export type WidgetOptions<N extends WidgetName> = z.output<Def<N>["options"]>;
/** Options as a caller may give them: any subset, defaults filled in. */
export type WidgetOptionsInput<N extends WidgetName> = z.input<Def<N>["options"]>;

export const WIDGET_NAMES = Object.keys(WIDGETS) as WidgetName[];

/** The compare page's panels, in page order (their filters name the compared items). */
export const COMPARE_WIDGETS = [
  "compare-over-time",
  "compare-types",
  "compare-mix",
  "compare-countries",
  "compare-sectors",
  "compare-partners",
  "compare-shared",
] as const satisfies readonly WidgetName[];
export type CompareWidget = (typeof COMPARE_WIDGETS)[number];

export function isWidgetName(name: string): name is WidgetName {
  return Object.hasOwn(WIDGETS, name);
}

/** Options from a page URL; a bad value falls back to the default, as the page's filters do. */
export function widgetOptionsFromUrl<N extends WidgetName>(name: N, get: Get): WidgetOptions<N> {
  const def: Def<WidgetName> = WIDGETS[name];
  const schema = def.options as z.ZodMiniObject;
  const raw = def.fromUrl?.(get) ?? {};
  const parsed = schema.safeParse(raw);
  return (parsed.success ? parsed.data : schema.parse({})) as WidgetOptions<N>;
}

/**
 * The canonical query string of one widget's answer: the filters, then the options that differ
 * from their defaults. The server's cache, the prefetch and the client's react-query key all use it.
 */
export function widgetSearch<N extends WidgetName>(
  name: N,
  filters: DealFilters,
  options: WidgetOptionsInput<N> | WidgetOptions<N> = {} as WidgetOptionsInput<N>,
): string {
  const schema = WIDGETS[name].options as z.ZodMiniObject;
  const chosen = schema.parse(options) as Record<string, unknown>;
  const defaults = schema.parse({}) as Record<string, unknown>;
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(chosen)) {
    if (String(value) !== String(defaults[key])) extra[key] = String(value);
  }
  return filtersQuery(filters, extra);
}

/**
 * The heat map's grid: the sectors and areas with the most deals (at most `size` of each, in that
 * order), and each cell's count (0 where none). The page and the image show the same grid.
 */
export function heatGrid(d: SectorTechnologies, size = 10) {
  const top = <K extends string>(key: (c: SectorTechnologies["items"][number]) => K) => {
    const totals = new Map<K, number>();
    for (const c of d.items) totals.set(key(c), (totals.get(key(c)) ?? 0) + c.deals);
    return [...totals]
      .toSorted(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb))
      .slice(0, size)
      .map(([k]) => k);
  };
  const names = new Map(
    d.items.flatMap((c) => [[`s:${c.sector}`, c.name] as const, [`t:${c.slug}`, c.technology] as const]),
  );
  const cells = new Map(d.items.map((c) => [`${c.sector}|${c.slug}`, c.deals]));
  return {
    sectors: top((c) => c.sector).map((code) => ({ code, name: names.get(`s:${code}`)! })),
    areas: top((c) => c.slug).map((slug) => ({ slug, name: names.get(`t:${slug}`)! })),
    cell: (sector: string, slug: string) => cells.get(`${sector}|${slug}`) ?? 0,
  };
}
