import { readHtmlArticle } from "@/lib/extract/html";
import { FeedError, parseFeedText, type FeedEntry, type ParsedFeed } from "./feed";

// Reading a fetched feed, as plain functions over plain data that run in the background worker
// (server/extract-pool.ts): on the event loop that answers requests a 250-item feed took 120–150 ms
// to parse, and each entry's HTML 2–5 ms to read.

export interface ReadEntry extends FeedEntry {
  /** The entry's own text: its HTML read, or its plain text, trimmed. */
  text: string;
}
export type ReadFeed = Omit<ParsedFeed, "entries"> & { entries: ReadEntry[] };

/** The feed, or its refusal in words (a FeedError does not survive the trip back from a worker). */
export type FeedJobResult = { ok: true; feed: ParsedFeed } | { ok: false; error: string };

export function parseFeedJob(text: string, contentType = ""): FeedJobResult {
  try {
    return { ok: true, feed: parseFeedText(text, contentType) };
  } catch (e) {
    if (e instanceof FeedError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Each entry's own text, in order. */
export function readEntryTexts(entries: Pick<FeedEntry, "body" | "bodyIsHtml">[]): string[] {
  return entries.map((e) => (e.bodyIsHtml ? readHtmlArticle(e.body).text : e.body).trim());
}
