import { companyKey } from "@/lib/names";
import { PASTED_TEXT_PUBLISHER } from "@/lib/enums";
import { classifyBinding, classifyTypes, findTechnologies, findValue } from "./classify";
import { datelineLength, findAnnouncementDate, findPublicationDate } from "./dates";
import { proposeNewAreas } from "./new-areas";
import {
  addShortForms,
  assignRoles,
  capitalised,
  clusterMentions,
  findGazetteerMentions,
  findOrgCandidates,
  preferNamedCompany,
  selectParties,
  stylisedNames,
  type OrgMention,
} from "./parties";
import { findQuotes, indexPeople, type OrgLookup, type Person } from "./quotes";
import {
  buildCompanyIndex,
  editDistance,
  matchCompany,
  resolveCompanies,
  type CompanyIndex,
} from "./resolve";
import { classifyBlocks, findHeadline, splitBlocks, splitSentences, type Block, type Sentence } from "./text";
import type {
  Draft,
  Evidence,
  ExtractInput,
  ExtractResult,
  Extractor,
  Gazetteer,
  KnownSpeaker,
} from "./types";

const evidenceOf = (text: string, start: number, end: number, confidence: number) => ({
  snippet: text.slice(start, end),
  start,
  end,
  confidence,
});

/** "Toyota, Panasonic to form EV battery joint venture | AutoWire" → the headline alone. */
export function cleanTitle(title: string, publisher?: string | null): string {
  let t = title
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(?:subject|fwd?|re):\s*/i, "");
  const parts = t.split(/\s+[|–—-]\s+|\s+::\s+/);
  if (parts.length > 1) {
    const last = parts[parts.length - 1]!;
    if ((publisher && companyKey(last) === companyKey(publisher)) || last.split(" ").length <= 4)
      t = parts.slice(0, -1).join(" - ");
  }
  return t.replace(/\s*\.{3}$|…$/, "");
}

/** Cuts at a word boundary to the API's length limits. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2))}…`;
}

/** A hit in a headline given apart is shown where the text uses the same words, if it does. */
function inText(
  text: string,
  hit: { start: number; end: number; text: string; outside?: boolean },
): { start: number; end: number } | null {
  if (!hit.outside) return hit;
  const words = hit.text.slice(hit.start, hit.end).toLowerCase();
  const at = text.toLowerCase().indexOf(words);
  return at < 0 ? null : { start: at, end: at + words.length };
}

/** Companies a separate headline names, placed where the text first names them. */
function titleMentions(
  text: string,
  title: string,
  kept: { text: string; start: number; end: number }[],
  gazetteer: Gazetteer,
  known: OrgMention[],
): OrgMention[] {
  const sentence = { text: title, start: 0, end: title.length, block: -1 };
  const inTitle = findGazetteerMentions(title, gazetteer.companies);
  const names = [...inTitle, ...findOrgCandidates(title, sentence, inTitle)].map((m) => m.text);
  const out: OrgMention[] = [];
  for (const name of names) {
    const re = new RegExp(
      `(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`,
      "u",
    );
    for (const b of kept) {
      const m = re.exec(b.text);
      if (!m) continue;
      const start = b.start + m.index;
      const end = start + m[0].length;
      if (![...known, ...out].some((k) => start < k.end && end > k.start))
        out.push({ text: m[0], start, end, ref: null });
      break;
    }
  }
  return out;
}

/**
 * A headline drafted from the lead sentence: its main clause, without the attribution ("…, the
 * companies said on Tuesday") or what follows a relative clause, cut to about twelve words.
 */
export function headlineFromLead(
  lead: Sentence | null,
): { title: string; start: number; end: number } | null {
  if (!lead) return null;
  const text = lead.text.replace(/^[\s,;:—–-]+/, "");
  const start = lead.start + (lead.text.length - text.length);
  const cut =
    /,\s+(?:the (?:two )?compan(?:y|ies)|the (?:two|three) (?:firms|groups)|\p{Lu}[\p{L}.-]*(?: \p{Lu}[\p{L}.-]*)*)\s+(?:said|says|announced|confirmed)\b|,?\s+(?:which|who|whose|while|under which|in a deal|in what)\b|,\s+(?:as|with)\b|\s+(?:—|–|--)\s|[.;:!?]\s*$/u.exec(
      text,
    );
  let head = (cut ? text.slice(0, cut.index) : text).trim();
  const words = head.split(/\s+/);
  if (words.length > 16)
    head = `${words
      .slice(0, 14)
      .join(" ")
      .replace(/[,;:]$/, "")}…`;
  if (words.length < 3) return null;
  return {
    title: clip(head.replace(/[.,;:]$/, ""), 300),
    start,
    end: start + Math.min(text.length, head.replace(/…$/, "").length),
  };
}

function personKey(name: string) {
  return name.toLowerCase().replace(/[^\p{L} ]/gu, "");
}

const indexes = new WeakMap<Gazetteer["companies"], CompanyIndex>();
function indexFor(companies: Gazetteer["companies"]): CompanyIndex {
  let index = indexes.get(companies);
  if (!index) indexes.set(companies, (index = buildCompanyIndex(companies)));
  return index;
}

export function extractWithRules(input: ExtractInput, gazetteer: Gazetteer): ExtractResult {
  const text = input.text;
  const warnings: string[] = [];
  const evidence: Evidence = {};
  const index = indexFor(gazetteer.companies);
  const blocks = classifyBlocks(splitBlocks(text));
  const headlineBlock = findHeadline(blocks);
  if (headlineBlock) headlineBlock.kind = "meta";
  // The story starts after its headline; short lines above it are mastheads and kickers.
  const headlineIndex = headlineBlock ? blocks.indexOf(headlineBlock) : -1;
  blocks.forEach(
    (b, i) => i < headlineIndex && b.kind === "body" && !/[.!?"”]$/.test(b.text) && (b.kind = "meta"),
  );
  // A deck under the headline ("Combination adds … to Marvell's portfolio") is no sentence of the story,
  // but it names the parties as a headline does.
  let deck: Block | null = null;
  for (const b of blocks.slice(headlineIndex + 1)) {
    if (b.kind !== "body") continue;
    if (headlineIndex < 0 || /[.!?"”]$/.test(b.text) || b.text.split(/\s+/).length > 40) break;
    b.kind = "meta";
    deck ??= b;
  }
  const body = splitSentences(text, blocks);

  // The lead: the first body sentences, without a dateline in front.
  let dateline: { start: number; end: number } | null = null;
  // "Munich, 9 July 2020." alone is a dateline sentence: the lead is the two after it.
  if (body[0] && datelineLength(body[0].text) === body[0].text.length) {
    dateline = { start: body[0].start, end: body[0].end };
    body.shift();
  }
  const lead: Sentence[] = body.slice(0, 2).map((s, i) => {
    if (i > 0) return s;
    const n = datelineLength(s.text);
    if (!n) return s;
    dateline = { start: s.start, end: s.start + n };
    return { ...s, text: s.text.slice(n), start: s.start + n };
  });
  const rest = body.slice(2);

  // Organisations.
  const kept = blocks.filter((b) => b.kind !== "dropped");
  const mentions: OrgMention[] = preferNamedCompany(findGazetteerMentions(text, gazetteer.companies, kept));
  // Names written in lower case are looked for as if capitalised, and kept as the article spells them.
  const stylised = stylisedNames(
    kept.filter((b) => b.kind === "body").map((b) => b.text),
    headlineBlock?.text ?? input.title ?? null,
    datelineLength,
  );
  for (const s of [...lead, ...body.slice(2, 4)])
    mentions.push(
      ...findOrgCandidates(text, capitalised(s, stylised), mentions, s === lead[0]).map((m) => ({
        ...m,
        text: s.text.slice(m.start - s.start, m.end - s.start),
      })),
    );
  // A headline given apart from the text (a feed item's title, a page's <title>) names the parties
  // as surely as one inside it: its companies are looked for in the text.
  const givenTitle = !headlineBlock && input.title ? cleanTitle(input.title, input.publisher) : null;
  if (givenTitle) mentions.push(...titleMentions(text, givenTitle, kept, gazetteer, mentions));
  const entities = clusterMentions(mentions, index);
  addShortForms(entities, kept, index);
  const headlineZone = headlineBlock ? { ...headlineBlock, block: -1 } : null;
  const deckZone = deck ? { ...deck, block: -1 } : null;
  const parties = selectParties(text, entities, lead, headlineZone, givenTitle, deckZone).slice(0, 8);
  if (parties.length < 2) warnings.push("Fewer than two parties were found; add the missing ones.");
  const roles = assignRoles(lead[0] ?? null, parties);

  // Every spelling the article used for a company, by identity key.
  const entityByKey = new Map<string, string>();
  for (const e of entities) {
    for (const spelling of [e.name, ...e.mentions.map((m) => m.text)]) {
      const key = companyKey(spelling);
      if (!entityByKey.has(key)) entityByKey.set(key, e.name);
    }
  }
  const orgCache = new Map<string, string | null>();
  const isOrg: OrgLookup = (s: string): string | null => {
    if (!orgCache.has(s)) orgCache.set(s, lookupOrg(s));
    return orgCache.get(s)!;
  };
  const lookupOrg = (s: string): string | null => {
    const t = s.trim().replace(/['’]s$/, "");
    if (!t) return null;
    // "Domino's executive vice president": the possessive may belong to the name ("Domino's Pizza").
    const own = /['’]s$/.test(s.trim()) ? companyKey(s) : null;
    const named = (own && entityByKey.get(own)) || entityByKey.get(companyKey(t));
    if (named) return named;
    // "SoftBank" in an article whose party is SoftBank Group is that party, whatever else the
    // directory holds under the same first word (SoftBank Corp.).
    const key = companyKey(t);
    const shortOf = parties.filter((p) => [key, own].includes(companyKey(p.name).split(" ")[0]!));
    if (shortOf.length === 1) return shortOf[0]!.name;
    // "Aramco" for the party Saudi Aramco: a later word of one party's name, not a common one.
    const wordOf = parties.filter((p) => companyKey(p.name).split(" ").slice(1).includes(key));
    if (wordOf.length === 1 && key.length >= 4 && !key.includes(" ") && /^\p{Lu}/u.test(t))
      return wordOf[0]!.name;
    return matchCompany(t.replace(/\s*\([^)]*\)\s*/g, " ").trim() || t, index)?.name ?? null;
  };

  isOrg.parties = new Set(parties.map((p) => p.name));
  // Quotes and speakers.
  const people = indexPeople(text, blocks, isOrg);
  const quotes = findQuotes(text, blocks, people, isOrg);
  const known = gazetteer.speakers ?? [];
  // The known speaker a name stands for, looked up once per name: every quote of a long article asks.
  const knownFor = new Map<string, KnownSpeaker | null>();
  const knownSpeaker = (name: string): KnownSpeaker | null => {
    const key = personKey(name);
    if (!knownFor.has(key)) {
      const exact = known.find((k) => personKey(k.name) === key);
      // A misspelt known speaker ("Jark Jung-ho") is corrected; an unknown name is kept as written.
      const close =
        exact ??
        known.find(
          (k) =>
            k.name.length >= 6 &&
            editDistance(personKey(k.name), key) <= Math.min(2, Math.floor(k.name.length / 6)),
        );
      knownFor.set(key, close ?? null);
    }
    return knownFor.get(key)!;
  };
  const fixSpeaker = (p: Person | null): Person | null => {
    if (!p || !known.length) return p;
    const close = knownSpeaker(p.name);
    return close
      ? { name: close.name, title: p.title ?? close.title, company: p.company ?? close.company }
      : p;
  };
  const partyNames = parties.map((p) => p.name);
  // POST /api/deals takes at most 50 quotes; a longer article keeps its first 50.
  const draftQuotes = quotes
    .filter((q) => q.speaker)
    .map((q) => {
      const s = fixSpeaker(q.speaker)!;
      let company = s.company ? (isOrg(s.company) ?? s.company) : null;
      if (!company && partyNames.length === 2) {
        // "Through the partnership with SK Telecom, …": the speaker is from the other party.
        const other = partyNames.find((n) =>
          new RegExp(`\\bwith ${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "i").test(q.text),
        );
        if (other) company = partyNames.find((n) => n !== other) ?? null;
      }
      return { q, quote: { text: q.text, speaker: s.name, speakerTitle: s.title, speakerCompany: company } };
    })
    .slice(0, 50);
  if (quotes.filter((q) => q.speaker).length > 50) warnings.push("Only the first 50 quotes were kept.");
  if (quotes.some((q) => !q.speaker))
    warnings.push("Some quotes have no identifiable speaker and were left out.");

  // Types, binding, technologies, value, date.
  const headlineHit = headlineBlock
    ? { start: headlineBlock.start, end: headlineBlock.end, text: headlineBlock.text }
    : givenTitle
      ? { start: 0, end: givenTitle.length, text: givenTitle, outside: true }
      : null;
  const classified = classifyTypes(text, headlineHit, lead, rest);
  // Two companies acting together in an article that names no kind of deal ("said they had formed an
  // industry body", "plan to use Starlink satellites") are partners; the low confidence says so.
  const typeResult =
    classified.types.length || parties.length < 2
      ? classified
      : { types: ["strategic_partnership" as const], primaryHit: null, confidence: 0.2 };
  if (typeResult !== classified) warnings.push("The article names no kind of deal; check the type.");
  const keptText = kept.map((b) => ({ start: b.start, end: b.end, text: b.text }));
  const binding = classifyBinding(keptText, typeResult.types);
  // An area counts when the headline or lead names it, it recurs, or it appears in the article's first part.
  const long = kept.filter((b) => b.kind === "body").length >= 5;
  const cutoff = long ? kept[0]!.start + (kept[kept.length - 1]!.end - kept[0]!.start) * 0.6 : Infinity;
  const techs = findTechnologies(text, keptText, gazetteer.technologies).filter(
    (t) => t.count >= 2 || t.hit.start <= cutoff,
  );
  const newAreas = proposeNewAreas(keptText, gazetteer.technologies, cutoff);
  const value = findValue(lead);
  const date = findAnnouncementDate(text, blocks, lead, dateline, input.publishedOn ?? null);
  if (!date) warnings.push("No announcement date in the article; enter it.");

  const rawTitle = input.title
    ? cleanTitle(input.title, input.publisher)
    : headlineBlock
      ? cleanTitle(headlineBlock.text)
      : null;
  // An article without a headline gets one drafted from its lead, so every draft has a title.
  const drafted = rawTitle ? null : headlineFromLead(lead[0] ?? null);
  const title = rawTitle ? clip(rawTitle, 300) : drafted ? drafted.title : null;
  const summarySentences = lead.filter((s) => s.text.split(/\s+/).length >= 6).slice(0, 2);
  const summary = clip(
    summarySentences
      .map((s) => s.text)
      .join(" ")
      .replace(/\s+/g, " "),
    2000,
  );

  // A newsletter may name its own address at the top: "Source: https://…".
  const sourceLine = blocks
    .slice(0, 4)
    .map((b) => /^(?:source|url|link|via):\s*(https?:\/\/\S+)$/i.exec(b.text))
    .find(Boolean);
  const sourceUrl = input.url ?? sourceLine?.[1] ?? null;
  const draft: Draft = {
    title,
    announcedOn: date?.date ?? null,
    datePrecision: date?.precision ?? null,
    types: typeResult.types,
    binding: binding.binding,
    status: "announced",
    summary,
    value: value ? { amount: value.amount, currency: value.currency } : null,
    parties: parties.map((p, i) => ({ company: p.name, role: roles[i]! })),
    technologies: techs.map((t) => t.name),
    quotes: draftQuotes.map((d) => d.quote),
    sources: [
      {
        url: sourceUrl,
        title: input.title ? clip(input.title.trim(), 500) : title,
        // Pasted text without a link is still a source the deal can be saved with (issue 21).
        publisher: input.publisher ?? (sourceUrl ? null : PASTED_TEXT_PUBLISHER),
        publishedOn: input.publishedOn ?? findPublicationDate(blocks)?.date ?? null,
      },
    ],
    expandsDealId: null,
  };

  if (headlineBlock && !input.title)
    evidence.title = evidenceOf(text, headlineBlock.start, headlineBlock.end, 0.7);
  else if (drafted) evidence.title = evidenceOf(text, drafted.start, drafted.end, 0.4);
  if (date) evidence.announcedOn = evidenceOf(text, date.start, date.end, date.confidence);
  const typeHit = typeResult.primaryHit && inText(text, typeResult.primaryHit);
  if (typeHit) evidence.types = evidenceOf(text, typeHit.start, typeHit.end, typeResult.confidence);
  if (binding.hit) evidence.binding = evidenceOf(text, binding.hit.start, binding.hit.end, 0.9);
  else if (binding.binding === "non_binding" && typeResult.primaryHit)
    evidence.binding = evidenceOf(text, typeResult.primaryHit.start, typeResult.primaryHit.end, 0.6);
  if (summarySentences.length)
    evidence.summary = evidenceOf(
      text,
      summarySentences[0]!.start,
      summarySentences[summarySentences.length - 1]!.end,
      0.6,
    );
  if (value) evidence.value = evidenceOf(text, value.hit.start, value.hit.end, 0.6);
  parties.forEach((p, i) => {
    const m = p.mentions[0]!;
    evidence[`parties.${i}.company`] = evidenceOf(text, m.start, m.end, p.ref ? 0.9 : 0.6);
    if (roles[i] !== "partner")
      evidence[`parties.${i}.role`] = evidenceOf(text, lead[0]!.start, lead[0]!.end, 0.6);
  });
  techs.forEach(
    (t, i) =>
      (evidence[`technologies.${i}`] = evidenceOf(text, t.hit.start, t.hit.end, t.count > 1 ? 0.8 : 0.6)),
  );
  draftQuotes.forEach(({ q }, i) => {
    evidence[`quotes.${i}.text`] = evidenceOf(text, q.start, q.end, 0.9);
    if (q.attribution)
      evidence[`quotes.${i}.speaker`] = evidenceOf(
        text,
        q.attribution.start,
        q.attribution.end,
        q.confidence,
      );
  });

  const names = [
    ...partyNames,
    ...draftQuotes.map((d) => d.quote.speakerCompany).filter((c): c is string => !!c),
  ];
  return {
    draft,
    evidence,
    companies: resolveCompanies(names, index),
    newAreas: newAreas.map((area) => ({
      name: area.name,
      evidence: evidenceOf(text, area.start, area.end, 0.6),
    })),
    warnings,
  };
}

export const ruleExtractor: Extractor = { extract: extractWithRules };
