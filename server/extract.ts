import "server-only";
import { z } from "zod";
import type { FieldErrors } from "@/lib/validation";
import { dealsWithParties, extractionGazetteer } from "@/db/deals/extract";
import { PUBLIC_VIEWER, type Viewer } from "@/db/accounts/visibility";
import { htmlBudgetProblem } from "@/lib/extract/budget";
import type { ArticleDraft } from "@/lib/extract/draft";
import { findDuplicateDeals } from "@/lib/extract/duplicates";
import type { ExtractJob } from "@/lib/extract/job";
import { ExtractLimitError, oneAtATime, runInWorker } from "./extract-pool";
import { ArticleFetchError, fetchArticle } from "./fetch-article";

// "Add from article": the input boundary (one of text, html or url), reading the page, the
// extractor over the database's own lists, and the deals that may already record the announcement.
// Nothing here writes. The extractor runs in a worker (server/extract-pool.ts), on pages measured first.

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
      else if (key === "html") {
        const problem = htmlBudgetProblem(value);
        if (problem) one(key, problem);
      }
    }
  });
export type ExtractRequest = z.output<typeof extractRequest>;

/** The field an extraction's own failures are reported on: the one the article came in. */
const inputField = (input: ExtractRequest) =>
  input.text !== undefined ? "text" : input.html !== undefined ? "html" : "url";

/** The article as text, or its page's HTML to read, fetching the URL if that is all we have. */
async function articleJob(input: ExtractRequest): Promise<ExtractJob> {
  const publishedOn = input.publishedOn ?? null;
  if (input.text !== undefined) return { article: { text: input.text, publishedOn } };
  if (input.html !== undefined) return { html: input.html, url: input.url ?? null, publishedOn };
  const fetched = await fetchArticle(input.url!);
  if (fetched.contentType.startsWith("text/plain"))
    return { article: { text: fetched.body, url: fetched.url, publishedOn } };
  // Pasted HTML was measured by the schema; a fetched page is measured here, before any parsing.
  const problem = htmlBudgetProblem(fetched.body);
  if (problem) throw new ExtractLimitError(422, "url", problem);
  return { html: fetched.body, url: fetched.url, publishedOn };
}

/**
 * Drafts a deal from an article for `user` (one extraction at a time each); the deals it may
 * duplicate are those `viewer` may see (without one: public deals). Throws ExtractLimitError
 * when the article is refused or stopped for its cost, ArticleFetchError when its URL cannot be read.
 */
export async function draftFromArticle(
  input: ExtractRequest,
  user: string,
  viewer: Viewer = PUBLIC_VIEWER,
): Promise<ArticleDraft> {
  const field = inputField(input);
  return oneAtATime(user, field, async () => {
    const job = await articleJob(input);
    const { article, result } = await runInWorker(job, await extractionGazetteer(), field);
    const { draft, evidence, companies, newAreas, warnings } = result;
    const slugs = companies.flatMap((c) => (c.match ? [c.match.slug] : []));
    const duplicates = findDuplicateDeals(
      { title: draft.title, announcedOn: draft.announcedOn, types: draft.types, partySlugs: slugs },
      await dealsWithParties(slugs, viewer),
    );
    return {
      draft,
      evidence,
      companies,
      newAreas,
      duplicates,
      warnings,
      // The text the evidence offsets point into, for showing the article beside the draft.
      article: { text: article.text, title: article.title ?? null, url: article.url ?? null },
    };
  });
}

/** How the API and the form report an extraction's expected failures; null for the unexpected. */
export function extractFailure(
  error: unknown,
): { status: number; error: string; fieldErrors: FieldErrors; retryAfterSeconds?: number } | null {
  if (error instanceof ArticleFetchError)
    return { status: 400, error: "Invalid input", fieldErrors: { url: [error.message] } };
  if (error instanceof ExtractLimitError)
    return {
      status: error.status,
      error: error.message,
      fieldErrors: { [error.field]: [error.message] },
      retryAfterSeconds: error.retryAfterSeconds,
    };
  return null;
}
