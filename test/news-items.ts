import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// The news-dev fixture items, and each as the feed poller stores it (a news_items row), for the tests
// that process stored items.

export type NewsDevItem = {
  id: string;
  feed: string;
  outlet: string;
  title: string;
  link: string;
  published: string;
  html: string;
  label: string;
  story: string | null;
};

export const newsDevItems: NewsDevItem[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, "fixtures/news-dev/items.json"), "utf8"),
);

/** The news_items row of a fixture item in a source. */
export const storedItem = (f: NewsDevItem, sourceId: number) => ({
  sourceId,
  guid: f.link,
  canonicalUrl: f.link,
  contentHash: createHash("sha256").update(f.html).digest("hex"),
  title: f.title,
  url: f.link,
  publishedAt: new Date(f.published),
  content: f.html,
});

/** The identity columns of a news_items row whose guid, link and hash are all its URL (made-up items). */
export const itemKeys = (sourceId: number, url: string) => ({
  sourceId,
  guid: url,
  canonicalUrl: url,
  contentHash: url,
  url,
});
