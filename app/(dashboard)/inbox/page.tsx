import type { Metadata } from "next";
import Link from "next/link";
import { getInbox } from "@/db/follow/inbox";
import { requirePrincipal } from "@/server/auth/page";
import { markInboxReadAction } from "../views/actions";
import { plural } from "@/lib/plural";
import { REVISION_ACTION_LABELS, type RevisionAction } from "@/lib/enums";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage() {
  const principal = await requirePrincipal();
  const inbox = await getInbox(principal.id);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Inbox</h1>
          <p>
            Deals added or changed in what you watch (companies, technology areas and{" "}
            <Link href="/views">views</Link>) since you last marked the inbox read.
          </p>
        </div>
        {inbox.unread > 0 && (
          <form action={markInboxReadAction}>
            <input type="hidden" name="upTo" value={inbox.newestRevisionId} />
            <button type="submit" className="button primary">
              Mark all read
            </button>
          </form>
        )}
      </div>
      <p role="status">{inbox.unread === 0 ? "Nothing new." : plural(inbox.unread, "unread change")}</p>
      {inbox.groups.map((group) => (
        <section key={group.watch.id} aria-labelledby={`watch-${group.watch.id}`} className="section-gap">
          <h2 id={`watch-${group.watch.id}`}>
            <Link href={group.watch.href}>{group.watch.label}</Link>
          </h2>
          <ul className="inbox-list">
            {group.items.map((item) => (
              <li key={item.revisionId}>
                <strong>{REVISION_ACTION_LABELS[item.action as RevisionAction] ?? item.action}:</strong>{" "}
                <Link href={`/deals/${item.dealId}`}>{item.dealTitle}</Link>
                {item.action === "update" && item.changedFields.length > 0 && (
                  <span> — changed {item.changedFields.join(", ")}</span>
                )}
                <div className="muted small">
                  by {item.actor},{" "}
                  <time dateTime={item.at}>{item.at.slice(0, 16).replace("T", " ")} UTC</time>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
