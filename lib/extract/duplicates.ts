import type { DealType } from "@/lib/enums";

export interface ExistingDeal {
  id: number | string;
  title: string;
  announcedOn: string | null;
  types: DealType[] | string[];
  partySlugs: string[];
}
export interface DuplicateCandidate {
  id: number | string;
  title: string;
  announcedOn: string | null;
  score: number;
  reasons: string[];
}
export interface DraftForDuplicates {
  title: string | null;
  announcedOn: string | null;
  types: string[];
  /** Slugs of the parties that resolved to known companies. */
  partySlugs: string[];
}

const STOPWORDS = new Set(
  "a an and the to of on in for with as its their new sign signs inks ink".split(" "),
);
/** The distinct words of a text, lower-cased, without punctuation, `stopwords` or shorter than `min`. */
export const words = (s: string, stopwords = STOPWORDS, min = 1) =>
  new Set(
    s
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^\p{L}\p{N} ]+/gu, " ")
      .split(/\s+/)
      .filter((w) => w.length >= min && !stopwords.has(w)),
  );
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/**
 * Existing deals that are probably the same announcement: the same resolved parties are required;
 * dates within about a month (or undated), title words and types add up the score.
 */
export function findDuplicateDeals(
  draft: DraftForDuplicates,
  existing: ExistingDeal[],
  threshold = 0.6,
): DuplicateCandidate[] {
  const parties = new Set(draft.partySlugs);
  if (parties.size < 2) return [];
  const out: DuplicateCandidate[] = [];
  for (const deal of existing) {
    const shared = deal.partySlugs.filter((s) => parties.has(s));
    if (shared.length < Math.min(2, parties.size)) continue;
    const reasons = [`Same parties (${shared.length} in common)`];
    let score = 0.4;
    if (draft.announcedOn && deal.announcedOn) {
      const days = Math.abs(dayNumber(draft.announcedOn) - dayNumber(deal.announcedOn));
      if (days > 45) continue;
      score += days <= 3 ? 0.3 : 0.3 * (1 - days / 45);
      reasons.push(days === 0 ? "Same date" : `Dates ${Math.round(days)} day${days === 1 ? "" : "s"} apart`);
    } else {
      score += 0.1;
      reasons.push("One of the two is undated");
    }
    if (draft.types[0] && (deal.types as string[]).includes(draft.types[0])) {
      score += 0.15;
      reasons.push("Same deal type");
    } else if (deal.types.some((t) => draft.types.includes(t))) {
      score += 0.05;
      reasons.push("Overlapping deal types");
    }
    if (draft.title) {
      const a = words(draft.title);
      const b = words(deal.title);
      const common = [...a].filter((w) => b.has(w)).length;
      const jaccard = common / Math.max(1, new Set([...a, ...b]).size);
      if (jaccard > 0) {
        score += 0.3 * Math.min(1, jaccard * 2);
        if (jaccard >= 0.2) reasons.push("Similar title");
      }
    }
    score = Math.round(Math.min(1, score) * 100) / 100;
    if (score >= threshold)
      out.push({ id: deal.id, title: deal.title, announcedOn: deal.announcedOn, score, reasons });
  }
  return out.sort((x, y) => y.score - x.score);
}
