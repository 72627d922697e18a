// Text layout with offsets into the original article, so every piece of evidence can be highlighted
// where the analyst reads it. Cleaning never rewrites the text: it only marks blocks as dropped.

export interface Block {
  text: string;
  start: number;
  end: number;
  kind: "body" | "meta" | "dropped";
  /** Written as a list item. */
  bullet?: boolean;
}
export interface Sentence {
  text: string;
  start: number;
  end: number;
  /** Index of the block it belongs to. */
  block: number;
}

/**
 * One block per paragraph. Most pasted and extracted articles keep one paragraph per line; text that
 * is hard-wrapped (e-mail newsletters) has its wrapped lines joined back, newline kept as a space so
 * offsets still point into the original.
 */
export function splitBlocks(text: string): Block[] {
  const lines: Block[] = [];
  const re = /[^\n]+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[0];
    // List bullets are layout, not text.
    const lead = raw.length - raw.replace(/^\s*(?:[•·▪◦*]|-(?=\s)|–(?=\s))?\s*/, "").length;
    const trimmed = raw.slice(lead).trim();
    if (!trimmed) continue;
    const bullet = /^\s*(?:[•·▪◦*]|-(?=\s)|–(?=\s))/.test(raw);
    lines.push({
      text: trimmed,
      start: m.index + lead,
      end: m.index + lead + trimmed.length,
      kind: "body",
      bullet,
    });
  }
  const wraps = (a: Block, b: Block | undefined) =>
    !!b &&
    a.text.length >= 55 &&
    !/[.!?:"”’)]$/.test(a.text) &&
    /^\n$/.test(text.slice(a.end, b.start).replace(/[ \t\r]/g, "")) &&
    !/^(?:[•·▪◦*]|-\s)/.test(text.slice(b.start - 2, b.start).trim());
  const wrapped = lines.filter((l, i) => wraps(l, lines[i + 1])).length >= 4;
  if (!wrapped) return lines;
  const blocks: Block[] = [];
  for (const line of lines) {
    const prev = blocks[blocks.length - 1];
    if (prev && wraps({ ...prev, text: prev.text.split("\n").pop()! }, line)) {
      prev.end = line.end;
      prev.text = text.slice(prev.start, prev.end).replace(/\s/g, " ");
    } else blocks.push({ ...line });
  }
  return blocks;
}

const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?";
const LOOSE_DATE = new RegExp(
  `^(?=.{0,80}$)(?!.*[.!?]$).*\\b(?:${MONTH}\\s+\\d{1,2},?\\s+(?:19|20)\\d{2}|\\d{1,2}\\s+${MONTH}\\s+(?:19|20)\\d{2}|(?:19|20)\\d{2}-\\d{2}-\\d{2})\\b`,
  "i",
);
export const DATE_ONLY = new RegExp(
  // "Published: 9th August 2017", "Filed 21 November 2022": an ordinal day, a wire's "Filed".
  // "Wednesday, 19 February 2014 | 09:12 GMT", "Filed 16.11.2016 18:40 CET": a weekday before it, and
  // the day-first numeric date of European wires (issue 21: first runs found no date at such feet).
  `^(?:(?:Published|Updated|Posted|Filed)(?: on)?:?\\s*)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\\s+)?(?:\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}|\\d{1,2}\\.\\d{1,2}\\.\\d{4})\\b`,
  "i",
);
/** Lines that end the article: everything after them is boilerplate. */
const TRAILER =
  /^(?:about (?:the )?[\p{Lu}\d][^!?]{0,60}$|media (?:contacts?|inquiries|enquiries)\b|press contacts?\b|contacts?:|for more information\b|forward[- ]looking statements?\b|recent (?:news|posts)\b|related (?:articles|stories|news|posts)?:?$|read more\b|more from\b|reporting by\b|(?:additional )?editing by\b|source:|#{3}$|-{3,}$)/iu;
const NOISE =
  /^(?:related:|related\b.{0,3}$|advertisement$|sponsored\b|share (?:on|this)\b|sign up\b|subscribe\b|we use cookies\b|click here\b|follow us\b|image:|photo:|caption:|credit:|press release$|(?:breaking|latest) news$|\(end\)$|in this issue:?$)/i;
const CAPTION =
  /\((?:left|right|center|centre|pictured|from left|l-r|above|below)\)|\((?:photo|image|file photo)[^)]*\)\s*$/i;

function looksLikeBreadcrumb(line: string): boolean {
  if (/^Home(?=\p{Lu}|\s*[>|/»›])/u.test(line)) return true;
  const parts = line.split(/\s+[|>»›/]\s+/);
  return parts.length >= 3 && parts.every((p) => p.split(/\s+/).length <= 4);
}

/** A line holding a glued name and link, as author boxes come out of scrapers: "Ryan Maskellhttps://…". */
function looksLikeAuthorBox(line: string, next: string | undefined): boolean {
  if (/^\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+){1,2}\s*https?:\/\//u.test(line)) return true;
  if (/^(?:by |written by )?\p{Lu}[\p{L}'-]+(?: \p{Lu}[\p{L}'-]+){1,2}$/u.test(line) && next) {
    const name = line.replace(/^(?:by |written by )/i, "");
    return next.startsWith(name) && /https?:\/\/|\bhas\b|\bis an?\b/.test(next);
  }
  return false;
}

/** Marks navigation, bylines, captions, share widgets, author boxes and trailers; meta lines keep dates. */
export function classifyBlocks(blocks: Block[]): Block[] {
  const out = blocks.map((b) => ({ ...b }));
  let ended = false;
  let story = false;
  out.forEach((b, i) => {
    const line = b.text;
    if (ended) return void (b.kind = "dropped");
    // Trailers end an article only once its story has begun ("Source: …" can head a newsletter).
    if (story && (TRAILER.test(line) || looksLikeAuthorBox(line, out[i + 1]?.text))) {
      ended = true;
      b.kind = "dropped";
    } else if (
      // A paragraph that opens with its date ("July 17, 2018 — Walmart Inc. has …") is the lead.
      (DATE_ONLY.test(line) && (line.split(/\s+/).length <= 12 || !/[.!?"”]$/.test(line))) ||
      // A byline: "By Priya Raman, Health Technology Correspondent" (short, not a sentence).
      /^by\s+\p{Lu}/u.test(line) ||
      (/^By\s+\p{Lu}/u.test(line) && line.split(/\s+/).length <= 12 && !/[.!?"”]$/.test(line)) ||
      (LOOSE_DATE.test(line) && line.split(/\s+/).length <= 12)
    )
      b.kind = "meta";
    else if (looksLikeBreadcrumb(line) || NOISE.test(line) || CAPTION.test(line)) b.kind = "dropped";
    // A list of short headlines is a table of contents, not the story.
    else if (b.bullet && !/[.!?"”]$/.test(line) && line.split(/\s+/).length <= 15) b.kind = "meta";
    else if (/^(?:source|url|link|via):\s*https?:\/\/\S+$/i.test(line)) b.kind = "meta";
    if (b.kind === "body" && line.split(/\s+/).length >= 12) story = true;
  });
  return out;
}

const DEAL_WORDS =
  /\b(?:sign|ink|partner|team|deal|agree|acquir|buy|invest|stake|licen[cs]|allian|venture|JV|MoU|MOU|memorandum|tie-up|collaborat|merge|pact|alliance|join)/i;

/** A headline: among the first short blocks without a full stop, the first that talks about a deal. */
export function findHeadline(blocks: Block[]): Block | null {
  const candidates: Block[] = [];
  for (const b of blocks.slice(0, 8)) {
    if (b.kind !== "body") continue;
    const words = b.text.split(/\s+/).length;
    // The headline comes before the story: stop at the first real paragraph.
    if (words > 30 || (words >= 8 && /[.!?"”]$/.test(b.text))) break;
    // A quote with a dash attribution ("“…” — Jane Doe, CEO") is not a headline either.
    if (words >= 4 && !/[.!?"”]$/.test(b.text) && !/["”’]\s*(?:[—–]|--)\s*\p{Lu}/u.test(b.text))
      candidates.push(b);
  }
  const namesSomeone = (t: string) =>
    /\s[\p{Lu}\d]/u.test(t.replace(/^(?:subject|fwd?|re):\s*/i, "").replace(/^\S+/, ""));
  return candidates.find((b) => DEAL_WORDS.test(b.text) && namesSomeone(b.text)) ?? candidates[0] ?? null;
}

// "ST. LOUIS —": a dateline writes its abbreviations in capitals.
const ABBREVIATIONS =
  /\b(?:Mr|Mrs|Ms|Dr|Prof|Inc|Corp|Co|Ltd|Jr|Sr|St|ST|Ft|FT|Mt|MT|vs|No|U\.S|U\.K|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Calif|approx|e\.g|i\.e)\.$/;

/**
 * Sentences within body blocks, with offsets. Hand-written because Intl.Segmenter splits after
 * "Corp." and "Dr.", which company news is full of.
 */
export function splitSentences(text: string, blocks: Block[], kinds: Block["kind"][] = ["body"]): Sentence[] {
  const sentences: Sentence[] = [];
  blocks.forEach((b, index) => {
    if (!kinds.includes(b.kind)) return;
    const s = text.slice(b.start, b.end);
    let from = 0;
    const re = /[.!?]["”’']?(?=\s+["“‘']?[\p{Lu}\d])/gu;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const candidate = s.slice(from, m.index + m[0].length);
      if (ABBREVIATIONS.test(candidate) || /\b\p{Lu}\.$/u.test(candidate)) continue;
      // "Yum! Brands", "Yahoo! Japan": a name's exclamation mark, not a sentence's, when a name goes on.
      if (
        /(?<![.!?]\s*|^)\b\p{Lu}[\p{L}]*!$/u.test(candidate) &&
        /^\s\p{Lu}\p{Ll}+(?!\s+(?:said|says|is|was|will|has|have|had)\b)/u.test(s.slice(m.index + 1)) &&
        !/^\s(?:The|A|An|We|It|This|That|He|She|They|I|In|But|And|Our|Its)\b/.test(s.slice(m.index + 1))
      )
        continue;
      push(from, m.index + m[0].length);
      from = m.index + m[0].length;
    }
    push(from, s.length);
    function push(a: number, z: number) {
      const lead = s.slice(a, z).length - s.slice(a, z).trimStart().length;
      const piece = s.slice(a + lead, z).trimEnd();
      if (piece)
        sentences.push({
          text: piece,
          start: b.start + a + lead,
          end: b.start + a + lead + piece.length,
          block: index,
        });
    }
  });
  return sentences;
}
