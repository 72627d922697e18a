// The world map behind the "deals by country" choropleth, shared by the page (components/charts) and
// the chart image (server/chart-image.ts) so both draw the same shapes and colours. Shapes from
// world-atlas (Natural Earth 1:110m, keyed by ISO numeric code), projected with d3-geo; the
// countries too small for that scale are dots at their 1:50m centroid (./small-countries.json).
// Plain data and pure functions, safe on the client and the server.
import { geoEqualEarth, geoPath, type GeoProjection } from "d3-geo";
import { feature } from "topojson-client";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import type { GeometryCollection, Topology } from "topojson-specification";
import atlas from "world-atlas/countries-110m.json";
import small from "./small-countries.json";
import { COUNTRIES } from "./countries";

export type CountryShape = { code: string; feature: Feature<Geometry> };

const topology = atlas as unknown as Topology<{ countries: GeometryCollection }>;
const all = feature(topology, topology.objects.countries) as FeatureCollection<Geometry>;

const alpha2ByNumeric = new Map(COUNTRIES.flatMap((c) => (c.numeric ? [[c.numeric, c.code] as const] : [])));

/** Antarctica takes a fifth of the map and has no companies. */
const ANTARCTICA = "010";

/** Every country drawn as a shape, by ISO alpha-2 code (the few without a code are drawn grey). */
export const WORLD_SHAPES: readonly CountryShape[] = all.features
  .filter((f) => f.id !== ANTARCTICA)
  .map((f) => ({ code: (f.id && alpha2ByNumeric.get(String(f.id))) || "", feature: f }));

/** Countries too small for the shapes, drawn as dots: [longitude, latitude]. */
export const WORLD_DOTS: Readonly<Record<string, [number, number]>> = small as unknown as Record<
  string,
  [number, number]
>;

/** The map's outline as one collection, to fit a projection to a box. */
const outline: FeatureCollection<Geometry> = {
  type: "FeatureCollection",
  features: WORLD_SHAPES.map((s) => s.feature),
};

/** An Equal Earth projection (areas true to size) fitted to a width × height box at (x, y). */
export function worldProjection(x: number, y: number, width: number, height: number): GeoProjection {
  return geoEqualEarth().fitExtent(
    [
      [x, y],
      [x + width, y + height],
    ],
    outline,
  );
}

/** The SVG path of each shape, and the point of each dot, under a projection. */
export function projectWorld(projection: GeoProjection) {
  const path = geoPath(projection);
  return {
    shapes: WORLD_SHAPES.map((s) => ({ code: s.code, d: path(s.feature) ?? "" })),
    dots: Object.entries(WORLD_DOTS).map(([code, lonLat]) => {
      const [px, py] = projection(lonLat) ?? [0, 0];
      return { code, x: px, y: py };
    }),
  };
}

/**
 * The choropleth's five shades, light to dark (blue, readable with common colour-vision deficiencies);
 * the lightest stays visibly apart from the empty grey, so a country with one deal shows.
 */
export const MAP_SHADES = ["#C3D3F4", "#A9C0EE", "#6F92DC", "#3A5FC4", "#1E3A8A"] as const;
export const MAP_EMPTY = "#EEF0F3";

/**
 * The shade of a count on a map whose largest count is `max`: five equal steps up to `max` (a count
 * in (i·max/5, (i+1)·max/5] takes shade i), so the legend can say each step's range in whole deals.
 */
export function mapShade(value: number, max: number): string {
  if (value <= 0) return MAP_EMPTY;
  const step = Math.max(1, max) / MAP_SHADES.length;
  return MAP_SHADES[Math.min(MAP_SHADES.length - 1, Math.max(0, Math.ceil(value / step) - 1))]!;
}

/** The legend's steps: each shade with the counts it stands for ("1–4"). */
export function mapLegend(max: number): { color: string; label: string }[] {
  const step = Math.max(1, max) / MAP_SHADES.length;
  const steps = MAP_SHADES.map((color, i) => {
    const from = Math.floor(i * step) + 1;
    const to = Math.floor((i + 1) * step);
    return { color, from, to };
  }).filter((s) => s.to >= s.from);
  return steps.map((s) => ({ color: s.color, label: s.from === s.to ? `${s.from}` : `${s.from}–${s.to}` }));
}

/** Whether text on a shade must be white to stay readable (4.5:1): on the two darkest. */
export const shadeIsDark = (color: string) => MAP_SHADES.indexOf(color as (typeof MAP_SHADES)[number]) >= 3;
