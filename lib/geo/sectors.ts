// Sectors: the NAICS 2017 classification's 20 sectors (two digits; 31-33, 44-45 and 48-49 are
// ranges) and their 99 three-digit subsectors, each subsector with its sector as parent
// (./naics-2017.json, written by scripts/gen-sectors.mjs from the `naics` package's data).
// A filter on a sector includes its subsectors. Plain data, safe on the client and the server.
import data from "./naics-2017.json";

export type Sector = { code: string; name: string; parent?: string };

export const SECTORS: readonly Sector[] = data as Sector[];

const byCode = new Map(SECTORS.map((sector) => [sector.code, sector]));

export function sectorByCode(code: string | null | undefined): Sector | undefined {
  return code ? byCode.get(code.trim()) : undefined;
}

export function isSectorCode(code: string): boolean {
  return byCode.has(code.trim());
}

/** A sector's code with those of its subsectors: what a filter on it matches. */
export function sectorWithChildren(code: string): string[] {
  return [code, ...SECTORS.filter((sector) => sector.parent === code).map((sector) => sector.code)];
}

/** The two-digit sector a code belongs to (itself for a sector). */
export function topSector(code: string): Sector | undefined {
  const sector = byCode.get(code);
  return sector?.parent ? byCode.get(sector.parent) : sector;
}
