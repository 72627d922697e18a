import type { CandidateKind } from "@/lib/enums";
import { words as wordsOf } from "@/lib/extract/duplicates";
import { companyKey } from "@/lib/names";

// Whether two feed items report the same announcement: a newsroom release and two trade write-ups
// name the same companies within a few days, or say nearly the same thing. Pure, unit-tested.

export interface GroupProbe {
  kind: CandidateKind;
  /** The drafted parties' names. */
  parties: string[];
  title: string;
  text: string;
  publishedAt: Date | null;
}

/** Items of one announcement are published within this many days of each other. */
export const GROUP_WINDOW_DAYS = 4;

const STOP = new Set(
  "a an and the to of on in for with as at by from its their is are was were be will has have had that this it said says".split(
    " ",
  ),
);
const words = (s: string) => wordsOf(s, STOP, 3);

export function textSimilarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  const common = [...x].filter((w) => y.has(w)).length;
  return common / Math.max(1, new Set([...x, ...y]).size);
}

/** The parties as a stable key: what items of one announcement share. */
export function partyKeyOf(parties: string[]): string {
  return [...new Set(parties.map(companyKey).filter(Boolean))].sort().join("|");
}

/**
 * A party named in the text: the distinctive first word of its key ("daiichi", "constellation").
 * Two-letter names count ("LG Chem", "BP"), so the text's words are taken from two letters on.
 */
function mentions(text: string, party: string): boolean {
  const first = companyKey(party).split(" ")[0] ?? "";
  return first.length >= 2 && wordsOf(text, STOP, 2).has(first);
}

const MS_PER_DAY = 86_400_000;

/**
 * Shared words past which a write-up read as not a deal (an analysis piece, a market report) is one
 * more report of a deal it names: the items of one story share 0.15–0.28 of their words, items of
 * different stories at most 0.14 in the development sets.
 */
export const WRITE_UP_SIMILARITY = 0.15;

/** The kind a candidate of both takes: a deal outranks a write-up of it that was read as something else. */
export const groupKind = (a: CandidateKind, b: CandidateKind): CandidateKind =>
  a === "deal" || b === "deal" ? "deal" : a;

export function sameAnnouncement(a: GroupProbe, b: GroupProbe): boolean {
  if (a.publishedAt && b.publishedAt) {
    const days = Math.abs(a.publishedAt.getTime() - b.publishedAt.getTime()) / MS_PER_DAY;
    if (days > GROUP_WINDOW_DAYS) return false;
  }
  const similarity = textSimilarity(`${a.title} ${a.text}`, `${b.title} ${b.text}`);
  if (a.kind !== b.kind) return writeUpOfDeal(a, b, similarity) || writeUpOfDeal(b, a, similarity);
  // What is not a deal is only folded when it is the same text (a syndicated copy).
  if (a.kind === "not_deal") return similarity >= 0.6;
  if (similarity >= 0.5) return true;
  const keyA = partyKeyOf(a.parties);
  if (a.parties.length >= 2 && keyA === partyKeyOf(b.parties)) return true;
  // One outlet's extraction may miss a party the other found: each names the other's parties.
  if (!a.parties.length || !b.parties.length) return false;
  const aText = `${a.title} ${a.text}`;
  const bText = `${b.title} ${b.text}`;
  const parties = new Set([...a.parties, ...b.parties].map((p) => companyKey(p)));
  return (
    parties.size >= 2 &&
    a.parties.every((p) => mentions(bText, p)) &&
    b.parties.every((p) => mentions(aText, p)) &&
    [...parties].every((p) => mentions(aText, p) && mentions(bText, p))
  );
}

/**
 * One outlet's write-up of a deal may read as not a deal (its headline is the price or the analysts'
 * view): it is the same announcement when it names every party of the deal and says much the same.
 * A rumour or a status change is other news about those parties, never folded into a deal.
 */
function writeUpOfDeal(deal: GroupProbe, other: GroupProbe, similarity: number): boolean {
  if (deal.kind !== "deal" || other.kind !== "not_deal") return false;
  const parties = new Set(deal.parties.map(companyKey).filter(Boolean));
  const text = `${other.title} ${other.text}`;
  return (
    parties.size >= 2 && similarity >= WRITE_UP_SIMILARITY && deal.parties.every((p) => mentions(text, p))
  );
}
