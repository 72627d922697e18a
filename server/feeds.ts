import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { audienceOf, viewerOfUser } from "@/db/accounts/visibility";
import { userByFeedKey } from "@/db/follow/inbox";
import { listDeals } from "@/db/deals/deals";
import { dealFilters, type DealFilters } from "@/lib/filters";
import { feedUpdated, renderAtom, type AtomDeal } from "@/lib/atom";
import { errorResponse, HttpError, parseParams } from "./api";

// The Atom routes: a feed key in the query string stands for its user (feed readers cannot send
// headers). A wrong, replaced or deactivated user's key is a 404, as if there were no feed.

const keyParams = z.object({ key: z.string({ error: "Add ?key= with your feed key" }).max(200) });

export type FeedUser = { id: string; role: string };

/** The `<name>.atom` segment's name, and the key's user; anything else is a 404. */
export async function feedRequest(request: Request, file: string): Promise<{ name: string; user: FeedUser }> {
  const match = /^(.+)\.atom$/.exec(file);
  if (!match) throw new HttpError(errorResponse(404, "Feed not found"));
  const { key } = parseParams(request, keyParams);
  const user = await userByFeedKey(key);
  if (!user) throw new HttpError(errorResponse(404, "Feed not found"));
  return { name: match[1]!, user };
}

function origin(request: Request): string {
  return (process.env.APP_URL ?? new URL(request.url).origin).replace(/\/$/, "");
}

/**
 * The newest 50 matching deals (by last change) as Atom, with ETag and Last-Modified for 304s. A
 * feed is its key's user's: it lists what they may see (issue 25), their teams' confidential deals
 * with the public ones; the ETag follows the deals listed, so it differs where the lists do.
 */
export async function atomResponse(
  request: Request,
  user: FeedUser,
  feed: { title: string; selfPath: string; pagePath: string; filters: Partial<DealFilters> },
): Promise<Response> {
  const page = await listDeals({
    ...dealFilters.parse({}),
    ...feed.filters,
    audience: await audienceOf(await viewerOfUser(user)),
    sort: "-updatedAt",
    page: 1,
    pageSize: 50,
  });
  const deals: AtomDeal[] = page.items.map((d) => ({
    id: d.id,
    title: d.title,
    announcedOn: d.announcedOn,
    summary: d.summary,
    types: d.types,
    parties: d.parties.map((p) => p.company.name),
    updatedAt: d.updatedAt,
    createdAt: d.createdAt,
  }));
  const updated = feedUpdated(deals, new Date(0).toISOString());
  const etag = `"${createHash("sha256")
    .update(
      JSON.stringify([feed.title, feed.pagePath, page.items.map((d) => [d.id, d.version, d.updatedAt])]),
    )
    .digest("base64url")
    .slice(0, 27)}"`;
  // HTTP dates have whole seconds; so do the timestamps.
  const lastModified = new Date(updated).toUTCString();
  const headers = {
    ETag: etag,
    "Last-Modified": lastModified,
    "Cache-Control": "private, no-cache",
  };
  const ifNoneMatch = request.headers.get("if-none-match");
  const ifModifiedSince = request.headers.get("if-modified-since");
  const notModified = ifNoneMatch
    ? ifNoneMatch.split(",").some((t) => t.trim() === etag || t.trim() === "*")
    : ifModifiedSince !== null && Date.parse(ifModifiedSince) >= Date.parse(lastModified);
  if (notModified) return new Response(null, { status: 304, headers });
  const body = renderAtom({
    origin: origin(request),
    selfPath: feed.selfPath,
    pagePath: feed.pagePath,
    title: feed.title,
    deals,
    emptyUpdated: updated,
  });
  return new Response(request.method === "HEAD" ? null : body, {
    headers: { ...headers, "Content-Type": "application/atom+xml; charset=utf-8" },
  });
}
