import { XMLValidator } from "fast-xml-parser";
import { parseFeed } from "feedsmith";
import { parseHTML } from "linkedom";
import type { FeedFormat } from "@/lib/enums";

// Reading a fetched feed: RSS 2.0, Atom 1.0 or JSON Feed 1.1, told apart by the content (servers
// label feeds loosely). feedsmith does the reading and never expands entities; we refuse entity
// declarations outright and check the XML first so a broken feed is reported with its line.

/** A feed refused, with the reason in words for the sources page. */
export class FeedError extends Error {
  constructor(
    message: string,
    /** The address answered a web page; `feeds` are the feeds it links to (maybe none). */
    readonly page?: { feeds: FeedLink[] },
  ) {
    super(message);
    this.name = "FeedError";
  }
}

export interface FeedEntry {
  guid: string;
  title: string;
  url: string | null;
  publishedAt: Date | null;
  /** The item's fullest content: HTML (content:encoded, Atom content, content_html) or plain text. */
  body: string;
  bodyIsHtml: boolean;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  entries: FeedEntry[];
}

export interface FeedLink {
  url: string;
  type: string;
  title: string | null;
}

const FEED_TYPES = [
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
];

/** Whether the text is a web page rather than a feed. */
export function isWebPage(text: string, contentType = ""): boolean {
  const head = text.trimStart().slice(0, 1000).toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(rss|feed|rdf:rdf)\b/.test(head)) return false;
  return /^(application\/xhtml\+xml|text\/html)$/.test(contentType) || /<!doctype html|<html[\s>]/.test(head);
}

/** The feeds a web page announces with `<link rel="alternate" type="…">`, in page order. */
export function discoverFeedLinks(html: string, baseUrl: string): FeedLink[] {
  const { document } = parseHTML(html);
  const links: FeedLink[] = [];
  for (const link of document.querySelectorAll("link[rel][type][href]")) {
    const rel = (link.getAttribute("rel") ?? "").toLowerCase().split(/\s+/);
    const type = (link.getAttribute("type") ?? "").toLowerCase().trim();
    if (!rel.includes("alternate") || !FEED_TYPES.includes(type)) continue;
    try {
      const url = new URL(link.getAttribute("href")!, baseUrl);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      links.push({ url: url.toString(), type, title: link.getAttribute("title")?.trim() || null });
    } catch {
      // An unusable href is skipped; another link may serve.
    }
  }
  return links;
}

const str = (v: unknown): string | null => {
  if (typeof v === "string") return v.trim() || null;
  if (v && typeof v === "object" && "value" in v) return str((v as { value: unknown }).value);
  return null;
};

const date = (v: unknown): Date | null => {
  const s = str(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
};

type Loose = Record<string, unknown>;

function rssEntry(item: Loose): Omit<FeedEntry, "guid"> & { guid: string | null } {
  const encoded = str((item.content as Loose | undefined)?.encoded);
  return {
    guid: str(item.guid) ?? str(item.link),
    title: str(item.title) ?? "",
    url: str(item.link),
    publishedAt: date(item.pubDate) ?? date((item.dc as Loose | undefined)?.date),
    body: encoded ?? str(item.description) ?? "",
    bodyIsHtml: true,
  };
}

function atomEntry(entry: Loose): Omit<FeedEntry, "guid"> & { guid: string | null } {
  const links = (entry.links as Loose[] | undefined) ?? [];
  const link = links.find((l) => !l.rel || l.rel === "alternate") ?? links[0];
  const content = (entry.content ?? entry.summary) as Loose | string | undefined;
  const type = typeof content === "object" ? str(content.type) : null;
  return {
    guid: str(entry.id) ?? str(link?.href),
    title: str(entry.title) ?? "",
    url: str(link?.href),
    publishedAt: date(entry.published) ?? date(entry.updated),
    body: str(content) ?? "",
    bodyIsHtml: type === "html" || type === "xhtml",
  };
}

function jsonEntry(item: Loose): Omit<FeedEntry, "guid"> & { guid: string | null } {
  const html = str(item.content_html);
  return {
    guid: str(item.id) ?? str(item.url),
    title: str(item.title) ?? "",
    url: str(item.url) ?? str(item.external_url),
    publishedAt: date(item.date_published) ?? date(item.date_modified),
    body: html ?? str(item.content_text) ?? str(item.summary) ?? "",
    bodyIsHtml: html !== null,
  };
}

/** Reads a feed's text; throws a FeedError whose message says in words what is wrong. */
export function parseFeedText(text: string, contentType = ""): ParsedFeed {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (!trimmed) throw new FeedError("The address returned nothing.");
  if (trimmed.startsWith("{")) return parseJson(trimmed);
  if (isWebPage(trimmed, contentType)) throw new FeedError("This address returns a web page, not a feed.");
  // Entity declarations serve no feed and are how XML bombs and external-entity reads are made.
  if (/<!ENTITY/i.test(trimmed))
    throw new FeedError(
      "The feed declares XML entities, which Atlas refuses (they can expand without end or read files).",
    );
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) throw new FeedError(`XML is malformed at line ${valid.err.line}: ${valid.err.msg}`);
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(trimmed);
  } catch {
    throw new FeedError("This is XML but not an RSS 2.0 or Atom 1.0 feed.");
  }
  const feed = parsed.feed as Loose;
  if (parsed.format === "rss") {
    const items = ((feed.items as Loose[] | undefined) ?? []).map(rssEntry);
    return { format: "rss", title: str(feed.title), entries: withGuids(items) };
  }
  if (parsed.format === "atom") {
    const entries = ((feed.entries as Loose[] | undefined) ?? []).map(atomEntry);
    return { format: "atom", title: str(feed.title), entries: withGuids(entries) };
  }
  throw new FeedError("RSS 1.0 (RDF) feeds are not read; give the site's RSS 2.0, Atom or JSON feed.");
}

function parseJson(text: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FeedError(`The JSON feed is malformed (${(e as Error).message}).`);
  }
  const feed = data as Loose;
  if (!/jsonfeed\.org\/version\//.test(String(feed?.version ?? "")) || !Array.isArray(feed.items))
    throw new FeedError("This is JSON but not a JSON Feed (it has no jsonfeed.org version and items).");
  return {
    format: "json",
    title: str(feed.title),
    entries: withGuids(
      (feed.items as unknown[]).filter((i): i is Loose => !!i && typeof i === "object").map(jsonEntry),
    ),
  };
}

/** An item with neither id nor link is known by its title and date, which is all it has. */
function withGuids(entries: (Omit<FeedEntry, "guid"> & { guid: string | null })[]): FeedEntry[] {
  return entries
    .filter((e) => e.title || e.body)
    .map((e) => ({ ...e, guid: e.guid ?? `${e.title}|${e.publishedAt?.toISOString() ?? ""}` }));
}

/** Query parameters that only say where a reader came from. */
const TRACKING =
  /^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|igshid|mkt_tok|oly_anon_id|oly_enc_id|vero_id|ref_src)$/i;

/** A link as one article is known by: tracking parameters and the fragment removed. */
export function canonicalLink(raw: string | null): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  url.hash = "";
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key);
  url.searchParams.sort();
  return url.toString();
}

/** Text as compared for "the same text": case, spacing and punctuation do not count. */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Only a summary: one or two sentences, too little to read a deal from. */
export function isSummaryOnly(text: string): boolean {
  const sentences = text.split(/(?<=[.!?])\s+(?=\S)/).filter((s) => s.trim());
  return sentences.length <= 2 && text.length < 600;
}
