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

/** A party named in the text: the distinctive first word of its key ("daiichi", "constellation"). */
function mentions(text: string, party: string): boolean {
  const first = companyKey(party).split(" ")[0] ?? "";
  return first.length >= 2 && words(text).has(first);
}

const MS_PER_DAY = 86_400_000;

export function sameAnnouncement(a: GroupProbe, b: GroupProbe): boolean {
  if (a.kind !== b.kind) return false;
  if (a.publishedAt && b.publishedAt) {
    const days = Math.abs(a.publishedAt.getTime() - b.publishedAt.getTime()) / MS_PER_DAY;
    if (days > GROUP_WINDOW_DAYS) return false;
  }
  const similarity = textSimilarity(`${a.title} ${a.text}`, `${b.title} ${b.text}`);
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
