import type { Metadata } from "next";
import { headers } from "next/headers";
import { getFeedKey, listWatches } from "@/db/inbox";
import { listViews } from "@/db/views";
import { requirePrincipal } from "@/server/auth/page";
import { replaceFeedKeyAction } from "../../views/actions";

export const metadata: Metadata = { title: "Feeds" };

export default async function FeedsPage() {
  const principal = await requirePrincipal();
  const key = await getFeedKey(principal.id);
  const host = (await headers()).get("host") ?? "localhost";
  const origin = (process.env.APP_URL ?? `http://${host}`).replace(/\/$/, "");
  const feedUrl = (path: string) => `${origin}${path}?key=${encodeURIComponent(key)}`;
  const feeds = [
    ...(await listViews(principal.id)).map((v) => ({
      label: `View: ${v.name}`,
      url: feedUrl(`/feeds/views/${v.id}.atom`),
    })),
    ...(await listWatches(principal.id))
      .filter((w) => w.kind !== "view")
      .map((w) => ({
        label: `${w.kind === "company" ? "Company" : "Technology"}: ${w.label}`,
        url: feedUrl(
          `/feeds/${w.kind === "company" ? "companies" : "technologies"}/${w.href.split("/").pop()}.atom`,
        ),
      })),
  ];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Feeds</h1>
          <p>
            Atom feeds of the newest 50 deals of each view and watch, for feed readers. The key in each
            address lets anyone who has it read these feeds (nothing else); replace it if it leaks.
          </p>
        </div>
      </div>
      <div className="field">
        <label htmlFor="feed-key">Feed key</label>
        <input id="feed-key" type="text" readOnly value={key} />
      </div>
      <form action={replaceFeedKeyAction}>
        <button type="submit" className="button">
          Replace feed key
        </button>
      </form>
      <h2 className="section-gap">Your feeds</h2>
      {feeds.length === 0 ? (
        <p className="muted">Save a view or watch a company or technology area to get its feed here.</p>
      ) : (
        <ul className="view-list">
          {feeds.map((feed) => (
            <li key={feed.url}>
              {feed.label}: <a href={feed.url}>{feed.url.replace(/key=.*/, "key=…")}</a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
