import { companyKey } from "@/lib/names";
import type { Block } from "./text";

/** Names an organisation in the article or gazetteer (its canonical name), or null; knows the parties. */
export type OrgLookup = ((s: string) => string | null) & { parties?: Set<string> };

export interface Person {
  name: string;
  title: string | null;
  company: string | null;
}
export interface QuoteFound {
  text: string;
  start: number;
  end: number;
  speaker: Person | null;
  /** Where the speaker was named. */
  attribution: { start: number; end: number } | null;
  confidence: number;
}

const ROLE =
  /\b(?:chief [a-z]+ officer|chief executive|chief|board member|member of the board|CEO|SVP|EVP|VP|GM|MD|CFO|CTO|COO|CIO|CMO|president|vice president|chairman|chairwoman|chair|co-founder|founder|head|director|general manager|manager|officer|executive|spokesperson|spokesman|spokeswoman|analyst|counsel|leader|lead|minister|secretary|principal|partner at|economist|professor|commissioner)\b/i;
// "JoeBen", "McMillon" and hyphenated given names are one token; "RJ" or "J.P." may open a name and
// a middle initial ("Dean Y. Li") may sit inside one.
// Words of a title ("Chief Technology Officer") are never a name's tokens.
const NAME_TOKEN = String.raw`(?!(?:President|Chairman|Chairwoman|Chief|Executive|Vice|Senior|Head|Director|Founder|Managing|General|Deputy|Analyst|Professor|Officer|Manager|Technology|Operating|Financial|Commercial|Technical|Marketing|Information|Strategy|Product|Business|Board|Sales|Member|Commissioner|Secretary|Minister|Governor|Mayor|Chancellor)\b)\p{Lu}[\p{Ll}'’]+(?:\p{Lu}[\p{Ll}]+)?(?:-\p{L}[\p{Ll}]+)?`;
const FIRST_TOKEN = String.raw`(?:${NAME_TOKEN}|(?<![\p{L}.])(?!(?:GM|VP|MD|EU|US|UK|AI|SK|KT|LG|HP|GE|BP|IT)\b)\p{Lu}{2}(?=\s\p{Lu}\p{Ll})|(?<![\p{L}.])(?:\p{Lu}\.){1,2}(?=\s)|(?<![\p{L}\p{N}.&'’-])(?![AI]\s)\p{Lu}(?=\s\p{Lu}\p{Ll}+(?:[,.]|\s+said)))`;
const NAME = new RegExp(
  String.raw`(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+)?(${FIRST_TOKEN}(?:\s+\p{Lu}\.)?(?:\s+(?:(?:van|de|von|der|den|da|du)\s){0,2}${NAME_TOKEN}){1,2})`,
  "gu",
);
const HONORIFIC = /^(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+/;
const SPEECH = String.raw`(?:said|says|explained|explains|added|adds|noted|notes|continued|commented|stated|wrote|told\s+[\w ]{2,20}?|remarked|declared)`;
const PRONOUN = /^(?:he|she|they)$/i;

export interface PersonIndex {
  people: (Person & { start: number })[];
  mentions: { at: number; person: Person }[];
}

function cleanTitle(t: string): string {
  return (
    t
      // '"…," added President and CEO X': the verb of speech is not part of the title.
      .replace(new RegExp(`^${SPEECH}\\s+`), "")
      .replace(/^(?:the|an?)\s+/i, "")
      .replace(/\s+(?:of|at|for)\s*\.?$/i, "")
      .replace(/[,.\s]+$/, "")
      .trim()
  );
}

/** Splits "senior vice president of Cloud at IBM" into title and company; the company is a proper name. */
export function splitTitle(
  phrase: string,
  isOrg: OrgLookup,
): { title: string | null; company: string | null } {
  let p = phrase
    .replace(
      /,?\s+(?:in|on|during|at) (?:a|an|the) (?:statement|call|briefing|interview|conference|news conference|event)\b.*$/i,
      "",
    )
    .trim();
  p = p.replace(/^(?:the|an?)\s+/i, "");
  // "M.D., Ph.D., president of Regeneron": degrees after a name are not part of the title.
  p = p.replace(/^(?:(?:M\.D|Ph\.D|MD|PhD|MBA|M\.B\.A)\.?,?\s+)+/, "");
  // "Vice Chairman and President, AbbVie": a known company after the title's last comma.
  const trailing = /^(.*\S),\s+([^,]{2,60})$/.exec(p);
  if (trailing && ROLE.test(trailing[1]!) && isOrg(trailing[2]!))
    return { title: cleanTitle(trailing[1]!), company: isOrg(trailing[2]!) };
  // "chief executive of thyssenkrupp", "CEO of bp": a company that writes its name in lower case.
  const lower = /^(.*\S)\s+(?:of|at)\s+(\p{Ll}[\p{L}\d&.\- ]{1,40})$/u.exec(p);
  if (lower && ROLE.test(lower[1]!) && isOrg(lower[2]!))
    return { title: cleanTitle(lower[1]!), company: isOrg(lower[2]!) };
  // "…of Boeing NeXt, the company's urban mobility unit": what the unit is, not more of the title.
  p = p.replace(/,\s+(?:the (?:company|group)['’]s|its|their)\s.*$/i, "");
  // "Airbus' chief commercial officer": a name ending in s takes the apostrophe alone.
  const poss = /^(\p{Lu}[\p{L}&.\- ]*?)(?:['’]s|(?<=s)['’])\s+(.+)$/u.exec(p);
  if (poss && ROLE.test(poss[2]!)) {
    const named = poss[1]!.trim();
    return { title: cleanTitle(poss[2]!), company: isOrg(`${named}'s`) ?? named };
  }
  // "Ford president and CEO", "Amazon CEO": the company stands in front of the role.
  const front =
    /^((?:(?!(?:President|Chairman|Chief|Executive|Vice|Senior|Head|Director|Founder|Managing|General|Deputy)\b)[\p{Lu}\d][\p{L}\d&.\-]*\s){1,3})((?:[a-z-]+\s|and\s)*(?:CEO|CFO|CTO|COO|[Cc]hief|[Pp]resident|[Cc]hairman|[Cc]hair|[Cc]o-founder|[Ff]ounder|[Hh]ead|[Dd]irector|[Ee]xecutive|[Vv]ice|[Ss]enior|[Gg]eneral|[Bb]oard|[Cc]ommissioner)\b.*)$/u.exec(
      p,
    );
  if (
    front &&
    !/\b(?:President|Chairman|Chief|Executive|Vice|Senior|Head|Director|Founder|Managing|General|Deputy|Group|Global|Former)\b/.test(
      front[1]!,
    )
  ) {
    const run = front[1]!.trim();
    const company = isOrg(run) ?? (/^[\p{Lu}\d&-]{2,6}$/u.test(run) ? run : null);
    if (company) return { title: cleanTitle(front[2]!), company };
  }
  // A unit of the company ("President of Nokia Technologies") stays in the title.
  const unit = (title: string, raw: string, preposition: string) => {
    const bare = raw.replace(/[.,]+$/, "").trim();
    // "President of GSK Vaccines": a unit named after its company (the company is the first word).
    const head = bare.split(/\s+/)[0]!;
    const picked = pickCompany(raw, isOrg);
    const owner = isOrg(head);
    // "Geely Holding" of Zhejiang Geely Holding Group is the company's own name, not a unit of it.
    const ownName = !!owner && companyKey(owner).split(" ").slice(1).includes(companyKey(head));
    const company =
      picked && !isOrg(picked) && !/\sand\s/.test(bare) && !ownName ? (owner ?? picked) : picked;
    // "Nokia Technologies" of Nokia, "Uber ATG" of Uber: same first word, more than the company's name.
    const [k, c] = [companyKey(bare), company ? companyKey(company) : ""];
    // "Cambridge Quantum" of Cambridge Quantum Computing is a short form of its name, not a unit.
    const isUnit =
      company &&
      !/\sand\s/.test(bare) &&
      k !== c &&
      k.split(" ")[0] === c.split(" ")[0] &&
      k.includes(" ") &&
      !c.startsWith(`${k} `);
    return { title: isUnit ? `${cleanTitle(title)} ${preposition} ${bare}` : cleanTitle(title), company };
  };
  const at = /^(.*\S)\s+at\s+(\p{Lu}.*)$/u.exec(p);
  if (at) return unit(at[1]!, at[2]!, "at");
  const of = /^(.*\S)\s+of\s+((?:the\s+)?\p{Lu}[^]*)$/u.exec(p);
  const possInside = /^(\p{Lu}[\p{L}&.\- ]*?)['’]s\s/u.exec(of?.[2] ?? "");
  if (possInside) return { title: cleanTitle(p), company: possInside[1]!.trim() };
  if (of && !/^the\s/i.test(of[2]!)) return unit(of[1]!, of[2]!, "of");
  // "President and CEO of the Volvo Group": "the" before a company's name, not "of the board".
  if (of && isOrg(of[2]!.replace(/^the\s+/i, ""))) return unit(of[1]!, of[2]!.replace(/^the\s+/i, ""), "of");
  const inner = /(\p{Lu}[\p{L}&.\-]*(?:\s\p{Lu}[\p{L}&.\-]*)*)['’]s\s/u.exec(p);
  const title = cleanTitle(p);
  return { title: title || null, company: inner ? inner[1]! : null };
}

function pickCompany(raw: string, isOrg: OrgLookup): string | null {
  const text = raw.replace(/[.,]+$/, "").trim();
  if (!text) return null;
  const parts = text.split(/\s+and\s+/);
  for (const part of parts) {
    const known = isOrg(part);
    if (known && isOrg.parties?.has(known)) return known;
  }
  for (const part of parts) {
    const known = isOrg(part);
    if (known) return known;
  }
  return parts[0]!.trim();
}

/** People named with a role: "X, title at Y", "Y's title X", "Y title X", "X will remain title". */
export function indexPeople(text: string, blocks: Block[], isOrg: OrgLookup): PersonIndex {
  const people: (Person & { start: number })[] = [];
  for (const b of blocks) {
    if (b.kind !== "body") continue;
    const s = b.text;
    for (const m of s.matchAll(NAME)) {
      const name = m[1]!;
      if (isOrg(name) || /\b(?:Corp|Inc|Group|Ltd|Co)\b/.test(name)) continue;
      // "Leonard Schleifer, M.D., Ph.D., president …": degrees after a name are not its title.
      const after = s
        .slice(m.index + m[0].length)
        .replace(/^,\s*(?:(?:M\.D|Ph\.D|MD|PhD|MBA|M\.B\.A)\.?,?\s*)+(?=\p{L})/u, ", ");
      const before = s.slice(0, m.index);
      let person: Person | null = null;
      // "X, Chairman, President and CEO of Y, said": commas inside a title run up to the verb.
      const longAppositive = new RegExp(
        `^,\\s*((?:the |an? )?[^"“”]{2,160}?),\\s+(?:${SPEECH}|in a |according)\\b`,
      ).exec(after);
      // "X, founder, chairman and chief executive officer of NIO.": a list of roles is one title.
      const roleList =
        /^,\s*((?:(?:the |an? )?[^,"“”]{2,60}?,\s+){1,3}[^,"“”]*?\band\b[^,"“”]{2,100}?)\s*(?:,|\.(?:\s|$)|$)/.exec(
          after,
        );
      const appositive =
        longAppositive && !/^\s*(?:who|which)\b/.test(longAppositive[1]!) && !/\.\s/.test(longAppositive[1]!)
          ? longAppositive
          : roleList &&
              !/\.\s/.test(roleList[1]!) &&
              roleList[1]!.split(/,\s+|\s+and\s+/).every((r) => ROLE.test(r))
            ? roleList
            : /^,\s*((?:the |an? )?[^,"“”]{2,140}?)\s*(?:,|\.(?:\s|$)|$)/.exec(after);
      if (appositive && ROLE.test(appositive[1]!) && !/^\s*(?:who|which)\b/.test(appositive[1]!)) {
        person = { name, ...splitTitle(appositive[1]!, isOrg) };
        // "Calvin McDonald, Chief Executive Officer, lululemon.": the company after the title.
        const company = /^\s*([^,.;"“”]{2,60}?)\s*(?:[.,;]|$)/.exec(after.slice(appositive[0].length))?.[1];
        if (!person.company && /,\s*$/.test(appositive[0]) && company && isOrg(company))
          person = { ...person, company: isOrg(company) };
      }
      // "X, who joins Y as title of Z, added:"
      const joins =
        /^,\s*who (?:joins|joined|will join|is|was|serves as|will become|becomes|became)\s+(?:(\p{Lu}[\p{L}&.\- ]*?)\s+as\s+)?(?:the |an? )?([^,"“”]{2,140}?)\s*,/u.exec(
          after,
        );
      if (!person && joins && ROLE.test(joins[2]!)) {
        const rest = splitTitle(joins[2]!, isOrg);
        person = joins[1]
          ? { name, title: joins[2]!.trim(), company: isOrg(joins[1]) ?? joins[1].trim() }
          : { name, ...rest };
      }
      if (!person) {
        const pre = /((?:\p{Lu}[\p{L}&.\-]*\s){0,3}?)((?:[a-z-]+\s){0,4}?(?:\p{Lu}?[a-z-]+\s)?)$/u.exec(
          before,
        );
        // "Baidu co-founder, chairman and chief executive Robin Li", "Grab's group chief executive …".
        const roleWords =
          /(?<![\p{L}&.'’-])((?:(?:CEO|CFO|CTO|COO|CIO|CMO|SVP|EVP|VP|GM|MD|[a-z-]+|President|Chairman|Chairwoman|Chair|Chief|Executive|Vice|Senior|Head|Director|Founder|Officer|and),?\s+){1,8})$/u.exec(
            before,
          );
        // "chairman and CEO of Starbucks China": a name after a preposition is a company's, not a person's.
        if (
          pre &&
          roleWords &&
          ROLE.test(roleWords[1]!) &&
          !/\b(?:of|at|for|in|with)\s+$/.test(roleWords[1]!)
        ) {
          const role = roleWords[1]!.trim();
          // The company's words, not reaching back over a sentence end ("… AT&T Network. Ericsson").
          const orgPart = before
            .slice(0, before.length - roleWords[1]!.length)
            .replace(/['’]s?\s$/, " ")
            .match(/((?:\p{Lu}[\p{L}&.\-]*\s?){1,3})$/u)?.[1]
            ?.split(/\.\s+/)
            .pop()
            ?.trim();
          const company =
            orgPart && isOrg(orgPart)
              ? isOrg(orgPart)
              : orgPart && !/^(?:The|A|An|Its|Their)$/.test(orgPart)
                ? orgPart
                : null;
          person = { name, title: cleanTitle(role), company };
        }
      }
      if (!person) {
        const remain =
          /^\s+(?:will remain|remains|is|was|became|, who is)\s+(?:the\s+)?([a-z][a-z -]+?)(?=[,.;]|\s+(?:and|of|at|reporting|until)\b)/.exec(
            after,
          );
        if (remain && ROLE.test(remain[1]!)) person = { name, title: cleanTitle(remain[1]!), company: null };
      }
      if (!person && new RegExp(`^,?\\s+${SPEECH}\\b`).test(after))
        person = { name, title: null, company: null };
      // "Isomorphic was founded by Demis Hassabis, its chief executive": "its" is the sentence's subject.
      if (person?.title && /^(?:its|their)\s/i.test(person.title)) {
        const sentence = before.split(/(?<=[.!?])\s+/).pop() ?? "";
        const subject = [...sentence.matchAll(/\p{Lu}[\p{L}&.\-]*(?:\s\p{Lu}[\p{L}&.\-]*)*/gu)]
          .map((r) => isOrg(r[0]))
          .find(Boolean);
        person = {
          ...person,
          title: person.title.replace(/^(?:its|their)\s+/i, ""),
          company: person.company ?? subject ?? null,
        };
      }
      if (person) people.push({ ...person, name: name.replace(HONORIFIC, ""), start: b.start + m.index });
    }
  }
  // "… founded by Ben Chestnut … Chestnut, the company's chief executive, will …": a person named in
  // full without a role, whose surname alone is given one later.
  const tried = new Set<string>();
  for (const b of blocks) {
    if (b.kind !== "body") continue;
    for (const m of b.text.matchAll(NAME)) {
      const name = m[1]!.replace(HONORIFIC, "");
      const surname = name.split(/\s+/).pop()!;
      // Each name once, and only when its surname stands before a comma somewhere (a long article asks often).
      if (tried.has(name) || !text.includes(`${surname}, `)) continue;
      tried.add(name);
      if (isOrg(name) || people.some((p) => p.name === name)) continue;
      const appositive = new RegExp(
        `(?<![\\p{L}])${surname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, ((?:the company['’]s |its |the )?[^,"“”]{2,80}?),`,
        "u",
      );
      for (const c of blocks) {
        if (c.kind !== "body") continue;
        const found = appositive.exec(c.text);
        const role = found?.[1];
        if (!found || !role || !ROLE.test(role) || /^\s*(?:who|which)\b/.test(role)) continue;
        const split = splitTitle(role.replace(/^(?:the company['’]s|its)\s+/, ""), isOrg);
        // "the company's chief executive": the last company the paragraph named before.
        const owner = /^(?:the company['’]s|its)\s/.test(role)
          ? [...c.text.slice(0, found.index).matchAll(/\p{Lu}[\p{L}&.\-]*(?:\s\p{Lu}[\p{L}&.\-]*)*/gu)]
              .map((r) => isOrg(r[0]))
              .filter(Boolean)
              .pop()
          : null;
        people.push({ name, ...split, company: split.company ?? owner ?? null, start: b.start + m.index });
        break;
      }
    }
  }
  // Merge repeated people, keeping the fullest description.
  const merged: (Person & { start: number })[] = [];
  for (const p of people) {
    const same = merged.find((q) => q.name === p.name);
    if (!same) merged.push({ ...p });
    else {
      same.title ??= p.title;
      same.company ??= p.company;
    }
  }
  const mentions: PersonIndex["mentions"] = [];
  for (const p of merged) {
    const tokens = p.name.split(/\s+/);
    const forms = [p.name, tokens[tokens.length - 1]!];
    for (const b of blocks) {
      if (b.kind !== "body") continue;
      for (const f of forms) {
        for (const m of b.text.matchAll(
          new RegExp(`(?<![\\p{L}])${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}])`, "gu"),
        )) {
          mentions.push({ at: b.start + m.index, person: p });
        }
      }
    }
  }
  mentions.sort((a, b) => a.at - b.at);
  return { people: merged, mentions };
}

interface Segment {
  inner: string;
  innerStart: number;
  start: number;
  end: number;
  closed: boolean;
}

/** Quoted spans in one paragraph: double quotes, or single quotes when the paragraph has no doubles. */
function segments(b: Block): Segment[] {
  const out: Segment[] = [];
  const s = b.text;
  const double = /[“"]([^”"]*)([”"]|$)/g;
  for (const m of s.matchAll(double)) {
    out.push({
      inner: m[1]!,
      innerStart: b.start + m.index + 1,
      start: b.start + m.index,
      end: b.start + m.index + m[0].length,
      closed: m[2] !== "",
    });
  }
  if (!out.length) {
    const single =
      /(?<=^|[\s:(])['‘](?=\p{Lu})(.+?)(?<=[.,!?])['’](?=\s|$)|(?<=^|[\s:(])['‘](?=\p{Lu})([^'‘’]+)$/gu;
    for (const m of s.matchAll(single)) {
      const inner = m[1] ?? m[2]!;
      out.push({
        inner,
        innerStart: b.start + m.index + 1,
        start: b.start + m.index,
        end: b.start + m.index + m[0].length,
        closed: m[1] !== undefined,
      });
    }
  }
  return out;
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

/** Every direct quote with its speaker; split quotes ("…,” said X, “…”) are joined. */
export function findQuotes(
  text: string,
  blocks: Block[],
  people: PersonIndex,
  isOrg: OrgLookup,
): QuoteFound[] {
  const found: QuoteFound[] = [];
  let previous: QuoteFound | null = null;
  let previousOpen = false;
  let previousBlock: Block | null = null;
  for (const b of blocks) {
    if (b.kind !== "body") {
      previousOpen = false;
      continue;
    }
    const all = segments(b);
    const partial = partialQuotes(text, b, all, people, isOrg);
    found.push(...partial);
    const taken = new Set(partial.map((q) => q.start));
    const segs = all.filter((g) => !taken.has(g.start) && (/[.,!?…—-]\s*$/.test(g.inner) || !g.closed));
    const introducedBy = previousBlock;
    previousBlock = b;
    for (let i = 0; i < segs.length; i++) {
      const g = segs[i]!;
      let quoteText = g.inner.trim();
      let end = g.end;
      const next = segs[i + 1];
      const gap = next ? text.slice(g.end, next.start) : "";
      let between = gap;
      if (
        next &&
        /,\s*$/.test(g.inner) &&
        /^\s*\p{Ll}/u.test(next.inner) &&
        gap.length < 160 &&
        /,\s*$/.test(gap)
      ) {
        quoteText = `${quoteText.replace(/,\s*$/, "")} ${next.inner.trim()}`;
        end = next.end;
        i++;
      } else between = "";
      // A short quote only continues one in the same paragraph: "…," said X. "This changes that."
      const sameParagraph = !!previous?.speaker && previous.end > b.start;
      if (words(quoteText) < (sameParagraph ? 2 : 5)) continue;
      const afterEnd = next && !between ? next.start : b.end;
      const after = between || text.slice(end, afterEnd);
      const sentenceAfter = after.split(
        /(?<=[.!?])(?<!\b(?:Dr|Mr|Ms|Mrs|Prof|St|Corp|Inc|Co|Ltd|\p{Lu})\.)\s/u,
      )[0]!;
      const before = text.slice(
        found.length && previous && previous.end > b.start ? previous.end : b.start,
        g.start,
      );
      // A split quote's attribution stands between its halves, whatever ends the second half.
      const attribution = attribute(
        sentenceAfter,
        before,
        g.start,
        between ? g.end : end,
        people,
        isOrg,
        text,
      );
      let speaker = attribution?.person ?? null;
      let at = attribution ? { start: attribution.start, end: attribution.end } : null;
      let confidence = attribution ? 0.85 : 0;
      const sinceLast = previous ? text.slice(Math.max(previous.end, b.start), g.start) : "";
      const continues =
        previous &&
        (previousOpen || g.start - previous.end < 400) &&
        (/^\s*$/.test(text.slice(b.start, g.start)) ||
          (previous.end > b.start &&
            sinceLast.length < 120 &&
            ![...sinceLast.matchAll(NAME)].some((m) =>
              people.people.some((p) => p.name === m[1] && p !== previous!.speaker),
            )));
      // A paragraph of quotation introduced by the paragraph before: "X said …:" then “…” — a new
      // speaker's introduction outranks the previous quote running on.
      if (
        !speaker &&
        introducedBy &&
        /:\s*$/.test(introducedBy.text) &&
        !text.slice(b.start, g.start).trim()
      ) {
        const person = lastPersonBefore(g.start, people, introducedBy.start);
        if (person) {
          speaker = person;
          at = { start: introducedBy.start, end: introducedBy.end };
          confidence = 0.7;
        }
      }
      if (!speaker && previous && continues) {
        speaker = previous.speaker;
        at = previous.attribution;
        confidence = 0.6;
      }
      const q: QuoteFound = {
        text: quoteText.replace(/\s+/g, " ").replace(/,$/, "."),
        start: g.start,
        end,
        speaker,
        attribution: at,
        confidence,
      };
      found.push(q);
      previous = q;
      previousOpen = !g.closed;
    }
  }
  return found;
}

function lastPersonBefore(at: number, people: PersonIndex, from = 0): Person | null {
  let last: Person | null = null;
  for (const m of people.mentions) if (m.at < at && m.at >= from) last = m.person;
  return last;
}

const PARTIAL_VERB =
  /(?:^|[\s,(])((?:\p{Lu}[\p{L}'’.-]*\s+){0,2}\p{Lu}[\p{L}'’.-]*|[Hh]e|[Ss]he),?\s+(?:\w+ly\s+)?(?:said|says|added|called|described|told\s[\w ]{2,30}?|promised|predicted|welcomed|hailed|wrote)\b[^"“”.!?]*$/u;

/**
 * Quoted words inside a sentence whose speaker the same sentence names: X called the deal “a huge
 * validation”; Son said it would “change the way companies work”. Scare quotes (a name, a term) and
 * fragments under three words are not quotes.
 */
function partialQuotes(
  text: string,
  b: Block,
  segs: Segment[],
  people: PersonIndex,
  isOrg: OrgLookup,
): QuoteFound[] {
  const out: QuoteFound[] = [];
  for (const [i, g] of segs.entries()) {
    const inner = g.inner.trim();
    if (!g.closed || !/^\p{Ll}/u.test(inner)) continue;
    // The second half of a split quote ("…," he added, "to bring …") is joined to its first.
    const prev = segs[i - 1];
    if (prev && /,\s*$/.test(prev.inner) && /,\s*$/.test(text.slice(prev.end, g.start))) continue;
    // A quoted phrase that ends the sentence may carry its full stop inside the marks
    // (called the deal "transformative."); a short one counts only as the object of the verb
    // ("called the order "a landmark" for …"), not as a term in scare quotes ("cloud-first" approach).
    const tail = text.slice(g.end, g.end + 12);
    const object =
      /[.!?]$/.test(inner) || /^\s*(?:[.,;:!?)]|(?:of|for|in|to|that|and|as|from|with|at)\b|$)/.test(tail);
    if (/[,…—-]\s*$/.test(inner) || (words(inner) < 3 && !object)) continue;
    // The sentence's start: just after the last full stop (not a decimal point) before the quote.
    const prefix = text.slice(b.start, g.start);
    let sentenceStart = 0;
    for (const m of prefix.matchAll(/[.!?](?=\s)/g)) sentenceStart = m.index + 1;
    const pre = text.slice(b.start + sentenceStart, g.start);
    const m = PARTIAL_VERB.exec(pre);
    if (!m) continue;
    // "Belinda Wong, chairman and CEO of Starbucks China, said …": the person the sentence opens
    // with speaks, not the company that ends her title.
    const opener = people.mentions.find(
      (x) => x.at >= b.start + sentenceStart && x.at < b.start + sentenceStart + m.index,
    )?.person;
    const phrased = resolvePhrase(m[1]!, g.start, people, isOrg);
    const person =
      phrased && phrased.name !== phrased.company && phrased.title !== null ? phrased : (opener ?? phrased);
    if (!person || person.name === person.company) continue;
    const at = b.start + sentenceStart + m.index;
    out.push({
      text: inner,
      start: g.start,
      end: g.end,
      speaker: person,
      attribution: { start: at, end: at + m[0].length },
      confidence: 0.6,
    });
  }
  return out;
}

function resolvePhrase(phrase: string, at: number, people: PersonIndex, isOrg: OrgLookup): Person | null {
  const p = phrase.trim().replace(/^(?:and|but)\s+/i, "");
  if (PRONOUN.test(p)) return lastPersonBefore(at, people);
  // "Ms Chua" for "Chua Sock Koong": a surname after an honorific, whichever end of the name it is.
  const honored = /^(?:Dr|Mr|Ms|Mrs|Prof)\.?\s+(\p{Lu}[\p{L}'’-]+)$/u.exec(p)?.[1];
  if (honored) {
    const known = people.people.find((x) => x.name.split(/\s+/).includes(honored));
    if (known) return known;
  }
  // "the CEO", "the chief executive": the last person named before with that role.
  const role =
    /^(?:the|its|their)\s+((?:[a-z-]+\s){0,3}?(?:CEO|CFO|CTO|COO|chief executive|chairman|chairwoman|president|founder|co-founder|spokesperson|spokesman|spokeswoman))$/i.exec(
      p,
    );
  if (role) {
    const want = role[1]!.toLowerCase();
    let last: Person | null = null;
    for (const m of people.mentions)
      if (m.at < at && m.person.title?.toLowerCase().includes(want.split(" ").pop()!)) last = m.person;
    if (last) return last;
  }
  const org = isOrg(p.replace(/['’]s$/, ""));
  const named = [...p.matchAll(NAME)].filter((m) => !isOrg(m[1]!));
  if (named.length) {
    const name = named[named.length - 1]![1]!;
    const known = people.people.find((x) => x.name === name.replace(HONORIFIC, ""));
    if (known) return known;
  }
  const surname = people.people.find((x) => {
    const t = x.name.split(/\s+/);
    return p === t[t.length - 1] || p === t[0] || p === x.name;
  });
  if (surname) return surname;
  if (org) return { name: org, title: null, company: org };
  return null;
}

function attribute(
  after: string,
  before: string,
  quoteStart: number,
  quoteEnd: number,
  people: PersonIndex,
  isOrg: OrgLookup,
  text: string,
): { person: Person; start: number; end: number } | null {
  const afterStart =
    quoteEnd + (text.slice(quoteEnd).indexOf(after) >= 0 ? text.slice(quoteEnd).indexOf(after) : 0);
  // "…," said X / according to X / — X, title
  const verbFirst = new RegExp(`^[,\\s]*(?:${SPEECH}|according to|[—–]|--)\\s*(.+)$`, "u").exec(after);
  if (verbFirst) {
    const phrase = verbFirst[1]!;
    const head = phrase.split(/,/)[0]!.trim();
    const person = resolvePhrase(head, quoteStart, people, isOrg);
    if (person) return { person, start: afterStart, end: afterStart + after.length };
  }
  const subjectFirst = new RegExp(`^[,\\s]*(.{1,120}?)\\s+${SPEECH}\\b`, "u").exec(after);
  // After a quote that ends its own sentence, a following "X said that …" is a new sentence about
  // something else; only a bare "X said." still attributes the quote.
  const closedSentence = /[.!?]["”’']?$/.test(text.slice(quoteStart, quoteEnd).trim());
  const bareAttribution =
    subjectFirst &&
    /^[\s,]*(?:in a statement|in an interview|on \w+)?\s*[.]/.test(after.slice(subjectFirst[0].length));
  if (subjectFirst && (!closedSentence || bareAttribution)) {
    const phrase = subjectFirst[1]!.replace(/,\s*$/, "");
    const head = phrase.split(/,/)[0]!.trim();
    const words = head.split(/\s+/);
    const person =
      resolvePhrase(head, quoteStart, people, isOrg) ??
      resolvePhrase(words.slice(-2).join(" "), quoteStart, people, isOrg);
    if (person) return { person, start: afterStart, end: afterStart + subjectFirst[0].length };
  }
  // "X, title, said: “…”", "According to X, …", or the paragraph's subject.
  const lastSentence = before.split(/(?<=[.!?])\s+(?=\p{Lu})/u).pop() ?? "";
  if (lastSentence.trim()) {
    const beforeStart = quoteStart - lastSentence.length;
    for (const m of lastSentence.matchAll(NAME)) {
      const known = people.people.find((x) => x.name === m[1]!.replace(HONORIFIC, ""));
      if (known)
        return { person: known, start: beforeStart + m.index, end: beforeStart + m.index + m[0].length };
    }
    // "Nasser said: "…"": a surname (or full name) introducing the quote with a colon.
    const intro =
      /(?:^|\s)((?:\p{Lu}[\p{L}'’-]+\s){0,2}\p{Lu}[\p{L}'’-]+)\s+(?:said|says|added|wrote)\s*:\s*$/u.exec(
        lastSentence,
      );
    const introduced = intro && resolvePhrase(intro[1]!, quoteStart, people, isOrg);
    if (introduced && introduced.name !== introduced.company)
      return { person: introduced, start: beforeStart + intro.index, end: quoteStart };
    const org = /^(\p{Lu}[\p{L}&.\- ]{1,40}?)\s+(?:said|says|added)\b/u.exec(lastSentence.trim());
    if (org && isOrg(org[1]!))
      return {
        person: { name: isOrg(org[1]!)!, title: null, company: isOrg(org[1]!) },
        start: beforeStart,
        end: quoteStart,
      };
    if (/\b(?:he|she)\s+(?:said|says|added|explained)\b/.test(lastSentence)) {
      const person = lastPersonBefore(quoteStart, people);
      if (person) return { person, start: beforeStart, end: quoteStart };
    }
  }
  return null;
}
