import "server-only";
import { z } from "zod";
import { dealsWithParties, extractionGazetteer } from "@/db/extract";
import { extractArticle, type ExtractInput } from "@/lib/extract";
import type { ArticleDraft } from "@/lib/extract/draft";
import { findDuplicateDeals } from "@/lib/extract/duplicates";
import { extractInputFromHtml } from "@/lib/extract/html";
import { fetchArticle } from "./fetch-article";

// "Add from article": the input boundary (one of text, html or url), reading the page, the
// extractor over the database's own lists, and the deals that may already record the announcement.
// Nothing here writes.

const MAX_ARTICLE_BYTES = 1024 * 1024;
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

export const extractRequest = z
  .object({
    text: z.string({ error: "Send the article's text as a string" }).optional(),
    html: z.string({ error: "Send the page's HTML as a string" }).optional(),
    url: z
      .url({ protocol: /^https?$/, error: "Enter a web address starting with http:// or https://" })
      .max(2048, { error: "Keep the address under 2,048 characters" })
      .optional(),
    publishedOn: z.iso.date({ error: "Use a real date as YYYY-MM-DD" }).nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const one = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (v.text === undefined && v.html === undefined && v.url === undefined)
      one("_form", "Send one of text, html or url");
    if (v.text !== undefined && (v.html !== undefined || v.url !== undefined))
      one("_form", "Send the text on its own, or html (with its url), or a url");
    for (const key of ["text", "html"] as const) {
      const value = v[key];
      if (value === undefined) continue;
      if (!value.trim()) one(key, key === "text" ? "Paste the article's text" : "Paste the page's HTML");
      else if (bytes(value) > MAX_ARTICLE_BYTES) one(key, "The article is larger than 1 MB");
    }
  });
export type ExtractRequest = z.output<typeof extractRequest>;

/** The article as plain text with what its page says about itself, fetching the URL if that is all we have. */
async function readArticle(input: ExtractRequest): Promise<ExtractInput> {
  const publishedOn = input.publishedOn ?? null;
  if (input.text !== undefined) return { text: input.text, publishedOn };
  let html = input.html;
  let url = input.url ?? null;
  if (html === undefined) {
    const fetched = await fetchArticle(url!);
    url = fetched.url;
    if (fetched.contentType.startsWith("text/plain")) return { text: fetched.body, url, publishedOn };
    html = fetched.body;
  }
  return extractInputFromHtml(html, url, publishedOn);
}

export async function draftFromArticle(input: ExtractRequest): Promise<ArticleDraft> {
  const article = await readArticle(input);
  const { draft, evidence, companies, warnings } = extractArticle(article, await extractionGazetteer());
  const slugs = companies.flatMap((c) => (c.match ? [c.match.slug] : []));
  const duplicates = findDuplicateDeals(
    { title: draft.title, announcedOn: draft.announcedOn, types: draft.types, partySlugs: slugs },
    await dealsWithParties(slugs),
  );
  return {
    draft,
    evidence,
    companies,
    duplicates,
    warnings,
    // The text the evidence offsets point into, for showing the article beside the draft.
    article: { text: article.text, title: article.title ?? null, url: article.url ?? null },
  };
}
