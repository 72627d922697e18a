import { extractInputFromHtml } from "./html";
import { extractArticle } from "./index";
import type { ExtractInput, ExtractResult, Gazetteer } from "./types";

// The CPU-heavy half of "Add from article" (reading the page, drafting the deal), as one plain
// function over plain data, so it can run in a worker thread (server/extract-pool.ts).

/** An article as text already, or a page's HTML to read first. */
export type ExtractJob =
  { article: ExtractInput } | { html: string; url: string | null; publishedOn: string | null };

export interface ExtractJobResult {
  /** The text the evidence offsets point into, with what the page said about itself. */
  article: ExtractInput;
  result: ExtractResult;
}

export function runExtractJob(job: ExtractJob, gazetteer: Gazetteer): ExtractJobResult {
  const article = "html" in job ? extractInputFromHtml(job.html, job.url, job.publishedOn) : job.article;
  return { article, result: extractArticle(article, gazetteer) };
}
