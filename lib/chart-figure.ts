import type { DealFilters } from "./filters";
import { BINDING_LABELS, STATUS_LABELS, TYPE_SHORT } from "./enums";
import { countryByCode } from "./geo/countries";
import { sectorByCode } from "./geo/sectors";

// What a widget's image shows, as data: the registry (lib/widgets.ts) turns each widget's answer into
// one of these, and server/chart-image.ts draws it. Kept pure so the registry stays browser-safe.

export type FigureSeries = { key: string; label: string; color: string };

/** One category (a bar, a column, a point on each line); `values` line up with `series`. */
export type FigureRow = { label: string; values: number[]; color?: string };

export type ChartFigure = { title: string } & (
  | { kind: "figures"; items: { label: string; value: number; text: string }[] }
  | {
      /** bars: horizontal ranking; stacked-columns: periods with series stacked; lines: one per series. */
      kind: "bars" | "stacked-columns" | "lines";
      /** What the value axis counts ("Deals"). */
      axis: string;
      series: FigureSeries[];
      rows: FigureRow[];
    }
  | {
      /** A world choropleth: one shade per country by `value` (lib/geo/world.ts), `note` under it. */
      kind: "map";
      axis: string;
      items: { code: string; label: string; value: number }[];
      note?: string;
    }
  | {
      /** A heat map: rows down, `columns` along, each row's `values` lining up with the columns. */
      kind: "heatmap";
      axis: string;
      columns: string[];
      rows: FigureRow[];
    }
);

/** The filters as a reader says them, for an image's subtitle: "Company: SKT · From 2024-01-01". */
export function filtersInWords(f: DealFilters): string {
  const parts: string[] = [];
  const list = (label: string, values: readonly string[]) => {
    if (values.length) parts.push(`${label}: ${values.join(", ")}`);
  };
  if (f.q) parts.push(`Search: “${f.q}”`);
  list(f.company.length > 1 ? "Companies" : "Company", f.company);
  list(f.partner.length > 1 ? "With partners" : "With partner", f.partner);
  list(f.technology.length > 1 ? "Technology areas" : "Technology area", f.technology);
  list(
    "Type",
    f.type.map((t) => TYPE_SHORT[t]),
  );
  list(
    "Binding",
    f.binding.map((b) => BINDING_LABELS[b]),
  );
  list(
    "Status",
    f.status.map((s) => STATUS_LABELS[s]),
  );
  list(
    f.country.length > 1 ? "Countries" : "Country",
    f.country.map((c) => countryByCode(c)?.name ?? c),
  );
  if (f.region) parts.push(`Region: ${f.region}`);
  list(
    f.sector.length > 1 ? "Sectors" : "Sector",
    f.sector.map((s) => sectorByCode(s)?.name ?? s),
  );
  if (f.crossBorder !== undefined) parts.push(f.crossBorder ? "Cross-border" : "Domestic");
  if (f.from && f.to) parts.push(`From ${f.from} to ${f.to}`);
  else if (f.from) parts.push(`From ${f.from}`);
  else if (f.to) parts.push(`Up to ${f.to}`);
  if (f.rollup) parts.push("Subsidiaries counted under their group");
  return parts.length ? parts.join(" · ") : "All deals";
}
