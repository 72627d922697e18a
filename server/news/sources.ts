import "server-only";
import { createSource, getSource, getSourceView, recordFetch } from "@/db/news/sources";
import { getDb, type Db } from "@/db/core/index";
import { InputError } from "@/db/core/errors";
import { FEED_FORMAT_LABELS } from "@/lib/enums";
import { FeedError } from "@/lib/news/feed";
import type { NewsSourceView, SourceInput } from "@/lib/news/source-input";
import { ArticleFetchError } from "../fetch-article";
import { fetchErrorWords, findFeed, pollSource, storeFoundFeed } from "./poll";

// Adding a source and fetching one now: what the API and the sources page share.

/** Refusals that mean the address itself is wrong, answered as a field error rather than saved. */
const ADDRESS_REFUSALS = new Set(["invalid_url", "scheme", "private_address", "dns"]);

export type AddedSource = NewsSourceView & { message: string };

/**
 * Adds a source by its feed or by a web page that names one (the first feed it announces is taken,
 * and the message says which). An address that is wrong (not public, not found, a page naming no
 * feed) is a 400 on `url`; a feed that exists but fails now is saved with its error.
 */
export async function addSource(
  input: SourceInput,
  userId: string | null,
  db: Db = getDb(),
): Promise<AddedSource> {
  let found: Awaited<ReturnType<typeof findFeed>> | null = null;
  let error: string | null = null;
  try {
    found = await findFeed(input.url);
  } catch (e) {
    if (
      (e instanceof FeedError && e.page) ||
      (e instanceof ArticleFetchError && ADDRESS_REFUSALS.has(e.code))
    )
      throw new InputError({ url: [e.message] });
    error = fetchErrorWords(e);
    if (error === null) throw e;
  }
  const source = await createSource(
    {
      name: input.name,
      url: found?.feedUrl ?? input.url,
      pageUrl: found?.pageUrl ?? null,
      format: found?.format ?? null,
    },
    userId,
    db,
  );
  if (found) await storeFoundFeed(source, found, new Date(), db);
  else await recordFetch(source, { ok: false, error: error! }, new Date(), db);
  const view = await getSourceView(source.id, db);
  const format = found ? FEED_FORMAT_LABELS[found.format] : null;
  const message = !found
    ? `Saved, but the feed could not be read: ${error}`
    : found.pageUrl
      ? `Found the ${format} feed ${found.feedUrl} on that page and took it; ${view.itemsSeen} items fetched.`
      : `${format} feed added; ${view.itemsSeen} items fetched.`;
  return { ...view, message };
}

/** Fetch now: the numbers of this fetch, or the error in words (the source records it too). */
export async function fetchSourceNow(id: number, db: Db = getDb()) {
  return pollSource(await getSource(id, db), new Date(), db);
}
