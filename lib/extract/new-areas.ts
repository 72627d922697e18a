import { labelKey } from "@/lib/names";
import type { GazetteerTechnology } from "./types";

/**
 * Technology areas Atlas does not have yet but that partnership news often turns on, with the words
 * that name them. When an article names one of these and the directory has no such area, the draft
 * proposes it as a NEW area with its passage, for the editor to accept or drop (issue 21). A written
 * list rather than an NLP model: proposals must be predictable and each must point at its words.
 * Case-sensitive entries are acronyms (as in DEFAULT_SYNONYMS).
 */
export const AREA_CATALOG: Record<string, string[]> = {
  "EV batteries": [
    "electric vehicle batteries",
    "electric vehicle battery",
    "EV batteries",
    "EV battery",
    "battery cells",
    "battery cell",
    "anode material",
    "anode materials",
    "cathode material",
    "cathode materials",
    "lithium-ion batteries",
    "solid-state batteries",
    "battery materials",
  ],
  "Electric vehicles": ["electric vehicles", "electric vehicle", "EVs", "EV charging", "charging stations"],
  "Autonomous driving": [
    "autonomous driving",
    "self-driving",
    "autonomous vehicles",
    "autonomous vehicle",
    "driverless",
    "robotaxi",
    "robotaxis",
    "ADAS",
  ],
  Hydrogen: ["hydrogen", "fuel cells", "fuel cell", "electrolyzers", "electrolysers", "electrolyzer"],
  Robotics: ["robotics", "robots", "humanoid robot", "humanoid robots"],
  "Satellite communications": [
    "satellite connectivity",
    "satellite broadband",
    "satellite communications",
    "low Earth orbit",
    "direct-to-device",
    "LEO satellites",
  ],
  "Renewable energy": [
    "renewable energy",
    "renewable power",
    "solar power",
    "solar energy",
    "offshore wind",
    "wind power",
    "power purchase agreement",
  ],
  "Drug discovery": ["drug discovery", "drug candidates", "clinical trials", "clinical trial"],
  Vaccines: ["vaccine", "vaccines", "mRNA"],
  "Gene therapy": ["gene therapy", "gene therapies", "gene editing", "CRISPR"],
  Blockchain: ["blockchain", "distributed ledger", "crypto assets", "stablecoin"],
  Biometrics: ["biometrics", "biometric", "facial recognition", "fingerprint sensors"],
};

export interface AreaProposal {
  name: string;
  start: number;
  end: number;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isAcronymish = (term: string) => /[A-Z].*[A-Z]|^[A-Z]{2,}/.test(term);

// One alternation over every term, longest first, so "electric vehicle batteries" is read as EV
// batteries and not also as "electric vehicle"; acronyms match in their case only.
const termArea = new Map<string, string>();
for (const [name, terms] of Object.entries(AREA_CATALOG))
  for (const term of terms) termArea.set(isAcronymish(term) ? term : term.toLowerCase(), name);
const alternation = (terms: string[]) =>
  `(?<![\\p{L}\\p{N}])(?:${terms
    .sort((a, b) => b.length - a.length)
    .map(esc)
    .join("|")})(?![\\p{L}\\p{N}])`;
const ALL_TERMS = Object.values(AREA_CATALOG).flat();
const EXACT = new RegExp(alternation(ALL_TERMS.filter(isAcronymish)), "gu");
const CASELESS = new RegExp(alternation(ALL_TERMS.filter((t) => !isAcronymish(t))), "giu");

/**
 * The catalog areas the article names (in `zones`, before `cutoff` or named twice) that no existing
 * area covers (by its name or a synonym). At most two, in order of first mention.
 */
export function proposeNewAreas(
  zones: { start: number; text: string }[],
  technologies: GazetteerTechnology[],
  cutoff: number,
): AreaProposal[] {
  const existing = new Set(technologies.flatMap((t) => [t.name, ...(t.synonyms ?? [])].map(labelKey)));
  const found = new Map<string, AreaProposal & { count: number }>();
  for (const zone of zones)
    for (const [re, fold] of [
      [EXACT, false],
      [CASELESS, true],
    ] as const)
      for (const m of zone.text.matchAll(re)) {
        const name = termArea.get(fold ? m[0].toLowerCase() : m[0]);
        if (!name || existing.has(labelKey(name))) continue;
        const start = zone.start + m.index;
        const seen = found.get(name);
        if (!seen) found.set(name, { name, start, end: start + m[0].length, count: 1 });
        else {
          seen.count++;
          if (start < seen.start) Object.assign(seen, { start, end: start + m[0].length });
        }
      }
  return [...found.values()]
    .filter((area) => area.count >= 2 || area.start <= cutoff)
    .sort((a, b) => a.start - b.start)
    .slice(0, 2)
    .map(({ name, start, end }) => ({ name, start, end }));
}
