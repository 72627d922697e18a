import type { Binding, DealType } from "@/lib/enums";
import { toMinorUnits, fromMinorUnits, isCurrency } from "@/lib/money";
import type { Sentence } from "./text";
import type { GazetteerTechnology } from "./types";
import { AREA_CATALOG } from "./new-areas";
import { labelKey } from "@/lib/names";

interface Hit {
  start: number;
  end: number;
  text: string;
  /** A zone outside the article's text (a headline given apart): offsets are into `text` alone. */
  outside?: boolean;
}

/** Developing together: what the parties will do, not the kind of agreement. */
const ACTIVITY_RD =
  /\b(?:research and development|R&D|co-develop\w*|jointly develop\w*|develop\w* and (?:sell|commerciali[sz]\w*|market)\b)\b/gi;

// Most specific first: ties go to the earlier entry, and a generic "partnership" never beats an MoU.
const TYPE_PATTERNS: [DealType, RegExp][] = [
  [
    "acquisition",
    // Buying a stake is an investment and buying power or parts a purchase, not an acquisition.
    // A majority or controlling stake is control all the same: "buy a 70 percent stake in SABIC".
    // Acquiring a minority stake or new shares is investing; buying goods, vehicles or tickets is
    // purchasing.
    /\b(?:acquir(?:e|es|ed|ing)(?! (?:(?:a |an )?(?:about |approximately |around |nearly )?[1-4]?\d(?:\.\d+)? ?(?:%|percent|per cent)|(?:a |an )?(?:minority |small )?stake\b|(?:newly[- ]issued |new )?(?:shares|stock)\b))|acquisition|(?:to buy|buys?|bought)(?! (?:[\w$.%-]+ ){0,5}(?:stake|shares|stock|energy|power|electricity|output|capacity|components|chips|cells)\b)(?! (?:up to )?(?:[\d,]+ )?(?:[\w-]+ )?(?:goods|products|items|supplies|equipment|vehicles|vans|trucks|aircraft|planes|jets|tickets)\b)(?! (?:a |an )?(?:about |approximately |around |nearly )?[1-4]?\d(?:\.\d+)? ?(?:%|percent|per cent)(?! stake))|takeover|take over|merger|merge with|purchase of|(?:buy|buys|bought|take|takes|took|acquire\w*) (?:a |an )?(?:majority|controlling|(?:5[1-9]|[6-9]\d|100)(?:\.\d+)? ?(?:%|percent|per cent)) stake)\b/gi,
  ],
  [
    "joint_venture",
    // A company set up together, or a consortium with shares in it, is a joint venture by another name.
    // Businesses merged "into a new company" (not whole companies) make one the parents own together;
    // "…, creating the world's largest publisher" says the same (issue 21, a first-run miss).
    /\b(?:joint[- ]venture|JV|(?:merg|combin)\w*\s+(?:their|its)\s+(?:[\w-]+\s+){0,3}(?:business(?:es)?|units?|operations|divisions?|arms?)\b[^.]{0,90}?\b(?:(?:into|to form|to create)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:company|venture|business|entity)|creating|forming)\b|(?:set(?:s|ting)? up|form(?:s|ed|ing)?|creat(?:e|es|ed|ing)|establish(?:es|ed|ing)?) (?:a |an )?(?:new )?(?:jointly[- ]owned )?(?:company|consortium|venture))\b/gi,
  ],
  // "concluded a memorandum under which they will examine …" is an MoU without its full name.
  ["mou", /\b(?:memo\w* of understanding|memorandum(?! of association)|MoU|MOU|letters? of intent|LOI)\b/g],
  [
    "licensing",
    // A permit ("a digital bank licence") is no licensing deal; rights to market or sell something are.
    // "an option to license" is not a licence yet; media rights to a game or a show are one.
    /\b(?:cross-licen[cs]e|(?<!\b(?:bank|banking|operating|broadcast\w*|spectrum|mining|export|import|driving|telecoms?) |\boption to )licen[cs](?:e|es|ed|ing)(?: agreement| deal)?|royalt(?:y|ies)|(?:exclusive |perpetual |global |worldwide )*rights to (?:market|sell|distribute|commerciali[sz]e|launch|stream|broadcast|show|use)\b|(?:media|broadcast(?:ing)?|streaming|TV|television|first-run|residential|distribution) rights)\b/gi,
  ],
  [
    "investment",
    // A stake given in return ("giving Lucid a stake in the company") pays for the deal; it is not one.
    /\b(?:invest(?:s|ed|ing|ment)?|(?:to buy|buys?|bought|acquir(?:e|es|ed|ing))\s+(?:(?:a|an|about|approximately|around|nearly)\s+)?(?:[1-4]?\d(?:\.\d+)?\s?(?:%|percent|per cent)|(?:[\w$.,-]+\s+){1,4}(?:stock|shares)\b)|raise[sd]?\b[^.]{0,40}\bfrom|funding round|equity stake|minority stake|equity (?:ownership|interest)|(?<!\bgiv(?:e|es|ing|en) \S+ (?:an? )?(?:[\w.%-]+ )?)stake in)\b/gi,
  ],
  [
    "rd_collaboration",
    /\b(?:R&D (?:agreement|partnership|collaboration|alliance|pact)s?|research (?:and development )?(?:agreement|partnership|collaboration|alliance|pact)s?|joint research|(?:collaboration|partnership|alliance|forces)(?: agreement| deal| pact)? to (?:jointly )?(?:research|discover|develop|co-develop|design)|(?:team(?:s|ed|ing)? up|partner(?:s|ed|ing)?|join(?:s|ed|ing)? forces) with [^.]{0,80}?\bto (?:jointly )?(?:research|discover|develop|co-develop|design)\b|work(?:s|ing)? together to (?:jointly )?(?:research|discover|develop|co-develop|design)|(?:develop|build|fly)\w* (?:a |an |the )?(?:[\w-]+ ){0,3}(?:prototype|demonstrator|test (?:aircraft|vehicle|plane|platform)))\b/gi,
  ],
  [
    "commercial_agreement",
    /\b(?:supply (?:agreement|deal|contract)|sponsorship (?:agreement|deal|contract)|(?:main|shirt|official|title|kit|jersey) sponsor\b|(?:preferred|exclusive|sole|main|primary) (?:supplier|vendor)|commercial agreement|purchase agreement|distribution agreement|reseller agreement|contract (?:to|with)|(?:will|to|would) supply|(?:processing partner|processor)\b|order(?:s|ed)? (?:for )?(?:up to )?\d[\d,]*\b|(?:select(?:s|ed)?|pick(?:s|ed)?|cho(?:se|sen|oses)|taps?|tapped)\b[^.]{0,60}?\bas (?:its |the |a )?(?:[\w-]+ ){0,2}(?:supplier|vendor|provider))\b/gi,
  ],
  [
    "strategic_partnership",
    /\b(?:strategic (?:partnership|alliance|collaboration|cooperation)|partnership|alliance|team(?:s|ed|ing)? up|partner(?:s|ed)? with|collaborat\w+|cooperat\w+|tie-up|join(?:s|ed)? hands)\b/gi,
  ],
  // What the parties will do together only decides the type when no agreement is named.
  ["rd_collaboration", ACTIVITY_RD],
];

const WORKING_TOGETHER =
  /\b(?:work(?:s|ing)? (?:together|jointly|closely)|join(?:s|ed|ing)? forces|teaming up|team(?:s|ed)? up|partner(?:s|ed|ing)? (?:with|on))\b/gi;

/** Types that name a kind of agreement: not investing, a generic partnership or work done together. */
const SPECIFIC = TYPE_PATTERNS.filter(
  ([t], i) => t !== "investment" && t !== "strategic_partnership" && i < TYPE_PATTERNS.length - 1,
);

/** The first sentence of `zones` that names a specific kind of agreement, with that kind. */
function firstSpecific(zones: Hit[], except: DealType[] = []): { type: DealType; hit: Hit } | null {
  for (const z of zones) {
    for (const [type, re] of SPECIFIC) {
      if (except.includes(type)) continue;
      re.lastIndex = 0;
      const m = re.exec(z.text);
      if (m)
        return {
          type,
          hit: {
            start: z.start + m.index,
            end: z.start + m.index + m[0].length,
            text: z.text,
            outside: z.outside,
          },
        };
    }
  }
  return null;
}

/** The first place `zones` say the parties develop something together, as an R&D collaboration. */
function activity(zones: Hit[]): { type: DealType; hit: Hit } | null {
  for (const z of zones) {
    ACTIVITY_RD.lastIndex = 0;
    const m = ACTIVITY_RD.exec(z.text);
    if (m) {
      const start = z.start + m.index;
      return {
        type: "rd_collaboration",
        hit: { start, end: start + m[0].length, text: z.text, outside: z.outside },
      };
    }
  }
  return null;
}

export interface TypeResult {
  types: DealType[];
  primaryHit: Hit | null;
  confidence: number;
}

/** Primary type from the headline and lead (most specific wins); further types from the whole text. */
export function classifyTypes(
  text: string,
  headline: Hit | null,
  lead: Sentence[],
  body: Sentence[],
): TypeResult {
  const zones: Hit[] = [...(headline ? [headline] : []), ...lead];
  let primary: { type: DealType; hit: Hit; word?: string } | null = null;
  // The headline and first sentence say what the deal is; later sentences only when they do not.
  const first = headline ? 2 : 1;
  for (const tier of [zones.slice(0, first), zones.slice(first)]) {
    for (const [type, re] of TYPE_PATTERNS) {
      for (const z of tier) {
        re.lastIndex = 0;
        const m = re.exec(z.text);
        if (m) {
          primary = {
            type,
            word: m[0],
            hit: {
              start: z.start + m.index,
              end: z.start + m.index + m[0].length,
              text: z.text,
              outside: z.outside,
            },
          };
          break;
        }
      }
      if (primary) break;
    }
    if (primary) break;
  }
  // A bare "partnership" up front says less than the kind of agreement the next sentence names
  // ("has signed its first partnerships … The company agreed research collaborations …").
  if (primary?.type === "strategic_partnership" && !/^strategic/i.test(primary.word ?? "")) {
    // The sentence after the lead too, where an acquisition is more often backstory than the deal.
    // Then a collaboration (not a partnership) whose headline or lead says the parties develop together
    // is R&D (issue 21: "a collaboration agreement to jointly develop and commercialize"); then the
    // first paragraphs, where a supply or licence behind a "teaming up" lead is named.
    const found =
      firstSpecific(zones.slice(first)) ??
      firstSpecific(body.slice(0, 1), ["acquisition"]) ??
      (/^collaborat/i.test(primary.word ?? "") ? activity(zones) : null) ??
      firstSpecific(body.slice(1, 4), ["acquisition", "joint_venture"]);
    if (found) primary = found;
  }
  if (!primary) {
    // A deal of unstated kind: the agreement the rest of the article names ("extend the licensing
    // agreement"), else supplying or selling is commercial, anything else a partnership.
    for (const z of zones) {
      const m = /\b(?:agreement|deal|pact|contract|accord)\b/i.exec(z.text);
      if (!m) continue;
      const named = firstSpecific(body, ["acquisition"]);
      if (named) return { types: [named.type], primaryHit: named.hit, confidence: 0.4 };
      const commercial =
        /\b(?:suppl(?:y|ies)|deploy\w*|provide\w*|sell\w*|purchas\w*|buy|orders?|shar(?:e|es|ing)|distribut\w*|resell\w*|contract|components|parts)\b/i.test(
          z.text,
        );
      const hit = {
        start: z.start + m.index,
        end: z.start + m.index + m[0].length,
        text: z.text,
        outside: z.outside,
      };
      return {
        types: [commercial ? "commercial_agreement" : "strategic_partnership"],
        primaryHit: hit,
        confidence: 0.4,
      };
    }
    // Nothing in the headline or lead: the rest of the article names the deal, or says the
    // companies work together (issue 21: "are working together to optimize …" had no type).
    const tries: [DealType, RegExp, Hit[]][] = [
      ["strategic_partnership", WORKING_TOGETHER, zones],
      ...TYPE_PATTERNS.map(([t, re]): [DealType, RegExp, Hit[]] => [t, re, body]),
      ["strategic_partnership", WORKING_TOGETHER, body],
    ];
    for (const [type, re, within] of tries) {
      for (const z of within) {
        re.lastIndex = 0;
        const m = re.exec(z.text);
        if (!m) continue;
        const hit = {
          start: z.start + m.index,
          end: z.start + m.index + m[0].length,
          text: z.text,
          outside: z.outside,
        };
        return { types: [type], primaryHit: hit, confidence: 0.3 };
      }
    }
  }
  const counts = new Map<DealType, number>();
  for (const [type, re] of TYPE_PATTERNS) {
    for (const s of [...zones, ...body]) {
      re.lastIndex = 0;
      counts.set(type, (counts.get(type) ?? 0) + (s.text.match(re)?.length ?? 0));
    }
  }
  const types: DealType[] = primary ? [primary.type] : [];
  // A secondary type needs the lead or repeated mentions; "strategic partnership" wording always counts.
  for (const [type] of TYPE_PATTERNS) {
    if (types.includes(type) || type === "acquisition") continue;
    const inLead = zones.some((z) =>
      TYPE_PATTERNS.some(([t, re]) => t === type && new RegExp(re.source, "i").test(z.text)),
    );
    if ((inLead && type !== "investment") || (counts.get(type) ?? 0) >= 3) types.push(type);
  }
  if (primary?.type === "acquisition" || primary?.type === "joint_venture") {
    // An acquisition or JV is not also a "partnership" just because the press release says so.
    return {
      types: types.filter((t) => t === primary.type || t === "investment"),
      primaryHit: primary.hit,
      confidence: 0.8,
    };
  }
  return {
    types,
    primaryHit: primary?.hit ?? null,
    confidence: primary ? (primary.hit.start < (lead[0]?.end ?? 0) + 1 ? 0.8 : 0.6) : 0,
  };
}

/** An MoU or letter of intent is non-binding unless the text says the agreement binds. */
export function classifyBinding(zones: Hit[], types: DealType[]): { binding: Binding; hit: Hit | null } {
  const find = (re: RegExp): Hit | null => {
    for (const z of zones) {
      const m = re.exec(z.text);
      if (m) return { start: z.start + m.index, end: z.start + m.index + m[0].length, text: z.text };
    }
    return null;
  };
  const non = find(/\b(?:non-binding|nonbinding|not (?:legally )?binding)\b/i);
  if (non) return { binding: "non_binding", hit: non };
  const yes = find(
    /\b(?:legally binding|binding (?:agreement|contract|letter|term sheet)|definitive (?:agreement|merger agreement))\b/i,
  );
  if (yes) return { binding: "binding", hit: yes };
  if (types.includes("mou")) return { binding: "non_binding", hit: null };
  return { binding: "unknown", hit: null };
}

/**
 * Synonyms for common technology areas, keyed by the area's label key; an area the gazetteer lacks
 * is never produced. Case-sensitive entries are acronyms.
 */
export const DEFAULT_SYNONYMS: Record<string, string[]> = {
  "5g": ["5G", "5G SA", "5G NR", "5G-Advanced", "fifth-generation", "fifth generation"],
  "6g": ["6G", "sixth-generation"],
  ai: ["AI", "artificial intelligence", "generative AI", "GenAI", "machine learning", "A.I."],
  cloud: ["cloud", "multicloud", "multi-cloud", "hybrid cloud", "Azure", "AWS", "cloud computing"],
  iot: ["IoT", "internet of things", "Internet of Things", "M2M", "IIoT"],
  "edge computing": [
    "edge computing",
    "edge cloud",
    "MEC",
    "multi-access edge",
    "edge platform",
    "edge platforms",
    "at the edge",
    "edge services",
  ],
  "big data": ["big data", "data analytics", "analytics platform"],
  "data centers": ["data center", "data centers", "data centre", "data centres", "datacenter", "datacenters"],
  semiconductors: [
    "semiconductor",
    "semiconductors",
    "chip",
    "chips",
    "chipmaker",
    "chipset",
    "chipsets",
    "system-on-chip",
    "system-on-chips",
    "SoC",
    "SoCs",
    "foundry",
    // Not "silicon": it names anode materials, photonics and a valley as often as chips.
    "processors",
  ],
  "smart factory": ["smart factory", "smart factories", "smart manufacturing", "Industry 4.0"],
  "media & entertainment": [
    "media and entertainment",
    "media & entertainment",
    "media entertainment",
    "entertainment",
    "streaming service",
    "streaming services",
    "video streaming",
    "live programming",
    // Issue 21 (blind-3): how news names the business without the words "media" or "entertainment".
    "streaming platform",
    "streaming platforms",
    "streaming deal",
    "streaming rights",
    "media rights",
    // Issue 21 (first-run misses): rights and deals for television named without "media".
    "TV deal",
    "TV deals",
    "TV rights",
    "television rights",
    "broadcasting rights",
    "broadcast rights",
    "live television",
    "television service",
    "pay TV",
    "pay-TV",
    "film library",
    "film studio",
    "filmmakers",
    "TV shows",
    "television shows",
  ],
  "productivity software": [
    "productivity software",
    "Office 365",
    "Microsoft 365",
    "Microsoft Office",
    "business software",
    "productivity suite",
  ],
  smartphones: [
    "smartphone",
    "smartphones",
    "handset",
    "handsets",
    "mobile phone",
    "mobile phones",
    "Windows Phone",
    "iPhone",
    "iPhones",
    "Android phone",
    "Android phones",
  ],
  "large language models": [
    "large language model",
    "large language models",
    "LLM",
    "LLMs",
    "foundation model",
    "foundation models",
  ],
  "network virtualization": [
    "network virtualization",
    "network virtualisation",
    "NFV",
    "virtualized network functions",
    "software-defined networking",
    "SDN",
  ],
  "open ran": ["Open RAN", "O-RAN", "OpenRAN"],
  "ai-ran": ["AI-RAN"],
  "optical networking": [
    "optical networking",
    "optical network",
    "optical networks",
    "fiber-optic",
    "fibre-optic",
  ],
  cybersecurity: [
    "cybersecurity",
    "cyber security",
    "cyber-security",
    "identity management",
    "digital security",
    "identity and access management",
    "security software",
    "cyberattacks",
    "cyber threats",
  ],
  quantum: ["quantum computing", "quantum"],
  metaverse: ["metaverse"],
  "ar/vr": ["AR/VR", "augmented reality", "virtual reality", "mixed reality", "XR"],
  "e-commerce": [
    "e-commerce",
    "ecommerce",
    "online shopping",
    "online retail",
    "online retailer",
    "online grocer",
    "online grocery",
    "online marketplace",
    // A company's own marketplace; a capitalised "Marketplace" is a product's name (Microsoft's).
    "its marketplace",
    "our marketplace",
    "marketplaces",
    "online store",
    "online stores",
  ],
  // "chat apps", "workplace chat products": how news names messaging (issue 21 first-run misses).
  messaging: [
    "messaging",
    "RCS",
    "chat app",
    "chat apps",
    "chat products",
    "chat business",
    "team chat",
    "workplace chat",
  ],
  "digital financial services": [
    "digital financial services",
    "digital bank",
    "digital banks",
    "digital banking",
    "mobile banking",
    "neobank",
    "digital wallet",
    "e-wallet",
    "mobile payments",
    "digital payments",
    "fintech",
    "mobile money",
    "payments network",
    "payment network",
    "payments processing",
    "payment processing",
    "payments company",
    "payments firm",
    "payment services",
    "payments services",
    "payments business",
    "payments platform",
    "credit card",
    "credit cards",
    "debit cards",
    "card network",
    "card networks",
    "digital wallets",
  ],
  "communications platforms": [
    "communications platform",
    "communications platforms",
    "CPaaS",
    "network APIs",
  ],
};

const CATALOG_BY_KEY = new Map(Object.entries(AREA_CATALOG).map(([name, terms]) => [labelKey(name), terms]));

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface TechHit {
  name: string;
  hit: Hit;
  count: number;
}

/** Technology areas named in the text, on word boundaries, in order of first mention. */
interface TechMatcher {
  /** Every term of every area in one alternation, longest first; case-sensitive terms are acronyms. */
  exact: RegExp | null;
  caseless: RegExp | null;
  areaOf: Map<string, string>;
}
// Built once per technology list: one pass over the text instead of one per synonym.
const matchers = new WeakMap<GazetteerTechnology[], TechMatcher>();

function matcherFor(technologies: GazetteerTechnology[]): TechMatcher {
  const cached = matchers.get(technologies);
  if (cached) return cached;
  const exact: string[] = [];
  const caseless: string[] = [];
  const areaOf = new Map<string, string>();
  for (const t of technologies) {
    for (const term of new Set([
      t.name,
      ...(t.synonyms ?? []),
      ...(DEFAULT_SYNONYMS[labelKey(t.name)] ?? []),
      // An area first proposed from the catalog keeps the catalog's words once it exists.
      ...(CATALOG_BY_KEY.get(labelKey(t.name)) ?? []),
    ])) {
      const caseSensitive = term.length <= 4 || /[A-Z].*[A-Z]/.test(term);
      const key = caseSensitive ? term : term.toLowerCase();
      if (areaOf.has(key)) continue;
      areaOf.set(key, t.name);
      (caseSensitive ? exact : caseless).push(term);
    }
  }
  const build = (terms: string[], flags: string) =>
    terms.length
      ? new RegExp(
          `(?<![\\p{L}\\p{N}])(?:${terms
            .sort((a, b) => b.length - a.length)
            .map(esc)
            .join("|")})(?![\\p{L}\\p{N}])`,
          flags,
        )
      : null;
  const m = { exact: build(exact, "gu"), caseless: build(caseless, "giu"), areaOf };
  matchers.set(technologies, m);
  return m;
}

export function findTechnologies(text: string, zones: Hit[], technologies: GazetteerTechnology[]): TechHit[] {
  const { exact, caseless, areaOf } = matcherFor(technologies);
  const found = new Map<string, { hit: Hit; places: Set<number> }>();
  for (const z of zones) {
    for (const [re, fold] of [
      [exact, false],
      [caseless, true],
    ] as const) {
      if (!re) continue;
      for (const m of z.text.matchAll(re)) {
        const area = areaOf.get(fold ? m[0].toLowerCase() : m[0]);
        if (!area) continue;
        // "a smartphone app" is how a service is used, not a device the deal is about.
        const tail = z.text.slice(m.index + m[0].length, m.index + m[0].length + 14);
        if (labelKey(area) === "smartphones" && /^[\s-]+(?:apps?|applications?)\b/i.test(tail)) continue;
        const start = z.start + m.index;
        const entry = found.get(area);
        // Distinct places: the area's name and a synonym may both match the same words.
        if (entry) {
          entry.places.add(start);
          if (start < entry.hit.start) entry.hit = { start, end: start + m[0].length, text: z.text };
        } else
          found.set(area, {
            hit: { start, end: start + m[0].length, text: z.text },
            places: new Set([start]),
          });
      }
    }
  }
  return [...found]
    .map(([name, { hit, places }]) => ({ name, hit, count: places.size }))
    .sort((a, b) => a.hit.start - b.hit.start);
}

const SYMBOLS: Record<string, string> = {
  $: "USD",
  US$: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₩": "KRW",
};
const SCALE: Record<string, number> = {
  thousand: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};
const WORD_CURRENCY: Record<string, string> = {
  won: "KRW",
  yen: "JPY",
  euros: "EUR",
  euro: "EUR",
  dollars: "USD",
  pounds: "GBP",
  yuan: "CNY",
};

/** The deal's disclosed value: the first amount in the lead, as a decimal string in its currency. */
export function findValue(lead: Sentence[]): { amount: string; currency: string; hit: Hit } | null {
  const re =
    /(US\$|\$|€|£|¥|₩|\b(?:USD|EUR|GBP|JPY|KRW|CNY|SEK|CHF|INR)\s?)(\d[\d,]*(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|mn|bn|tn|m|b)\b)?|\b(\d[\d,]*(?:\.\d+)?)\s?(thousand|million|billion|trillion)?\s?(won|yen|euros?|dollars|pounds|yuan)\b/gi;
  for (const s of lead) {
    for (const m of s.text.matchAll(re)) {
      const before = s.text.slice(Math.max(0, m.index - 30), m.index);
      // Share prices, valuations and earlier deals are not the deal's value.
      if (
        /\b(?:per share|valuing\b[^.]{0,40}|valuation of|revenue of|sales of)\s*$/i.test(before) ||
        /^\s*(?:per share|a share)/.test(s.text.slice(m.index + m[0].length))
      )
        continue;
      const symbol = (m[1] ?? "").trim();
      const currency = symbol
        ? (SYMBOLS[symbol] ?? symbol.toUpperCase())
        : WORD_CURRENCY[m[6]!.toLowerCase()]!;
      const number = Number((m[2] ?? m[4])!.replace(/,/g, ""));
      const scale = SCALE[(m[3] ?? m[5] ?? "").toLowerCase()] ?? 1;
      if (!isCurrency(currency) || !Number.isFinite(number)) continue;
      const minor = toMinorUnits((number * scale).toFixed(0), currency);
      if (minor === null) continue;
      const start = s.start + m.index;
      return {
        amount: fromMinorUnits(minor, currency),
        currency,
        hit: { start, end: start + m[0].length, text: s.text },
      };
    }
  }
  return null;
}
