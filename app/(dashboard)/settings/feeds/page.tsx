import type { Metadata } from "next";
import { headers } from "next/headers";
import { feedKeyCreatedAt, listWatches } from "@/db/follow/inbox";
import { listViews } from "@/db/follow/views";
import { requirePrincipal } from "@/server/auth/page";
import { FeedKeyForm, type FeedLink } from "@/components/follow/feed-key-form";
import { replaceFeedKeyAction } from "../../views/actions";

export const metadata: Metadata = { title: "Feeds" };

export default async function FeedsPage() {
  const principal = await requirePrincipal();
  const createdAt = await feedKeyCreatedAt(principal.id);
  const host = (await headers()).get("host") ?? "localhost";
  const origin = (process.env.APP_URL ?? `http://${host}`).replace(/\/$/, "");
  const feeds: FeedLink[] = [
    ...(await listViews(principal.id)).map((v) => ({
      label: `View: ${v.name}`,
      path: `/feeds/views/${v.id}.atom`,
    })),
    ...(await listWatches(principal.id))
      .filter((w) => w.kind !== "view")
      .map((w) => ({
        label: `${w.kind === "company" ? "Company" : "Technology"}: ${w.label}`,
        path: `/feeds/${w.kind === "company" ? "companies" : "technologies"}/${w.href.split("/").pop()}.atom`,
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
      <FeedKeyForm
        replaceKey={replaceFeedKeyAction}
        hasKey={createdAt !== null}
        origin={origin}
        feeds={feeds}
      />
    </>
  );
}
