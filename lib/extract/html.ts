import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { z } from "zod";
import type { ExtractInput } from "./types";

export interface HtmlArticle {
  text: string;
  title: string | null;
  canonicalUrl: string | null;
  publisher: string | null;
  /** As the page states it (ISO 8601); its first ten characters are the local calendar date. */
  publishedTime: string | null;
}

const jsonLd = z
  .object({
    headline: z.string().optional(),
    datePublished: z.string().optional(),
    publisher: z.union([z.object({ name: z.string().optional() }).loose(), z.string()]).optional(),
    "@graph": z.array(z.unknown()).optional(),
  })
  .loose();

function readJsonLd(document: Document) {
  const out: { headline?: string; datePublished?: string; publisher?: string } = {};
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? "");
    } catch {
      continue;
    }
    const items = Array.isArray(data) ? data : [data];
    for (const raw of items.flatMap((i) => [i, ...(jsonLd.safeParse(i).data?.["@graph"] ?? [])])) {
      const item = jsonLd.safeParse(raw);
      if (!item.success) continue;
      out.headline ??= item.data.headline;
      out.datePublished ??= item.data.datePublished;
      const p = item.data.publisher;
      out.publisher ??= typeof p === "string" ? p : p?.name;
    }
  }
  return out;
}

const BLOCK = new Set([
  "P",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "LI",
  "BLOCKQUOTE",
  "PRE",
  "DIV",
  "TR",
  "FIGCAPTION",
  "SECTION",
  "ARTICLE",
]);

/** Text of an element with one line per block element, so paragraphs stay paragraphs. */
function blockText(node: Node): string {
  const parts: string[] = [];
  const walk = (n: Node) => {
    if (n.nodeType === 3) parts.push((n.textContent ?? "").replace(/\s+/g, " "));
    else if (n.nodeType === 1) {
      const el = n as Element;
      const isBlock = BLOCK.has(el.tagName.toUpperCase());
      if (el.tagName.toUpperCase() === "BR") parts.push("\n");
      if (isBlock) parts.push("\n");
      el.childNodes.forEach(walk);
      if (isBlock) parts.push("\n");
    }
  };
  walk(node);
  return parts
    .join("")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n\n");
}

/** Pasted or fetched HTML → main text (with paragraph breaks), title, canonical URL, publisher, time. */
export function readHtmlArticle(html: string, url?: string | null): HtmlArticle {
  // linkedom puts a bare fragment (feed content: <p>s with no <html> or <body>) nowhere a query
  // reaches, so the article read as empty (issue 21); such a fragment is given a page around it.
  const whole = /<(?:html|body)[\s>]/i.test(html);
  const { document } = parseHTML(
    whole ? html : `<!doctype html><html><head></head><body>${html}</body></html>`,
  );
  const meta = (sel: string) => document.querySelector(sel)?.getAttribute("content")?.trim() || null;
  const ld = readJsonLd(document as unknown as Document);
  const canonical =
    document.querySelector('link[rel="canonical"]')?.getAttribute("href")?.trim() ||
    meta('meta[property="og:url"]') ||
    url ||
    null;
  const publishedTime =
    meta('meta[property="article:published_time"]') ??
    meta('meta[name="article:published_time"]') ??
    meta('meta[itemprop="datePublished"]') ??
    ld.datePublished ??
    document.querySelector("time[datetime]")?.getAttribute("datetime") ??
    null;
  const publisher = meta('meta[property="og:site_name"]') ?? ld.publisher ?? null;
  const h1 = document.querySelector("h1")?.textContent?.trim() || null;
  const title =
    meta('meta[property="og:title"]') ??
    ld.headline ??
    h1 ??
    (document.querySelector("title")?.textContent?.trim() || null);

  const article = new Readability(document as unknown as Document, { charThreshold: 200 }).parse();
  let text = "";
  if (article?.content) {
    const { document: inner } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    text = blockText(inner.body as unknown as Node);
  }
  if (!text.trim()) text = blockText(document.body as unknown as Node);
  return { text, title, canonicalUrl: canonical, publisher, publishedTime };
}

/** The extractor's input from a page: its text, headline, canonical URL, publisher and calendar date. */
export function extractInputFromHtml(
  html: string,
  url?: string | null,
  publishedOn?: string | null,
): ExtractInput {
  const page = readHtmlArticle(html, url);
  const pageDate = /^\d{4}-\d{2}-\d{2}/.exec(page.publishedTime ?? "")?.[0] ?? null;
  return {
    text: page.text,
    title: page.title,
    url: page.canonicalUrl ?? url ?? null,
    publisher: page.publisher,
    publishedOn: publishedOn ?? pageDate,
  };
}
