import { companyKey, nameWords } from "@/lib/names";
import type { CompanyRef, CompanyResolution, GazetteerCompany } from "./types";

// Resolving is deliberately asymmetric: only spellings that are the same name (identity key, alias,
// compact form, acronym, a generic trailing word) link; anything merely close is a suggestion.

/** Trailing words that describe a business rather than name it: "Toyota Motor" is Toyota. */
const DESCRIPTORS = new Set(["motor", "motors", "technology", "technologies", "platforms", "energy"]);

interface Entry {
  ref: CompanyRef;
  keys: string[];
}
export interface CompanyIndex {
  entries: Entry[];
  byKey: Map<string, CompanyRef>;
  byCompact: Map<string, CompanyRef>;
  /** Names without their generic last words; null where two companies shorten to the same. */
  byShort: Map<string, CompanyRef | null>;
}

const compact = (key: string) => key.replace(/\band\b/g, "").replace(/\s+/g, "");

export function buildCompanyIndex(companies: GazetteerCompany[]): CompanyIndex {
  const byKey = new Map<string, CompanyRef>();
  const byCompact = new Map<string, CompanyRef>();
  const entries = companies.map((c) => {
    const ref = { slug: c.slug, name: c.name };
    const keys = [
      ...new Set([c.name, ...c.aliases, c.slug.replace(/-/g, " ")].map(companyKey).filter(Boolean)),
    ];
    return { ref, keys };
  });
  // Names first, then aliases: an alias never takes over another company's own name.
  for (const pass of [0, 1]) {
    for (const e of entries) {
      for (const [i, k] of e.keys.entries()) {
        if ((i === 0) !== (pass === 0)) continue;
        if (!byKey.has(k)) byKey.set(k, e.ref);
        if (compact(k).length >= 3 && !byCompact.has(compact(k))) byCompact.set(compact(k), e.ref);
      }
    }
  }
  // "AWS" is Amazon Web Services, not Amazon holding it as an alias: a company whose own name the
  // form abbreviates takes it from another of the same first word (its parent).
  for (const e of entries) {
    const words = e.keys[0]?.split(" ") ?? [];
    if (words.length < 2) continue;
    const initials = words.map((w) => w[0]).join("");
    const holder = byKey.get(initials);
    if (
      initials.length >= 3 &&
      holder &&
      holder.slug !== e.ref.slug &&
      companyKey(holder.name).split(" ")[0] === words[0]
    )
      byKey.set(initials, e.ref);
  }
  // "Constellation" for Constellation Energy: a name without its generic last words, when only one
  // company shortens so.
  const byShort = new Map<string, CompanyRef | null>();
  for (const e of entries) {
    const short = withoutDescriptors(e.keys[0] ?? "");
    if (short === e.keys[0] || byKey.has(short)) continue;
    byShort.set(short, byShort.has(short) && byShort.get(short)?.slug !== e.ref.slug ? null : e.ref);
  }
  return { entries, byKey, byCompact, byShort };
}

/** A key without the generic words at its end ("constellation energy" → "constellation"). */
function withoutDescriptors(key: string): string {
  const words = key.split(" ");
  while (words.length > 1 && DESCRIPTORS.has(words[words.length - 1]!)) words.pop();
  return words.join(" ");
}

/** Links only: the same name by identity key, alias, compact form, acronym or a generic last word. */
export function matchCompany(name: string, index: CompanyIndex): CompanyRef | null {
  const key = companyKey(name);
  if (!key) return null;
  const words = key.split(" ");
  // A short form only as written: "Panasonic Holdings" (a legal word dropped) is the parent, not
  // Panasonic Energy.
  const bare = name.trim().split(/\s+/).length === words.length;
  const direct =
    index.byKey.get(key) ?? index.byCompact.get(compact(key)) ?? (bare ? index.byShort.get(key) : null);
  if (direct) return direct;
  // "International Business Machines" is IBM.
  if (words.length >= 3) {
    const acronym = index.byKey.get(words.map((w) => w[0]).join(""));
    if (acronym) return acronym;
  }
  const stripped = [...words];
  while (stripped.length > 1 && DESCRIPTORS.has(stripped[stripped.length - 1]!)) stripped.pop();
  if (stripped.length < words.length) return index.byKey.get(stripped.join(" ")) ?? null;
  return null;
}

/** Initials of a name's words, small joining words left out ("Mitsubishi Heavy Industries" → "mhi"). */
function initials(key: string): string {
  return key
    .split(" ")
    .filter((w) => !/^(?:of|and|de|the|for)$/.test(w))
    .map((w) => w[0])
    .join("");
}

/**
 * Two spellings of one name, whether or not the directory knows it: the same words whatever the case,
 * spacing or hyphens ("airberlin", "Air Berlin PLC"), or a short form made of the other's initials
 * ("MHI" for "Mitsubishi Heavy Industries, Ltd.", "CNPC" for "China National Petroleum Corporation").
 * First runs on unseen articles missed parties only because the article spelt them so (issue 21).
 */
export function sameName(a: string, b: string): boolean {
  const ka = companyKey(a);
  const kb = companyKey(b);
  if (!ka || !kb) return false;
  if (ka === kb || compact(ka).replace(/-/g, "") === compact(kb).replace(/-/g, "")) return true;
  const [short, long] =
    ka.length <= kb.length
      ? [
          [ka, a],
          [kb, b],
        ]
      : [
          [kb, b],
          [ka, a],
        ];
  // An acronym is one word of three letters or more; it may spell the legal word too ("CNPC") or stop
  // before a last word ("CGN" for China General Nuclear Power).
  if (short[0]!.includes(" ") || short[0]!.length < 3 || !long[0]!.includes(" ")) return false;
  return [initials(long[0]!), initials(nameWords(long[1]!).join(" "))].some((i) => i.startsWith(short[0]!));
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function similarity(variant: string, candidate: string): number {
  if (!variant || !candidate) return 0;
  const edit = 1 - editDistance(variant, candidate) / Math.max(variant.length, candidate.length);
  const vw = variant.split(" ");
  const cw = candidate.split(" ");
  // "Samsung Elec." abbreviates "Samsung Electronics" word by word.
  const abbreviates =
    vw.length === cw.length && vw.every((w, i) => cw[i]!.startsWith(w)) && variant.length >= 4 ? 0.85 : 0;
  // "Telefonaktiebolaget L M Ericsson" contains "Ericsson"; never more than a suggestion.
  const contains =
    cw.length < vw.length && cw.every((w) => vw.includes(w)) && candidate.length >= 3 ? 0.6 : 0;
  return Math.max(edit, abbreviates, contains);
}

export function resolveCompany(name: string, index: CompanyIndex): CompanyResolution {
  const main = name.replace(/\s*\([^)]*\)\s*/g, " ").trim() || name;
  const match = matchCompany(main, index);
  if (match) return { name, match, suggestions: [] };
  const key = companyKey(main);
  const scored = new Map<string, CompanyRef & { score: number }>();
  for (const e of index.entries) {
    const score = Math.max(...e.keys.map((k) => similarity(key, k)));
    if (score >= 0.6) scored.set(e.ref.slug, { ...e.ref, score: Math.round(score * 100) / 100 });
  }
  const suggestions = [...scored.values()].sort((a, b) => b.score - a.score).slice(0, 3);
  return { name, match: null, suggestions };
}

/** Resolves each distinct name once, in order. */
export function resolveCompanies(
  names: string[],
  companies: GazetteerCompany[] | CompanyIndex,
): CompanyResolution[] {
  const index = Array.isArray(companies) ? buildCompanyIndex(companies) : companies;
  const seen = new Set<string>();
  return names.flatMap((n) => {
    const k = companyKey(n);
    if (seen.has(k)) return [];
    seen.add(k);
    return [resolveCompany(n, index)];
  });
}
