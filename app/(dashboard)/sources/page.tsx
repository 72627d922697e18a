import type { Metadata } from "next";
import { listSources } from "@/db/news/sources";
import { AddSourceForm } from "@/components/sources/add-source-form";
import { SourceControls } from "@/components/sources/source-controls";
import { AccessDenied } from "@/components/ui/access-denied";
import { FEED_FORMAT_LABELS } from "@/lib/enums";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { addSourceAction, sourceRowAction } from "./actions";

export const metadata: Metadata = { title: "News sources" };

const STATUS_LABELS = { pending: "Not fetched yet", ok: "OK", error: "Failing", paused: "Paused" } as const;

const when = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) +
      " UTC"
    : "never";

export default async function SourcesPage() {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "editor")) return <AccessDenied need="editor" />;
  const sources = await listSources();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>News sources</h1>
          <p>
            Feeds Atlas reads for you: every new item is stored once and read for deals, which wait for a
            decision among the candidates. Sources are polled in the background (every 30 minutes unless you
            change it), with longer waits while a feed fails.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="add-source-h">
        <h2 id="add-source-h">Add a source</h2>
        <AddSourceForm addSource={addSourceAction} />
      </section>
      <section className="section-gap" aria-labelledby="sources-h">
        <h2 id="sources-h">Sources ({sources.length})</h2>
        {sources.length === 0 ? (
          <p className="muted">No sources yet.</p>
        ) : (
          <ul className="source-list">
            {sources.map((s) => (
              <li key={s.id} className="card" aria-labelledby={`source-${s.id}`}>
                <h3 id={`source-${s.id}`}>{s.name}</h3>
                <p className="small muted source-url">
                  {s.url}
                  {s.pageUrl ? ` (found on ${s.pageUrl})` : ""}
                </p>
                <dl className="source-facts">
                  <div>
                    <dt>Format</dt>
                    <dd>{s.format ? FEED_FORMAT_LABELS[s.format] : "unknown yet"}</dd>
                  </div>
                  <div>
                    <dt>Status</dt>
                    <dd>{STATUS_LABELS[s.status]}</dd>
                  </div>
                  <div>
                    <dt>Last fetch</dt>
                    <dd>{when(s.lastFetchedAt)}</dd>
                  </div>
                  <div>
                    <dt>Items seen</dt>
                    <dd>{s.itemsSeen}</dd>
                  </div>
                  <div>
                    <dt>Candidates made</dt>
                    <dd>
                      {s.candidatesMade}
                      {s.accepted + s.dismissed > 0 && ` (${s.accepted} accepted, ${s.dismissed} dismissed)`}
                    </dd>
                  </div>
                </dl>
                {s.lastError && (
                  <p className="alert error source-error">
                    <strong>Last error:</strong> {s.lastError}
                    {s.status === "error" && s.nextFetchAt && ` Next try ${when(s.nextFetchAt)}.`}
                  </p>
                )}
                <SourceControls source={s} act={sourceRowAction} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
