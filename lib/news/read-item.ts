import { extractInputFromHtml } from "@/lib/extract/html";
import { runExtractJob, type ExtractJobResult } from "@/lib/extract/job";
import type { Gazetteer } from "@/lib/extract/types";
import { classifyNews, type NewsReading } from "./classify";
import { gazetteerFor, indexCompanies, type CompanyIndex } from "./gazetteer";

// The CPU-heavy half of processing one feed item, as one plain function over plain data: reading its
// HTML, drafting the deal and classifying it. It runs in a background worker thread
// (server/extract-pool.ts), so the server's event loop only stores the outcome; the eval runs it as is.

export interface NewsItemJob {
  title: string;
  /** The feed's content: an HTML fragment or plain text. */
  content: string;
  url: string | null;
  publishedOn: string | null;
}

export interface NewsItemResult extends ExtractJobResult {
  reading: NewsReading;
}

const MARKUP = /<(?:p|div|br|article|html|body|h[1-6]|ul|li)\b[^>]*>/i;

// Indexing 5,000 companies costs a few ms: once per list the worker is sent, not once per item.
const indexes = new WeakMap<Gazetteer, CompanyIndex>();

export function readNewsItem(item: NewsItemJob, gazetteer: Gazetteer): NewsItemResult {
  let index = indexes.get(gazetteer);
  if (!index) indexes.set(gazetteer, (index = indexCompanies(gazetteer)));
  // A feed's content is usually a small HTML fragment: read here, so the draft comes from the text
  // with the item's own headline (a fragment has none of its own).
  const text = MARKUP.test(item.content) ? extractInputFromHtml(item.content, item.url).text : item.content;
  const { article, result } = runExtractJob(
    { article: { text, title: item.title, url: item.url, publishedOn: item.publishedOn } },
    // Only the directory's companies that can occur in the item (lib/news/gazetteer.ts).
    gazetteerFor(index, `${item.title}\n${text}`),
  );
  return { article, result, reading: classifyNews({ title: item.title, text: article.text }, result) };
}
