// Free text to reference codes, for the one-off migration of companies' old free-text country and
// sector (db/directory/reference-data.ts) and for the reference import's CSV: codes pass through,
// names and common aliases map where there is one answer, anything else gives undefined.
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";
import { isCountryCode } from "./countries";
import { isSectorCode, SECTORS } from "./sectors";

// Server-side only (the import and the migration): the package's names and aliases in English.
countries.registerLocale(en);

/** An ISO alpha-2 or alpha-3 code, or a name i18n-iso-countries knows ("South Korea", "USA", "UK"). */
export function countryCodeOf(text: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (isCountryCode(value)) return value.toUpperCase();
  if (/^[A-Za-z]{3}$/.test(value)) {
    const fromAlpha3 = countries.alpha3ToAlpha2(value.toUpperCase());
    if (fromAlpha3) return fromAlpha3;
  }
  const byName = countries.getAlpha2Code(value, "en");
  return byName && isCountryCode(byName) ? byName : undefined;
}

/**
 * Words the old free-text sector column held, mapped to the NAICS 2017 code that covers them.
 * Kept short on purpose: a word that could mean two sectors ("technology", "media") is not here,
 * so it stays unmatched for a person to decide. docs/reference-data.md lists the map.
 */
export const SECTOR_WORDS: Readonly<Record<string, string>> = {
  telecom: "517",
  telecoms: "517",
  telecommunications: "517",
  telco: "517",
  "mobile operator": "517",
  semiconductors: "334",
  semiconductor: "334",
  chips: "334",
  electronics: "334",
  "consumer electronics": "334",
  hardware: "334",
  "network equipment": "334",
  "telecom equipment": "334",
  software: "511",
  "enterprise software": "511",
  cloud: "518",
  "cloud computing": "518",
  "data centers": "518",
  internet: "519",
  "search engine": "519",
  "social media": "519",
  "ai research": "541",
  "it services": "541",
  consulting: "541",
  "e-commerce": "454",
  ecommerce: "454",
  retail: "44-45",
  automotive: "336",
  aerospace: "336",
  banking: "522",
  bank: "522",
  insurance: "524",
  "venture capital": "523",
  investment: "523",
  pharmaceuticals: "325",
  pharma: "325",
  utilities: "22",
  energy: "22",
  "oil and gas": "211",
  broadcasting: "515",
  conglomerate: "551",
};

// "Utilities" names both sector 22 and subsector 221: the first (the sector) wins.
const sectorByName = new Map<string, string>();
for (const sector of SECTORS)
  if (!sectorByName.has(sector.name.toLowerCase())) sectorByName.set(sector.name.toLowerCase(), sector.code);

/** A NAICS 2017 code, a sector's exact name in any case, or a word of SECTOR_WORDS. */
export function sectorCodeOf(text: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (isSectorCode(value)) return value;
  const key = value.toLowerCase().replace(/\s+/g, " ");
  return sectorByName.get(key) ?? SECTOR_WORDS[key];
}
