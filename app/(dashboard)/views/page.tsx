import type { Metadata } from "next";
import Link from "next/link";
import { listShareLinks } from "@/db/follow/share-links";
import { listViews } from "@/db/follow/views";
import type { SavedView, ShareLink } from "@/db/types";
import { ShareLinks } from "@/components/follow/share-links";
import { parseViewPath } from "@/lib/saved-views";
import { RenameViewForm } from "@/components/follow/rename-view-form";
import { WatchButton } from "@/components/follow/watch-button";
import { requirePrincipal } from "@/server/auth/page";
import {
  createShareLinkAction,
  deleteShareLinkAction,
  deleteViewAction,
  renameViewAction,
  setViewSharedAction,
  watchAction,
} from "./actions";

export const metadata: Metadata = { title: "Views" };

export default async function ViewsPage() {
  const principal = await requirePrincipal();
  const views = await listViews(principal.id);
  const mine = views.filter((v) => v.mine);
  const shared = views.filter((v) => !v.mine);
  // Share links: for the views whose links this user manages (theirs; an admin also the team's),
  // when the view's address is still valid (a view saved before a filter changed may not be).
  const shareable = (v: SavedView) => (v.mine || principal.role === "admin") && parseViewPath(v.path).success;
  const links = new Map<number, ShareLink[]>(
    await Promise.all(
      views.filter(shareable).map(async (v) => [v.id, await listShareLinks(v.id, principal)] as const),
    ),
  );
  const shareLinks = (view: SavedView) =>
    links.has(view.id) && (
      <ShareLinks
        viewId={view.id}
        viewName={view.name}
        links={links.get(view.id)!}
        createLink={createShareLinkAction}
        deleteLink={deleteShareLinkAction}
      />
    );
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Views</h1>
          <p>
            Filtered pages saved with <strong>Save view</strong>: yours, and those your team shared. Watch a
            view to see its new and changed deals in your <Link href="/inbox">Inbox</Link>.
          </p>
        </div>
        <Link className="button" href="/settings/feeds">
          Feeds
        </Link>
      </div>
      <section aria-labelledby="my-views">
        <h2 id="my-views">Your views</h2>
        {mine.length === 0 ? (
          <p className="muted">
            None yet: filter the deals list, the dashboard or a company page and press Save view.
          </p>
        ) : (
          <ul className="view-list">
            {mine.map((view) => (
              <li key={view.id}>
                <Link href={view.path}>{view.name}</Link>{" "}
                {view.shared && <span className="badge">Shared</span>}
                <div className="actions">
                  <WatchButton
                    kind="view"
                    id={view.id}
                    watching={view.watched}
                    label={view.name}
                    watchAction={watchAction}
                  />
                  <form action={setViewSharedAction} className="inline-form">
                    <input type="hidden" name="id" value={view.id} />
                    <input type="hidden" name="shared" value={view.shared ? "false" : "true"} />
                    <button
                      type="submit"
                      className="button small"
                      aria-label={`${view.shared ? "Unshare" : "Share"} ${view.name}`}
                    >
                      {view.shared ? "Unshare" : "Share"}
                    </button>
                  </form>
                  <form action={deleteViewAction} className="inline-form">
                    <input type="hidden" name="id" value={view.id} />
                    <button type="submit" className="button small danger" aria-label={`Delete ${view.name}`}>
                      Delete
                    </button>
                  </form>
                </div>
                <RenameViewForm id={view.id} name={view.name} renameView={renameViewAction} />
                {shareLinks(view)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="shared-views">
        <h2 id="shared-views">Shared with the team</h2>
        {shared.length === 0 ? (
          <p className="muted">No one has shared a view yet.</p>
        ) : (
          <ul className="view-list">
            {shared.map((view) => (
              <li key={view.id}>
                <Link href={view.path}>{view.name}</Link>{" "}
                <span className="muted small">by {view.owner.name}</span>
                <div className="actions">
                  <WatchButton
                    kind="view"
                    id={view.id}
                    watching={view.watched}
                    label={view.name}
                    watchAction={watchAction}
                  />
                  {principal.role === "admin" && (
                    <form action={deleteViewAction} className="inline-form">
                      <input type="hidden" name="id" value={view.id} />
                      <button
                        type="submit"
                        className="button small danger"
                        aria-label={`Delete ${view.name}`}
                      >
                        Delete
                      </button>
                    </form>
                  )}
                </div>
                {shareLinks(view)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
