import type { CandidateKind } from "@/lib/enums";
import type { ExtractResult } from "@/lib/extract/types";

// How a feed item is read: a deal announced, a change to a recorded deal, a rumour, or not a deal.
// Cues are weighted by where they stand: the headline and the first sentence say what an item is
// about; a cue deep in the body (a results release that mentions an old partnership) weighs little.

export type StatusChange = "terminated" | "expanded" | "completed";

export interface NewsReading {
  kind: CandidateKind;
  /** 0–100: how sure the reading is that this is what `kind` says. */
  score: number;
  /** Why, in words, for the analyst. */
  reason: string;
  /** The sentence that decided it. */
  passage: string | null;
  change: StatusChange | null;
}

export interface NewsItemText {
  title: string;
  /** The item's plain text, paragraphs split by blank lines. */
  text: string;
}

type Cue = { re: RegExp; label: string };

const NOT_DEAL: Cue[] = [
  {
    // Results named as the occasion of other news ("announced alongside its quarterly results") are
    // not what the item reports.
    re: /\b(?<!\b(?:alongside|along with|together with|with|at) (?:its |their |the |the company's )?)(?:financial results|quarterly results|(?:first|second|third|fourth) quarter (?:and full[- ]year )?(?:\d{4} )?(?:fiscal \d{4} )?results|full[- ]year results|(?:reports?|reported|posts?|posted) (?:a )?(?:record )?(?:[\w-]+ ){0,2}(?:revenue|earnings|profits?|loss|sales|deliveries|shipments))\b/i,
    label: "financial results",
  },
  {
    re: /\b(?:unveil(?:s|ed)?|launch(?:es|ed)?|introduc(?:es|ed)|rolls? out|starts? deliveries|debuts?)\b(?![^.]{0,40}\b(?:joint venture|partnership|alliance|industry body|forum)\b)/i,
    label: "a product launch",
  },
  {
    re: /\b(?:appoint(?:s|ed)?|elects?|names?|named|hires?|promot(?:es|ed))\b[^.]{0,60}\b(?:chief executive|CEO|chairman|chair|president|CFO|CTO|director|officer)\b|\bsteps? down\b|\bresigns?\b/i,
    label: "an appointment",
  },
  {
    re: /\b(?:sues?|su(?:ed|ing)|lawsuit|files? suit|antitrust (?:suit|case)|court ruling|patent (?:dispute|infringement))\b/i,
    label: "a lawsuit",
  },
  { re: /^(?:opinion|analysis|column|commentary|editorial)\b|\bI have seen\b/im, label: "an opinion piece" },
  {
    // A regulator acting on a deal is news about it, not the deal (an unwinding order is a change).
    re: /\b(?:regulators?|watchdog|competition (?:authority|regulator)|antitrust (?:authorit(?:y|ies)|regulators?)|European Commission|FTC|CMA)\b[^.]{0,60}\b(?:block(?:s|ed)?|fine[sd]?|prob(?:e|es|ing)|investigat(?:es|ing|ion)|challeng(?:es|ed)|sues?)\b|\b(?:fine[sd]|fining)\b[^.]{0,40}\b(?:billion|million|euros?|dollars?|\$)/i,
    label: "a regulator's action",
  },
  { re: /\b(?:outage|crash(?:es|ed)?|blue (?:error )?screen|cyberattack|breach)\b/i, label: "an outage" },
  {
    re: /\brecall(?:s|ed|ing)?\b[^.]{0,40}\b(?:vehicles|cars|units|devices|products|models|SUVs)\b|\bexpands? (?:a |its )?recall\b/i,
    label: "a recall",
  },
  {
    re: /\b(?:cut|cuts|cutting|lay(?:s|ing)? off|layoffs?|slash(?:es)?)\b[^.]{0,30}\b(?:jobs|workers|staff|employees|positions)\b/i,
    label: "layoffs",
  },
  {
    re: /\bshares? (?:jump|jumps|jumped|rose|fell|soar|soared|slump|slumped|surge|surged|drop|dropped)\b|\b(?:IPO|stock market debut|Nasdaq debut|listing debut)\b/i,
    label: "a stock move",
  },
  {
    re: /\b(?:changes? (?:its )?(?:company )?name|renam(?:es|ed|ing)|rebrand(?:s|ed|ing)?)\b/i,
    label: "a rebrand",
  },
  { re: /\b(?:partner program(?:me)?s?)\b/i, label: "a partner programme" },
  {
    re: /\b(?:plans? (?:for )?a (?:[\w-]+ ){0,3}(?:plant|factory|fab|megafab|campus|data cent(?:er|re))|build (?:a |its )?(?:[\w-]+ ){0,4}(?:manufacturing complex|plant|factory|fab))\b/i,
    label: "its own facility",
  },
  {
    // Money a company puts into its own project (a mine, a plant) names one party: not a deal.
    re: /\b(?:approv(?:es|ed)|sanction(?:s|ed)|green-?light(?:s|ed)?)\b[^.]{0,40}\b(?:investment|expansion|development)\b[^.]{0,40}\b(?:project|mine|plant|factory|site|facility)\b|\bto expand its (?:[\w-]+ ){0,4}(?:project|mine|plant|factory|site|facility)\b/i,
    label: "its own project",
  },
];

const RUMOUR: Cue[] = [
  {
    re: /\b(?:in (?:early |advanced |exclusive )?talks (?:to|with|about|over)|said to (?:be|have)|reportedly|people familiar|familiar with the matter|according to (?:people|sources|a report)|is considering|are considering|weighs? (?:a )?(?:bid|offer|deal)|approached\b[^.]{0,40}\babout)\b/i,
    label: "reported talks, not an announcement",
  },
];

const CHANGES: (Cue & { change: StatusChange })[] = [
  {
    // "end" the verb, not the adjective of an "end-to-end deal"; and told noun first ("X's purchase of
    // Y is called off", "its agreement … has been terminated").
    re: /(?:\b(?<!-)end(?:s|ed)?(?![\w-])|\b(?:terminat(?:es|ed|ing)|call(?:s|ed)? off|abandon(?:s|ed)?|scrap(?:s|ped)?|walk(?:s|ed)? away from|unwind(?:s)?|dissolv(?:es|ed))\b)[^.]{0,80}\b(?:agreement|deal|partnership|alliance|venture|merger|acquisition|transaction)\b|\b(?:agreement|deal|partnership|alliance|venture|merger|acquisition|purchase|takeover|transaction)\b[^.]{0,80}\b(?:is|was|are|were|has been|have been|had been) (?:called off|terminated|abandoned|scrapped|dissolved|cancell?ed)\b/i,
    label: "an existing deal ends",
    change: "terminated",
  },
  {
    re: /\b(?:complet(?:es|ed)|clos(?:es|ed)|finali[sz](?:es|ed))\b[^.]{0,30}\b(?:acquisition|purchase|merger|takeover|transaction|deal)\b/i,
    label: "an existing deal is completed",
    change: "completed",
  },
  {
    // "…expand their relationship into a partnership" makes a new deal of a looser tie: not a change.
    re: /\b(?:widen|widens|widened|broaden|broadens|broadened|expand|expands|expanded|extend|extends|extended|deepen|deepens|deepened)\b[^.]{0,60}\b(?:long-running|long-standing|existing|decade-long|their|its) (?:[\w-]+ ){0,2}(?:partnership|collaboration|alliance|relationship|agreement)\b(?![^.]{0,20}\binto an? (?:[\w-]+ ){0,3}(?:partnership|alliance|joint venture|agreement|collaboration|company)\b)|\b(?:collaboration|partnership|alliance) that dates back\b|\b(?:amend(?:s|ed|ing)?|an amendment to) (?:their|its|the) (?:[\w-]+ ){0,2}(?:collaboration|partnership|alliance|agreement|licen[cs]e)\b/i,
    label: "an existing deal grows",
    change: "expanded",
  },
];

// The verbs and nouns announcements use: buying, merging, supplying, licensing, working together.
const DEAL_CUE =
  /\b(?:agreement|agree[sd]?|sign(?:s|ed)?|deal|contract|joint venture|venture|partnership|partner(?:s|ed)? with|alliance|tie-up|team(?:s|ed)? up|join(?:s|ed)? forces|collaborat\w+|co-develop\w*|co-commerciali[sz]\w*|acquir\w+|acquisition|(?:to )?buy(?:s|ing)?(?! back)|bought|purchas(?:e|es|ed|ing)|takes? over|takeover|merg(?:e|es|ed|er|ing)|stake|invest(?:s|ed|ment)?|licen[cs]\w*|rights to|memorandum|MoU|industry body|forum|consortium|form(?:s|ed)?|(?:select|choos|pick)(?:s|es|ed)?\b[^.]{0,60}\b(?:as (?:its |a |the )?(?:[\w-]+ ){0,2}(?:partner|supplier|provider|vendor)|to (?:supply|provide|build|deploy|modernise|modernize|upgrade|run|power))|chose|will take the output|primary cloud provider|run (?:its|their) [\w -]{0,40} in the [\w ]{0,20}cloud)\b/i;

// A results release may carry a deal of its own, told after the figures ("AMD also announced a joint
// venture with …"): a new deal announced in so many words, anywhere in the body.
const ANNOUNCED_DEAL =
  /\b(?:also |separately |today |additionally )?(?:announced|announces|signed|signs|agreed|entered into|formed|forms|struck|strikes)\b[^.]{0,20}\b(?:a|an)\s+(?:[\w$.,-]+\s+){0,3}(?:joint venture|partnership|agreement|alliance|licen[cs]e|licensing (?:deal|agreement)|collaboration|acquisition)\s+(?:with|of|to)\b/i;

// Two named companies that plan or agree to do something together, as headlines put it.
const JOINT_PLAN =
  /\b[A-Z][\w.&-]+(?: [A-Z][\w.&-]+)? (?:and|,) [A-Z][\w.&-]+(?: [A-Z][\w.&-]+)? (?:plan|plans|agree|agreed|will|to) /;

const FUNDING =
  /\b(?:rais(?:es|ed|ing)|closes?|secur(?:es|ed))\b[^.]{0,40}\b(?:round|funding|Series [A-Z]|\$\s?[\d.,]+\s?(?:m|bn|million|billion))\b/i;
const CORPORATE_BACKERS =
  /\b(?:also invested|invested alongside|participated|joined the round|strategic investors?|corporate investors?)\b/i;

function sentences(text: string): string[] {
  return text
    .split(/\n\s*\n|(?<=[.!?])\s+(?=[A-Z“"])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Headline ×3, first sentence ×2, the second ×1, deeper sentences ×0.25. */
function weigh(zones: string[], re: RegExp): { weight: number; passage: string | null } {
  const weights = [3, 2, 1];
  let weight = 0;
  let passage: string | null = null;
  zones.forEach((zone, i) => {
    if (!re.test(zone)) return;
    weight += weights[i] ?? 0.25;
    passage ??= zone;
  });
  return { weight, passage };
}

/** The first sentence announcing a new deal with a named counterparty ("… a joint venture with Tianjin …"). */
function announcedDeal(sentences: string[]): string | null {
  for (const sentence of sentences) {
    const m = ANNOUNCED_DEAL.exec(sentence);
    if (m && /^\s*(?:the\s+)?\p{Lu}/u.test(sentence.slice(m.index + m[0].length))) return sentence;
  }
  return null;
}

const clamp = (n: number) => Math.max(0, Math.min(100, Math.round(n)));

/** Reads one feed item, given what the extractor drafted from it. Pure: same input, same reading. */
export function classifyNews(item: NewsItemText, extracted: ExtractResult): NewsReading {
  const zones = [item.title, ...sentences(item.text)];
  const draft = extracted.draft;
  const parties = new Set(draft.parties.map((p) => p.company.toLowerCase())).size;
  const deal = weigh(zones, DEAL_CUE);
  // A deal in the headline or lead is what the item is about, whatever else it mentions.
  const leadDeal = weigh(zones.slice(0, 3), DEAL_CUE).weight + weigh(zones.slice(0, 1), JOINT_PLAN).weight;

  for (const cue of CHANGES) {
    const hit = weigh(zones.slice(0, 3), cue.re);
    if (hit.weight >= 2)
      return {
        kind: "status_change",
        score: clamp(50 + hit.weight * 8 + (parties >= 2 ? 10 : 0)),
        reason: `Reads as a status change: ${cue.label}`,
        passage: hit.passage,
        change: cue.change,
      };
  }
  for (const cue of RUMOUR) {
    const hit = weigh(zones.slice(0, 3), cue.re);
    if (hit.weight >= 2)
      return {
        kind: "rumour",
        score: clamp(50 + hit.weight * 8),
        reason: `A rumour: ${cue.label}`,
        passage: hit.passage,
        change: null,
      };
  }

  const funding = weigh(zones.slice(0, 2), FUNDING);
  if (funding.weight >= 2) {
    const backers = weigh(zones, CORPORATE_BACKERS);
    if (backers.weight === 0 || (parties < 2 && backers.weight === 0))
      return {
        kind: "not_deal",
        score: clamp(60 + funding.weight * 5),
        reason: "A funding round with venture investors only: no corporate party",
        passage: funding.passage,
        change: null,
      };
    return {
      kind: "deal",
      score: clamp(55 + backers.weight * 5),
      reason: "A funding round with corporate investors",
      passage: backers.passage,
      change: null,
    };
  }

  let negative: { weight: number; passage: string | null; label: string } | null = null;
  // A headline that announces a deal and nothing else decides: a launch in the body is the deal's.
  const headlineDeal = DEAL_CUE.test(item.title) || JOINT_PLAN.test(item.title);
  for (const cue of headlineDeal && !NOT_DEAL.some((c) => c.re.test(item.title)) ? [] : NOT_DEAL) {
    const hit = weigh(zones.slice(0, 3), cue.re);
    if (hit.weight > (negative?.weight ?? 0)) negative = { ...hit, label: cue.label };
  }
  const typed = draft.types.length > 0;
  let dealWeight = leadDeal + (typed ? 1.5 : 0) + (parties >= 2 ? 2 : parties === 1 ? 0.5 : -2);
  // A negative cue in the headline outweighs a deal cue in the body, not one in the headline.
  const negWeight = negative ? negative.weight * 1.6 : 0;
  dealWeight -= negWeight;
  if (negative?.label === "financial results") {
    const announced = announcedDeal(zones.slice(1));
    if (announced)
      return {
        kind: "deal",
        score: clamp(45 + Math.min(parties, 2) * 5),
        reason:
          parties >= 2
            ? `A results release that also announces a deal between ${draft.parties.map((p) => p.company).join(", ")}`
            : "A results release that also announces a deal, but its parties were not all recognised",
        passage: announced,
        change: null,
      };
  }
  if (negative && dealWeight < 3.5)
    return {
      kind: "not_deal",
      score: clamp(55 + negWeight * 6),
      reason: `Not a deal: ${negative.label}`,
      passage: negative.passage,
      change: null,
    };
  if (dealWeight >= 3.5 && parties >= 1 && deal.weight + leadDeal > 0)
    return {
      kind: "deal",
      score: clamp(30 + dealWeight * 8),
      reason:
        parties >= 2
          ? `A deal between ${draft.parties.map((p) => p.company).join(", ")}`
          : "A deal, but only one party was recognised",
      passage: weigh(zones.slice(0, 3), DEAL_CUE).passage ?? deal.passage,
      change: null,
    };
  return {
    kind: "not_deal",
    score: clamp(60 - dealWeight * 5),
    reason:
      parties < 2
        ? "Not a deal: fewer than two companies take part"
        : "Not a deal: no agreement is announced",
    passage: zones[1] ?? null,
    change: null,
  };
}
