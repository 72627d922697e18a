import { COUNTRIES } from "@/lib/geo/countries";
import { companyKey } from "@/lib/names";
import type { PartyRole } from "@/lib/enums";
import type { CompanyIndex } from "./resolve";
import { matchCompany, sameName } from "./resolve";
import type { Sentence } from "./text";
import type { CompanyRef, GazetteerCompany } from "./types";

export interface OrgMention {
  text: string;
  start: number;
  end: number;
  /** The gazetteer company it names, when it names one. */
  ref: CompanyRef | null;
}
export interface OrgEntity {
  name: string;
  ref: CompanyRef | null;
  mentions: OrgMention[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const LEGAL =
  /^(?:Inc|Inc\.|Incorporated|Corp|Corp\.|Corporation|Co\.|Co|Company|Ltd|Ltd\.|Limited|LLC|PLC|plc|AG|SA|S\.A\.|NV|N\.V\.|SE|Oyj|AB|ASA|A\/S|Group|Holdings|GmbH|K\.K\.)$/;
// Words a capitalised run can start with that are not names ("The", headline verbs, places, agencies).
const STOP = new Set(
  (
    "The A An And Or But Under As At In On Of For With By From To Its It Their Our We They He She This That These Those " +
    "Each Both Every All Some Any Financial Terms Shares Investors Analysts Reuters Yonhap Bloomberg AP AFP " +
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August " +
    "September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec " +
    "US U.S. U.S USA UK U.K. U.K EU No Korea South North Japan China Chinese Japanese Korean Europe European America American " +
    "Seoul Tokyo London Paris Berlin Beijing Shanghai Taiwan India Finland Sweden Germany France Boston Nevada Arizona " +
    "CEO CFO CTO President Chairman Chief Executive Vice Senior Head Director Founder Press Release Today Dr Mr Ms Mrs " +
    "MoU MOU JV AI IoT R&D Cloud Edge Internet Things Company Companies Group Partnership Agreement Deal Alliance " +
    "Sign Signs Ink Inks Announce Announces Strike Strikes Form Forms Team Teams Partner Partners Join Joins Buy Buys " +
    "Acquire Acquires Invest Invests To Say Says Said New Strategic Joint Venture Memorandum Understanding Global"
  ).split(" "),
);
const PLACE = new Set(
  "Korea Japan China Chinese Japanese Korean Europe European America American Taiwan India Finland Sweden Germany France".split(
    " ",
  ),
);
const DESCRIPTOR_WORD =
  "(?:organi[sz]ation|non-?profit|charity|league|association|studio|broadcaster|agency|chipmaker|carrier|operator|automaker|carmaker|drugmaker|maker|manufacturer|firm|company|start-?up|giant|vendor|supplier|provider|group|developer|bank|insurer|retailer|platform|network|telco|conglomerate|subsidiary|designer|specialist|producer|utility|biotech|lab)";
const APPOSITIVE = new RegExp(
  `^,\\s+(?:a|an|the)\\s+(?:[\\p{L}\\d$.-]+\\s+){0,4}?${DESCRIPTOR_WORD}\\b`,
  "iu",
);
// The last word of a name that says what kind of organisation it is ("Takeda Pharmaceutical", "Editas
// Medicine", "National Football League"): the head noun a named-entity model keys on. Legal suffixes
// (Group, Holdings) are in LEGAL.
const ORG_HEAD =
  /^(?:Pharmaceuticals?|Pharma|Therapeutics|Biosciences|Biotherapeutics|Medicine|Sciences|Motors?|Motorcycles|Airlines|Airways|Bank|Energy|Technologies|Systems|Networks|Partners|Capital|Ventures|Labs|Laboratories|Foods|Brands|Entertainment|Media|Studios|Pictures|Records|Music|League|Association|Foundation|Software|Semiconductors?|Electronics|Telecom|Telecommunications|Communications|Insurance|Industries|Enterprises?|Resources|Robotics|Aerospace|Financial|Chemicals?|Beverages|Automotive|Mobility|Petroleum|Steel|Healthcare)$/;
// "from Singapore to Dubai": a country named where a company could stand is a place.
const COUNTRY = new Set(COUNTRIES.map((c) => c.name));
// Words that open a name only before a legal suffix: "China Resources Enterprise, Limited", "Dr Pepper
// Snapple Group", "New World Development Company Limited".
// "Alliance Boots GmbH", "Internet Initiative Japan Inc.": deal and technology nouns open names too.
const NAME_OPENER = new Set([
  "Dr",
  "New",
  "North",
  "South",
  "Global",
  "Alliance",
  "Internet",
  "Cloud",
  "Edge",
]);
const TITLE_WORD = /^(?:President|Chairman|Chairwoman|Chair|CEO|CFO|CTO|COO|Chief|Founder|Director)$/;
const DESCRIPTOR =
  /(?:organi[sz]ation|non-?profit|league|studio|biotech|drugmaker|airline|planemaker|grocer|streamer|broadcaster|lender|miner|chipmaker|carrier|operator|automaker|carmaker|maker|manufacturer|firm|company|startup|start-up|giant|vendor|supplier|provider|group|developer|bank|insurer|retailer|platform|site|network|telco|conglomerate|unit|subsidiary|rival|designer|specialist|player|partner)\s+$/i;
const LEADING_DESCRIPTOR =
  /^(?:Rivals?|Chipmakers?|Carmakers?|Automakers?|Drugmakers?|Retailers?|Start-?ups?|Insurers?|Lenders?|Carriers?|Operators?|Conglomerates?|Giants?|Partners?|Regulators?|Shares?)$/;
const DEAL_VERB =
  /^(?:\s*(?:on|this|last|earlier|today|have|has|had|will|would|to|jointly|formally|officially|said|say|says|announced|\(\w+\))\b)*\s*(?:sign|ink|announc|agree|form|team|partner|join|strike|struck|unveil|launch|establish|set up|enter|expand|extend|deepen|tap|pick|select|acquir|buy|bought|purchas|invest|rais|licen|collaborat|ally|merg|creat|seal|clinch|said)/i;

// All-capitals words that may follow a company's short name without making it another company.
const FAMILY_SAFE = new Set([
  "CEO",
  "CFO",
  "CTO",
  "COO",
  "AI",
  "US",
  "UK",
  "EU",
  "AG",
  "SE",
  "SA",
  "NV",
  "PLC",
  "LLC",
]);

interface Surface {
  re: RegExp;
  ref: CompanyRef;
  caseless: boolean;
}
// Compiled once per company list: extraction runs many articles against the same gazetteer.
const compiled = new WeakMap<GazetteerCompany[], Surface[]>();

function surfacesOf(companies: GazetteerCompany[]): Surface[] {
  const cached = compiled.get(companies);
  if (cached) return cached;
  const list: { surface: string; ref: CompanyRef }[] = [];
  for (const c of companies) {
    const ref = { slug: c.slug, name: c.name };
    const names = new Set([c.name, ...c.aliases]);
    for (const n of [...names]) {
      const bare = n.replace(/,?\s+(?:Inc|Corp|Corporation|Co|Ltd|LLC|PLC|AG)\.?$/i, "").replace(/,\s*$/, "");
      if (bare.length >= 2) names.add(bare);
    }
    names.forEach((surface) => list.push({ surface, ref }));
  }
  list.sort((a, b) => b.surface.length - a.surface.length);
  const out = list.map(({ surface, ref }) => {
    const caseless = surface.length >= 4 && surface !== surface.toUpperCase();
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}&])${esc(surface)}(?![\\p{L}\\p{N}&]|-\\p{L})`,
      caseless ? "giu" : "gu",
    );
    return { re, ref, caseless };
  });
  compiled.set(companies, out);
  return out;
}

/** Gazetteer mentions, longest surface first, case-insensitive except for short or all-caps names. */
export function findGazetteerMentions(
  text: string,
  companies: GazetteerCompany[],
  zones?: { start: number; end: number }[],
) {
  const taken: OrgMention[] = [];
  const inZone = (start: number, end: number) =>
    !zones || zones.some((z) => start >= z.start && end <= z.end);
  for (const { re, ref, caseless } of surfacesOf(companies)) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (caseless && !/\p{Lu}|\d/u.test(m[0][0]!)) continue;
      if (!inZone(start, end) || taken.some((t) => start < t.end && end > t.start)) continue;
      // "Samsung SDI" is not "Samsung" (Samsung Electronics): a short form followed by an
      // all-capitals word names another company of the family.
      const next = /^ ([A-Z][A-Z0-9]{1,4})\b/.exec(text.slice(end, end + 8))?.[1];
      if (next && m[0] !== ref.name && !FAMILY_SAFE.has(next)) continue;
      taken.push({ text: m[0], start, end, ref });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

/**
 * "SoftBank" in an article about "SoftBank Group": a short alias of one directory company, in an
 * article that names another company whose name starts with it (and never its own), means that one.
 */
export function preferNamedCompany(mentions: OrgMention[]): OrgMention[] {
  return mentions.map((m) => {
    if (!m.ref || m.text === m.ref.name) return m;
    // The article never names the alias's own company in full ("SoftBank Corp."), wherever it is.
    if (mentions.some((n) => n.ref?.slug === m.ref!.slug && n.text !== m.text)) return m;
    const key = companyKey(m.text);
    const longer = mentions.find(
      (n) => n.ref && n.ref.slug !== m.ref!.slug && companyKey(n.text).split(" ")[0] === key,
    );
    return longer ? { ...m, ref: longer.ref } : m;
  });
}

// "Yum! Brands", "Genmab A/S": an exclamation mark before the next word, a slash inside one.
// "eBay", "iRobot": a lower-case letter before the capital is part of the name.
// "easyJet": lower-case letters before an inner capital too.
const TOKEN = String.raw`(?:(?<!\p{L})\p{Ll}{1,5}\p{Lu}\p{Ll}[\p{L}\p{N}&.'’/-]*|\p{Lu}[\p{L}\p{N}&.'’/-]*(?:!(?= \p{Lu}))?|\d+[\p{L}]+|&)`;
const RUN = new RegExp(`${TOKEN}(?:[ ](?:${TOKEN}|of|de|for)(?=[ ,.;:)'’]|$))*`, "gu");

const LIST_VERB =
  /^\s*(?:(?:today|jointly|formally|officially|also|have|has|had|will|would|on \p{Lu}\p{L}+)\s+)*(?:announc\w*|sign(?:s|ed)?|agree[sd]?|enter(?:s|ed)?|form(?:s|ed)?|plan(?:s|ned)?|team(?:s|ed)?|partner(?:s|ed)?|join(?:s|ed)?|unveil\w*|launch\w*|establish\w*|ink(?:s|ed)?|strike|struck|said|say|says|are to|to form|to create|to build|to merge|will)\b/u;
const PREPOSITION = /\b(?:at|of|in|from|for|with|by|on|to|under|after|before|about|over|than)\b/;

/** Words that make a list item a person ("Sony president and CEO Kenichiro Yoshida said"). */
const PERSON_CUE =
  /\b(?:CEO|CFO|CTO|COO|[Pp]resident|[Cc]hair(?:man|woman)?|[Cc]hief|[Ee]xecutive|[Dd]irector|(?:[Cc]o-)?[Ff]ounder|[Hh]ead|[Mm]inister|[Aa]nalysts?|[Ss]pokes\w+|[Oo]fficer|[Mm]anager|Mr|Ms|Mrs|Dr)\b/;

/**
 * Where the names of a subject list start: "X (NYSE: X), the chipmaker, and Y, a leader in …, today
 * announced" — tickers and appositives are set aside, and the last capitalised run of each item of the
 * list ("Chinese search giant Baidu Inc") is a company. An item with a preposition before its name
 * ("Analysts at Jefferies said") is not one, nor a list that names people.
 */
function subjectListStarts(s: string): Set<number> {
  const starts = new Set<number>();
  const masked = s
    .replace(/\([^()]{0,80}\)|\[[^[\]]{0,80}\]/g, (x) => " ".repeat(x.length))
    // An appositive says what a company is in common words ("the Franco-Italian chipmaker");
    // ", the TRATON GROUP and the Volvo Group," is more of the list.
    .replace(/,\s+(?:a|an|the)\s+[^,;:"“”]{1,90},/g, (x) =>
      /\s(?!(?:and|the|of|a|an)\b)\p{Ll}/u.test(x) ? " ".repeat(x.length) : x,
    );
  const verb = [...masked.matchAll(/\s/g)].find((w) => LIST_VERB.test(masked.slice(w.index)));
  if (!verb) return starts;
  const span = masked.slice(0, verb.index);
  if (/["“”‘’]|['’](?!s\b)/.test(span) || PERSON_CUE.test(span)) return starts;
  const items: { from: number; to: number }[] = [];
  const sep =
    /,\s*(?!(?:Inc|Ltd|LLC|Co|Corp|Corporation|Limited|Plc|PLC|plc|AG|SA|NV|SE|GmbH)\b)(?:and\s+)?|\s+and\s+/g;
  let from = 0;
  for (const m of span.matchAll(sep)) {
    items.push({ from, to: m.index });
    from = m.index + m[0].length;
  }
  items.push({ from, to: span.length });
  if (items.length < 2 || items.length > 5) return starts;
  for (const item of items) {
    const part = span.slice(item.from, item.to);
    // A relative clause ("…, which lost its plant, and …") makes the span a clause, not a list of names.
    if (part.trim().split(/\s+/).length > 10 || /^\s*(?:which|who|whose|that|where|while)\b/.test(part))
      return new Set();
    const runs = [...part.matchAll(RUN)];
    const last = runs[runs.length - 1];
    if (!last || PREPOSITION.test(part.slice(0, last.index))) continue;
    if (part.slice(last.index + last[0].length).trim()) continue;
    starts.add(item.from + last.index);
  }
  return starts;
}

const DETERMINER =
  /\b(?:the|a|an|this|that|these|those|its|their|our|his|her|its|any|each|every|some|no)\s+$/i;

/**
 * Words a company writes in lower case ("bp", "thyssenkrupp", "lululemon athletica inc."). Names are
 * found as capitalised runs, so these are recognised apart, where prose could not write a common word
 * in lower case: opening a paragraph (after its dateline) or the headline, before a legal suffix and
 * a ticker, or capitalised only as the headline's first word and never after a determiner.
 */
export function stylisedNames(
  paragraphs: string[],
  headline: string | null,
  datelineLength: (s: string) => number,
): Set<string> {
  const out = new Set<string>();
  const common = (w: string) => STOP.has(w[0]!.toUpperCase() + w.slice(1)) || w.length < 2;
  const word = /^\p{Ll}[\p{Ll}\d]*(?=['’]s\b|[\s,]|$)/u;
  for (const p of [...paragraphs, ...(headline ? [headline] : [])]) {
    const w = word.exec(p.slice(datelineLength(p)))?.[0];
    if (w && !common(w)) out.add(w);
    // "and imec, the world-leading research hub": a word in lower case that an appositive describes.
    for (const m of p.matchAll(/(?:^|\b(?:and|with)\s)(\p{Ll}[\p{Ll}\d]{2,}),\s(?:a|an|the)\s/gu))
      if (!common(m[1]!)) out.add(m[1]!);
    // "lululemon athletica inc. (Nasdaq: LULU)"
    for (const m of p.matchAll(
      /(?<![\p{L}])(\p{Ll}[\p{Ll}\d]+)(?:\s(\p{Ll}[\p{Ll}\d]+))?,?\s(inc|corp|ltd|plc|ag|se|nv|Inc|Corp|Ltd|AG|SE|NV)\.?,?\s*[([](?:[A-Za-z]{2,8}:\s*)?[A-Z]{1,6}[)\]]/gu,
    )) {
      for (const w of [m[1], m[2]]) if (w && !common(w)) out.add(w);
      // Its suffix in lower case too ("inc."), so that the name keeps it as a capitalised one would.
      if (/^\p{Ll}/u.test(m[3]!)) out.add(m[3]!);
    }
  }
  const first = headline ? /^(\p{Lu})(\p{Ll}{3,})\b/u.exec(headline) : null;
  if (first) {
    const w = first[1]!.toLowerCase() + first[2]!;
    const uses = paragraphs.flatMap((p) =>
      [...p.matchAll(new RegExp(`(?<![\\p{L}])${w}(?![\\p{L}])`, "gu"))].map((m) => p.slice(0, m.index)),
    );
    if (!common(w) && uses.length && uses.every((before) => !DETERMINER.test(before))) out.add(w);
  }
  return out;
}

/** The sentence with each stylised name capitalised (same length, so offsets still hold). */
export function capitalised(sentence: Sentence, names: Set<string>): Sentence {
  if (!names.size) return sentence;
  const text = sentence.text.replace(/(?<![\p{L}\d])\p{Ll}[\p{Ll}\d]*(?![\p{L}\d])/gu, (w) =>
    names.has(w) ? w[0]!.toUpperCase() + w.slice(1) : w,
  );
  return { ...sentence, text };
}

const SUFFIX =
  /^,?\s+(?:Inc|Ltd|LLC|Co|Corp|Corporation|Limited|PLC|plc|AG|SA|NV|SE|GmbH)\.?(?:,?\s+(?:Ltd|Inc|Limited)\.?)?(?![\p{L}])/u;

/** Capitalised runs that look like organisations: legal suffix, ticker, or a deal frame. */
export function findOrgCandidates(
  text: string,
  sentence: Sentence,
  known: OrgMention[],
  /** The story's first sentence: whoever opens it and acts is a company. */
  first = false,
): OrgMention[] {
  const out: OrgMention[] = [];
  const s = sentence.text;
  const listed = subjectListStarts(s);
  for (const m of s.matchAll(RUN)) {
    const inList = listed.has(m.index);
    let raw = m[0]
      .replace(/(?:['’]s?)$/, "")
      .replace(/[.,]$/, (p) => (/\b(?:Inc|Corp|Co|Ltd)$/.test(m[0].slice(0, -1)) ? p : ""));
    let offset = m.index;
    let words = raw.split(" ");
    // "with China General Nuclear Power Corporation for the group": a joining word the run took at its
    // end hides the legal suffix before it.
    while (words.length > 1 && /^(?:of|de|for)$/.test(words[words.length - 1]!)) words = words.slice(0, -1);
    raw = words.join(" ");
    // "Domino's Pizza, Inc.", "China Resources Enterprise, Limited": a suffix after a comma is as legal.
    const suffixed = SUFFIX.test(s.slice(m.index + raw.length));
    // "China Petroleum & Chemical Corporation", "Korea Electric Power Corp.": a place opening a name
    // with a legal suffix is part of it.
    const incorporated =
      (words.length > 2 && LEGAL.test(words[words.length - 1]!.replace(/[.,]$/, ""))) ||
      (words.length > 1 && suffixed);
    // "Domino's Pizza, Inc.": a possessive that is the first of two words of an incorporated name.
    const ownName = suffixed && words.length === 2 && !PLACE.has(words[0]!.replace(/['’]s$/, ""));
    while (
      words.length &&
      ((STOP.has(words[0]!.replace(/['’]s$/, "")) &&
        !(incorporated && (PLACE.has(words[0]!) || NAME_OPENER.has(words[0]!)))) ||
        // A possessive qualifies the name after it: "Microsoft's LinkedIn", "Korea's SK".
        // "McDonald's Corp": not when only a legal suffix follows it.
        (words.length > 1 &&
          /['’]s$/.test(words[0]!) &&
          !ownName &&
          !(words.length === 2 && LEGAL.test(words[1]!))) ||
        /^(?:of|de|for|&)$/.test(words[0]!) ||
        // "US-based Liberty Global", "Paris-listed Vivendi": where it sits is not part of the name.
        (words.length > 1 && /-(?:based|listed|owned|headquartered|born|registered)$/i.test(words[0]!)) ||
        // "Rivals Sony …", "Chipmaker Nvidia …": a sentence-initial descriptor is not part of the name.
        (words.length > 1 && LEADING_DESCRIPTOR.test(words[0]!)))
    ) {
      offset += words[0]!.length + 1;
      words = words.slice(1);
    }
    // "Warren Buffett's Berkshire Hathaway": everything up to a possessive qualifies the name after it.
    const owner = words.findLastIndex(
      (w, i) =>
        i < words.length - 1 && /['’]s$/.test(w) && !(i === words.length - 2 && LEGAL.test(words[i + 1]!)),
    );
    // Before any place or owner in front of the name: "with Taiwan's Foxconn", "from Warren Buffett's …".
    const ownerAt = m.index;
    if (owner >= 0 && !LEGAL.test(words[words.length - 1]!) && !ownName) {
      offset += words.slice(0, owner + 1).join(" ").length + 1;
      words = words.slice(owner + 1);
    }
    // "an order for 500 Airbus A320-family aircraft": the maker, without the model.
    const ordered = /\border(?:s|ed)?\s+(?:for|of)\s+(?:up to\s+)?[\d,]+\s+$/.test(s.slice(0, offset));
    if (ordered) {
      const model = words.findIndex((w) => /\d/.test(w));
      if (model > 0) words = words.slice(0, model);
    }
    // "Aramco President and CEO …": a title after a company's name is not part of it.
    while (words.length > 1 && TITLE_WORD.test(words[words.length - 1]!)) words = words.slice(0, -1);
    while (words.length && /^(?:of|de|for|&)$/.test(words[words.length - 1]!)) words = words.slice(0, -1);
    raw = words.join(" ");
    if (!raw || raw.length < 2 || LEGAL.test(raw) || COUNTRY.has(raw)) continue;
    // "Honda Motor Co., Ltd." and "Frontier Communications Parent, Inc." keep their comma-separated suffix.
    const suffix = SUFFIX.exec(s.slice(offset + raw.length));
    if (suffix) {
      raw += suffix[0];
      words = [...words, "Inc"];
    }
    // "SOUTH SAN FRANCISCO, Calif.": several words in capitals opening a sentence before a comma are
    // a dateline's place, not a company.
    if (offset === 0 && words.length > 1 && raw === raw.toUpperCase() && /^,\s/.test(s.slice(raw.length)))
      continue;
    // "Ride-hailing and payments firm Gojek": a compound in lower case after its hyphen is a common word
    // capitalised by the sentence ("Rolls-Royce", "Coca-Cola" keep their capitals).
    if (offset === 0 && words.length === 1 && /^\p{Lu}\p{Ll}+-\p{Ll}+$/u.test(raw)) continue;
    const start = sentence.start + offset;
    const end = start + raw.length;
    if (known.some((k) => start < k.end && end > k.start)) continue;
    const before = s.slice(0, offset);
    const frameBefore = s.slice(0, ownerAt);
    const after = s.slice(offset + raw.length);
    // Any one signal makes a capitalised run a company: a legal suffix, an exchange ticker, being
    // the subject of a deal verb, the object of one ("with X", "invest … in X", "license … to X"),
    // a descriptor in front ("chipmaker X"), or being joined by "and" to a company already found.
    const legal =
      words.length > 1 && (LEGAL.test(words[words.length - 1]!) || ORG_HEAD.test(words[words.length - 1]!));
    // "Memorandum of Cooperation (MOC)": a short form defined for a phrase whose opening words were
    // dropped as common ones is the phrase's, not a ticker of what is left.
    const definesPhrase = offset > m.index && /^\s*\([A-Z]{2,8}\)/.test(after);
    const ticker =
      // "(NYSE: BA)", "[NYSE: BA]", "(SIX: RO, ROG; OTCQX: RHHBY)": one listing or several.
      !definesPhrase &&
      /^\s*[([](?:[A-Z]{2,8}:\s*)?[A-Z0-9.]{1,8}(?:[,;]\s*(?:[A-Z]{2,8}:\s*)?[A-Z0-9.]{1,8})*[)\]]/.test(
        after,
      ) &&
      /[A-Z]/.test(after.slice(0, 12));
    // The second of "X and [descriptor] Y …": X must already be an organisation.
    // "… and South Korea's LG Chem": a possessive place may stand before the second name.
    const conjunct =
      /(\S+)\s*(?:,|and|&)\s*(?:(?:[a-z-]+|U\.S\.|U\.K\.|EU|[\p{L}.]+-(?:based|listed|owned|headquartered|registered)|\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*)?['’]s)\s+){0,4}$/u.exec(
        before.slice(-60),
      );
    // "Singtel co-founder, chairman and chief executive Robin Tan": titles between make it a person.
    const afterOrg =
      !!conjunct &&
      !PERSON_CUE.test(conjunct[0]) &&
      [...known, ...out].some(
        (k) => k.end >= sentence.start + offset - conjunct[0].length - 2 && k.end <= sentence.start + offset,
      );
    const subject =
      /^(?:\s*|.*(?:—|–|--|-)\s*)$/.test(before) &&
      DEAL_VERB.test(
        after.replace(
          /^\s*(?:,|and|&)\s+(?:(?:[a-z-]+|U\.S\.)\s+){0,4}(?:[\p{Lu}\d][\p{L}\p{N}&.'’-]*\s?)+/u,
          "",
        ),
      );
    // "Qantas will move its hub …", "UPS has ordered 10,000 vans …": the story's first sentence is
    // about what its subject does, whatever the verb.
    const opens =
      first &&
      /^(?:\s*|.*(?:—|–|--|-)\s*|\s*\p{Lu}[\p{Lu} .]{1,30}:\s*)$/u.test(before) &&
      /^\s+(?:(?:today|also|now)\s+)?(?:(?:has|have|had|will|would|is|are|was|were|could|may|plans to|agreed to)\s+|\p{Ll}+ed\b)/u.test(
        after,
      );
    // "X, a developer of small reactors", "X, the French start-up": an appositive says what X is.
    const appositive = APPOSITIVE.test(after);
    const framed =
      appositive ||
      (/\b(?:developed|built|made|operated|led|backed|owned|supplied|provided|run|designed) by\s+$/.test(
        before,
      ) &&
        /^(?:\s*[,.;(]|\s+(?:for|to|in|on|and|said|under|that|which)\b|$)/.test(after)) ||
      (DESCRIPTOR.test(before.slice(-30)) && /^[\s,'’]/.test(after || " ")) ||
      // "has chosen Oracle as a cloud provider": the one chosen.
      // "has selected Alstom to build 28 trainsets": the one chosen to do the work.
      (/\b(?:select(?:s|ed)?|pick(?:s|ed)?|cho(?:se|sen|oses)|taps?|tapped|hir(?:e|es|ed)|commission(?:s|ed)?)\s+$/.test(
        frameBefore,
      ) &&
        /^\s+(?:as|to)\b/.test(after)) ||
      // "had granted France's Ipsen exclusive rights": who is granted rights, a licence or a contract.
      (/\b(?:grant(?:s|ed)?|award(?:s|ed)?|gave|gives|give)\s+$/.test(frameBefore) &&
        /^\s+(?:(?:an?|the|its)\s+)?(?:[\w-]+\s+){0,3}(?:rights|licen[cs]es?|contracts?|orders?|stake)\b/.test(
          after,
        )) ||
      ((/(?:with|from|acquire|acquires|acquired|buy|buys|bought|acquisition of|purchase of|stake in|investment in|round in|backs|backed|funds)\s+$/.test(
        frameBefore.slice(-16),
      ) ||
        // A figure's decimal point ("$1.5 billion") does not end the phrase.
        /\binvest\w*\b(?:[^.]|\.\d){0,60}\bin\s+$/.test(before) ||
        /\blicen[cs]\w*\b(?:[^.]|\.\d){0,80}\bto\s+$/.test(before)) &&
        /^(?:\s*[,.;(]|\s+(?:for|to|in|on|and|said|under|that|which|as|worth|over|at)\b|$)/.test(after));
    const verbAfter =
      /^\s+(?:(?:has|have|will|to|said)\s+)?(?:sign|ink|acquir|buy|invest|rais|form|partner|team|tap|pick|select|licen|agree)/i.test(
        after,
      );
    if (
      legal ||
      ticker ||
      (inList && words.length <= 4) ||
      (ordered && words.length <= 3) ||
      ((subject || opens) && words.length <= 4) ||
      (framed && words.length <= 4) ||
      // "… with Eli Lilly and Novartis, in deals …": the second of a pair the frame already named.
      (afterOrg &&
        words.length <= 4 &&
        /\band\b|&/.test(conjunct[0]) &&
        (DEAL_VERB.test(after) || /^(?:\s*[,.;]|\s+(?:for|to|in|on|under|that|which|as)\b|$)/.test(after))) ||
      (verbAfter && words.length <= 3 && offset === 0)
    ) {
      out.push({ text: raw, start, end, ref: null });
    }
  }
  return out;
}

const stripLegal = (name: string) => {
  const words = name.split(" ");
  while (
    words.length > 1 &&
    // "velora athletica inc.": a suffix in lower case goes with a name written so.
    LEGAL.test(
      words[words.length - 1]!.replace(/,$/, "").replace(
        /^(?:inc|corp|ltd)\b/,
        (w) => w[0]!.toUpperCase() + w.slice(1),
      ),
    ) &&
    !/^(?:Group|Company)$/.test(words[words.length - 1]!)
  )
    words.pop();
  return words.join(" ").replace(/,$/, "");
};

/** Groups mentions: one gazetteer company each; unknown names join a longer name they shorten. */
export function clusterMentions(mentions: OrgMention[], index: CompanyIndex): OrgEntity[] {
  const entities: OrgEntity[] = [];
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  for (const m of sorted) {
    const ref = m.ref ?? matchCompany(stripLegal(m.text), index);
    if (ref) {
      const e = entities.find((x) => x.ref?.slug === ref.slug);
      if (e) e.mentions.push({ ...m, ref });
      else entities.push({ name: ref.name, ref, mentions: [{ ...m, ref }] });
      continue;
    }
    const key = companyKey(stripLegal(m.text));
    const first = key.split(" ")[0]!;
    const e = entities.find((x) => {
      if (x.ref) return false;
      const k = companyKey(x.name);
      return (
        k === key ||
        k.startsWith(`${key} `) ||
        key.startsWith(`${k} `) ||
        // Sharing a first word joins a short form to its name, not two full names ("Saudi Aramco",
        // "Saudi Basic Industries").
        (k.split(" ")[0] === first &&
          k.split(/[ -]/)[0] === first &&
          (!k.includes(" ") || !key.includes(" "))) ||
        // "Disney" after "The Walt Disney Company": one word of the longer name, not its first.
        (!key.includes(" ") && key.length >= 4 && k.split(" ").slice(1).includes(key)) ||
        // "Air Berlin PLC" after "airberlin", "MHI" after "Mitsubishi Heavy Industries".
        sameName(x.name, m.text)
      );
    });
    if (e) e.mentions.push(m);
    else entities.push({ name: stripLegal(m.text), ref: null, mentions: [m] });
  }
  return entities;
}

/**
 * A short form seen later ("Toyota", "Sila") belongs to the company it shortens, whether the
 * directory knows it or not: a draft must not change once the company is saved (issue 21: the second
 * paste of an article lost its roles and offered "Sila" as a new company). A short form that is a
 * directory company of its own, or a common word, is not taken.
 */
export function addShortForms(
  entities: OrgEntity[],
  blocks: { text: string; start: number }[],
  index?: CompanyIndex,
) {
  for (const e of entities) addAcronym(e, entities, blocks);
  for (const e of entities) {
    const first = companyKey(e.name).split(" ")[0]!;
    const short = e.name.split(/[ -]/)[0]!;
    if (short.length < 3 || companyKey(short) !== first || short === e.name || STOP.has(short)) continue;
    // Unless the short form is another directory company's name (its own is fine).
    if (e.ref && index && (matchCompany(short, index)?.slug ?? e.ref.slug) !== e.ref.slug) continue;
    // Two companies sharing a first word ("Samsung Electronics", "Samsung SDI"): neither owns it.
    if (entities.some((x) => x !== e && companyKey(x.name).split(" ")[0] === first)) continue;
    addMentions(e, short, new RegExp(`(?<![\\p{L}])${esc(short)}(?![\\p{L}])`, "gu"), blocks);
  }
}

/**
 * "HPE" for Hewlett Packard Enterprise, "SABIC" after "Saudi Basic Industries Corp. (SABIC)": the
 * initials of a name of several words, or a short form the article gives in brackets after it.
 */
function addAcronym(e: OrgEntity, entities: OrgEntity[], blocks: { text: string; start: number }[]) {
  const forms = new Set<string>();
  const words = stripLegal(e.name)
    .split(/\s+/)
    .filter((w) => /^\p{Lu}/u.test(w));
  if (words.length >= 2) forms.add(words.map((w) => w[0]).join(""));
  let defined: string | null = null;
  for (const m of e.mentions) {
    for (const b of blocks) {
      const at = m.start - b.start;
      if (at < 0 || at > b.text.length) continue;
      const given = /^\s*\((\p{Lu}[\p{Lu}\p{N}&-]{1,7})\)/u.exec(b.text.slice(at + m.text.length));
      if (given) forms.add((defined ??= given[1]!));
    }
  }
  for (const form of forms) {
    // A form another company goes by, or its own name, is not taken.
    if (entities.some((x) => x !== e && x.mentions.some((m) => m.text === form))) continue;
    const before = e.mentions.length;
    addMentions(e, form, new RegExp(`(?<![\\p{L}\\p{N}])${esc(form)}(?![\\p{L}\\p{N}])`, "gu"), blocks);
    // "Saudi Basic Industries Corp. (SABIC)", then "SABIC" throughout: the article's own name for a
    // company the directory does not know yet — when it abbreviates the whole name ("ATG" for Uber
    // Advanced Technologies Group does not).
    if (form === defined && !e.ref && form.length >= 3 && form[0] === e.name[0] && e.mentions.length > before)
      e.name = form;
  }
}

/** Every place `re` finds `form` that no mention of `e` covers yet becomes one. */
function addMentions(e: OrgEntity, form: string, re: RegExp, blocks: { text: string; start: number }[]) {
  for (const b of blocks) {
    for (const m of b.text.matchAll(re)) {
      const at = b.start + m.index;
      if (!e.mentions.some((x) => at >= x.start && at < x.end))
        e.mentions.push({ text: form, start: at, end: at + form.length, ref: null });
    }
  }
}

const RIVAL =
  // Lower case only: "Rivals Sony and Microsoft signed …" opens a sentence about both of them.
  /\b(?:rivals?|compet\w+|like|such as|versus|vs\.?|than|dispute with|beat|against)\s+(?:\w+\s+){0,2}$/;

const TAKES_RIVAL =
  /\b(?:acquir\w*|buy\w*|bought|purchas\w*|merg\w*(?: with)?|combin\w* with|take over|takes over|invest\w* in)\s+(?:its\s+|a\s+)?(?:\w+\s+)?rivals?\s+$/;

/**
 * The parties: companies named in the lead sentence (then the headline, then the second sentence)
 * in the order named there, unless only named as rivals; failing two, the most repeated companies.
 */
export function selectParties(
  text: string,
  entities: OrgEntity[],
  lead: Sentence[],
  headline: Sentence | null,
  /** A headline given apart from the text: its companies come right after the lead's. */
  givenTitle: string | null = null,
  /** A deck under the headline: read after the headline, before the second sentence. */
  deck: Sentence | null = null,
): OrgEntity[] {
  const within = (e: OrgEntity, z: Sentence) =>
    e.mentions.filter((m) => m.start >= z.start && m.end <= z.end);
  // "Alphabet's Google": the parent only qualifies the party named after it.
  const starts = new Set(entities.flatMap((e) => e.mentions.map((m) => m.start)));
  const qualifier = (m: OrgMention) => {
    const next = /^['’]s\s+/.exec(text.slice(m.end, m.end + 4));
    if (!next) return false;
    // "spun out of Google's DeepMind": a possessive before a name, known or not, qualifies it.
    const at = m.end + next[0].length;
    return starts.has(at) || /^\p{Lu}[\p{L}\d]+\b/u.test(text.slice(at, at + 30));
  };
  // "would buy rival Auth0": the rival a deal verb takes is the other party.
  const rival = (e: OrgEntity, z: Sentence) =>
    within(e, z).every((m) => {
      const before = text.slice(Math.max(z.start, m.start - 30), m.start);
      return (RIVAL.test(before) && !TAKES_RIVAL.test(before)) || qualifier(m);
    });
  const parties: OrgEntity[] = [];
  const titleKey = givenTitle ? ` ${companyKey(givenTitle)} ` : "";
  const titleAt = (e: OrgEntity) =>
    Math.min(
      ...[e.name, ...e.mentions.map((m) => m.text)].map((n) => {
        const i = titleKey.indexOf(` ${companyKey(n)} `);
        return i < 0 || !companyKey(n) ? Infinity : i;
      }),
    );
  for (const z of [lead[0], headline, deck, lead[1]]) {
    if (!z && !headline && givenTitle && parties.length < 2) {
      // In the headline's place: the companies the given title names, in its order.
      const named = entities.filter((e) => !parties.includes(e) && titleAt(e) < Infinity);
      parties.push(...named.sort((a, b) => titleAt(a) - titleAt(b)));
    }
    if (!z || parties.length >= 2) continue;
    const firstIn = (e: OrgEntity) => Math.min(...within(e, z).map((m) => m.start));
    const found = entities.filter((e) => !parties.includes(e) && within(e, z).length && !rival(e, z));
    parties.push(...found.sort((a, b) => firstIn(a) - firstIn(b)));
  }
  const repeated = entities
    .filter((e) => !parties.includes(e) && e.mentions.length >= 2)
    .sort((a, b) => b.mentions.length - a.mentions.length);
  while (parties.length < 2 && repeated.length) parties.push(repeated.shift()!);
  return parties;
}

const ROLE_VERBS: { re: RegExp; before: PartyRole; after: PartyRole }[] = [
  {
    re: /\b(?:acquir(?:e|es|ed|ing)|to buy|buys|bought|would buy|will buy|purchas(?:e|es|ed)|takes? over|take-?over of)\b/i,
    before: "acquirer",
    after: "target",
  },
  {
    re: /\b(?:rais(?:e|es|ed|ing)|secur(?:e|es|ed)|clos(?:e|es|ed))\b[^.]*?\b(?:from|led by|backed by)\b/i,
    before: "investee",
    after: "investor",
  },
  { re: /\binvest(?:s|ed|ing|ment)?\b[^.]*?\bin\b/i, before: "investor", after: "investee" },
  { re: /\blicen[cs](?:e|es|ed|ing)\b[^.]*?\bto\b/i, before: "licensor", after: "licensee" },
  {
    re: /\b(?:select(?:s|ed)?|pick(?:s|ed)?|cho(?:se|sen|oses)|taps?|tapped)\b[^.]{0,60}?\bas (?:its |the |a )?(?:[\w-]+ ){0,2}(?:supplier|vendor|provider)\b/i,
    before: "customer",
    after: "supplier",
  },
  {
    re: /\b(?:to supply|will supply|supplies|supplied|to provide|will provide)\b/i,
    before: "supplier",
    after: "customer",
  },
];

/** Roles from the first deal verb in the lead sentence: who stands before it and who after. */
export function assignRoles(lead: Sentence | null, parties: OrgEntity[]): PartyRole[] {
  const roles: PartyRole[] = parties.map(() => "partner");
  if (!lead) return roles;
  for (const { re, before, after } of ROLE_VERBS) {
    const m = re.exec(lead.text);
    if (!m) continue;
    const at = lead.start + m.index;
    // The subject is the party named last before the verb; everyone named after it is the object.
    const lastBefore = (p: OrgEntity) =>
      Math.max(-1, ...p.mentions.filter((x) => x.start >= lead.start && x.end <= at).map((x) => x.start));
    const subject = parties.reduce<OrgEntity | null>(
      (best, p) => (lastBefore(p) > (best ? lastBefore(best) : -1) ? p : best),
      null,
    );
    const sides = parties.map((p) => {
      if (p === subject) return "before";
      return p.mentions.some((x) => x.start >= at && x.end <= lead.end) ? "after" : null;
    });
    if (!sides.includes("before") || !sides.includes("after")) continue;
    return sides.map((s) => (s === "before" ? before : s === "after" ? after : "partner"));
  }
  return roles;
}
