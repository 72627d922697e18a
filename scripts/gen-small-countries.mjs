// Writes lib/geo/small-countries.json — a point (longitude, latitude) for each country that the
// 1:110m world-atlas map leaves out (Singapore, Hong Kong, Malta, Bahrain…), taken from the 1:50m
// map's shape centroids, so the map can draw them as dots without shipping the 50m file (750 kB).
// Generated once and committed. Run: node scripts/gen-small-countries.mjs
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { geoCentroid } from "d3-geo";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const countries = require("i18n-iso-countries");
const small = require("world-atlas/countries-110m.json");
const fine = require("world-atlas/countries-50m.json");
const drawn = new Set(small.objects.countries.geometries.map((g) => g.id));
const points = {};
for (const f of feature(fine, fine.objects.countries).features) {
  const code = f.id && countries.numericToAlpha2(f.id);
  if (!code || drawn.has(f.id)) continue;
  points[code] = geoCentroid(f).map((n) => Math.round(n * 100) / 100);
}
const sorted = Object.fromEntries(Object.entries(points).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(new URL("../lib/geo/small-countries.json", import.meta.url), JSON.stringify(sorted) + "\n");
console.log(`${Object.keys(sorted).length} small countries written`);
