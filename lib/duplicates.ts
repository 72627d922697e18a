import { companyKey, isLegalSuffix, nameWords } from "./names";

// Scores how likely two company records are one company. Pure, so the duplicates page, creation
// warnings and the tests share it. Close spelling only ever suggests; it never merges by itself.

export type DuplicateCandidate = { name: string; website?: string | null; key?: string };
export type DuplicateReason = "same-key" | "same-domain" | "legal-suffix" | "close-spelling";
export type DuplicateScore = { score: number; reasons: DuplicateReason[] };

export const REASON_LABELS: Record<DuplicateReason, string> = {
  "same-key": "Same name after normalisation",
  "same-domain": "Same website domain",
  "legal-suffix": "One name is the other with a legal suffix",
  "close-spelling": "Close spelling",
};

const WEIGHTS: Record<DuplicateReason, number> = {
  "same-key": 1,
  "same-domain": 0.9,
  "legal-suffix": 0.8,
  "close-spelling": 0.6,
};

// Words that, added to a name, still name the same company ("Samsung Group" is Samsung).
const GROUP_WORDS = new Set(["group", "holding", "holdings", "international", "global", "worldwide", "the"]);

/** A website's registrable-looking host, without "www."; null when there is none. */
export function websiteDomain(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\d?\./, "") || null;
  } catch {
    return null;
  }
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
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

/** One name's words are the other's plus only legal suffixes or group words. */
function differsBySuffix(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === long.length || short.length === 0) return false;
  const extra = (words: string[]) => words.every((w) => isLegalSuffix(w) || GROUP_WORDS.has(w));
  for (let start = 0; start + short.length <= long.length; start++) {
    if (short.every((w, i) => long[start + i] === w)) {
      if (extra(long.slice(0, start)) && extra(long.slice(start + short.length))) return true;
    }
  }
  return false;
}

/**
 * Typing slips, not different names: the same words but one, and that one at least four letters,
 * starting with the same letter and at most one edit away (two for long words). Short tokens are
 * often codes ("SDS" / "SDI") and a different word is a different company ("SK Hynix" / "SK Telecom").
 */
function closeSpelling(keyA: string, keyB: string): boolean {
  if (keyA.replace(/ /g, "") === keyB.replace(/ /g, "")) return true;
  const a = keyA.split(" ");
  const b = keyB.split(" ");
  if (a.length !== b.length) return false;
  const differing = a.flatMap((word, i) => (word === b[i] ? [] : [[word, b[i]!] as const]));
  if (differing.length !== 1) return false;
  const [x, y] = differing[0]!;
  if (Math.min(x.length, y.length) < 4 || x[0] !== y[0]) return false;
  return editDistance(x, y) <= (Math.min(x.length, y.length) >= 8 ? 2 : 1);
}

/** Why two companies look like one, and how strongly (0–1); null when nothing suggests it. */
export function scoreDuplicate(a: DuplicateCandidate, b: DuplicateCandidate): DuplicateScore | null {
  const keyA = companyKey(a.name);
  const keyB = companyKey(b.name);
  if (!keyA || !keyB) return null;
  const reasons: DuplicateReason[] = [];
  if (keyA === keyB || (a.key && b.key && a.key === b.key)) reasons.push("same-key");
  const domainA = websiteDomain(a.website);
  if (domainA && domainA === websiteDomain(b.website)) reasons.push("same-domain");
  if (!reasons.includes("same-key")) {
    if (differsBySuffix(nameWords(a.name), nameWords(b.name))) reasons.push("legal-suffix");
    else if (closeSpelling(keyA, keyB)) reasons.push("close-spelling");
  }
  if (!reasons.length) return null;
  const score = 1 - reasons.reduce((rest, r) => rest * (1 - WEIGHTS[r]), 1);
  return { score: Math.round(score * 100) / 100, reasons };
}

/** The words a candidate is filed under so only plausible pairs are compared (not n²). */
export function blockingKeys(candidate: DuplicateCandidate): string[] {
  const key = companyKey(candidate.name);
  const words = key.split(" ").filter(Boolean);
  const keys = new Set<string>();
  if (words[0]) keys.add(`w:${words[0].slice(0, 3)}`);
  if (key) keys.add(`c:${key.replace(/ /g, "").slice(0, 3)}`);
  const domain = websiteDomain(candidate.website);
  if (domain) keys.add(`d:${domain}`);
  return [...keys];
}
