import type { Metadata } from "next";
import { listTeams } from "@/db/accounts/teams";
import { listWebhooks } from "@/db/follow/webhooks";
import { NewWebhookForm } from "@/components/settings/new-webhook-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole } from "@/lib/roles";
import { createWebhookAction, deleteWebhookAction, sendTestWebhookAction } from "../webhook-actions";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "admin")) return <AccessDenied need="admin" />;
  const [hooks, teams] = await Promise.all([listWebhooks(), listTeams()]);
  const disabled = hooks.filter((h) => h.disabledAt);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Webhooks</h1>
          <p>
            Atlas POSTs each chosen event as JSON to the endpoint, signed in{" "}
            <code>
              X-Atlas-Signature: t=&lt;unix seconds&gt;,sha256=&lt;hex HMAC-SHA256 of
              &quot;&lt;t&gt;.&lt;body&gt;&quot;&gt;
            </code>
            ; refuse a time more than 5 minutes off and an event <code>id</code> already seen. Endpoints use
            https:// (http:// only for hosts the server allows). Failed deliveries are retried with growing
            waits for 24 hours; an endpoint failing for 24 hours is disabled.
          </p>
        </div>
      </div>
      {disabled.length > 0 && (
        <div className="alert error" role="alert">
          Disabled after failing for 24 hours: {disabled.map((h) => h.url).join(", ")}. Use Send test once the
          receiver is back, then add it again.
        </div>
      )}
      <section className="card" aria-labelledby="new-webhook-h">
        <h2 id="new-webhook-h">Add an endpoint</h2>
        <NewWebhookForm
          createWebhook={createWebhookAction}
          teams={teams.map(({ slug, name }) => ({ slug, name }))}
        />
      </section>
      {hooks.map((hook) => (
        <section key={hook.id} className="card section-gap" aria-labelledby={`webhook-${hook.id}`}>
          <h2 id={`webhook-${hook.id}`}>{hook.url}</h2>
          <p className="small muted">
            {hook.events.join(", ")}
            {hook.team ? ` · also team ${teams.find((t) => t.slug === hook.team)?.name ?? hook.team}` : ""}
            {hook.disabledAt
              ? " · disabled"
              : hook.failingSince
                ? ` · failing since ${hook.failingSince}`
                : ""}
          </p>
          <div className="actions">
            <form action={sendTestWebhookAction}>
              <input type="hidden" name="id" value={hook.id} />
              <button type="submit" className="button small">
                Send test
              </button>
            </form>
            <form action={deleteWebhookAction}>
              <input type="hidden" name="id" value={hook.id} />
              <button type="submit" className="button small danger" aria-label={`Delete ${hook.url}`}>
                Delete
              </button>
            </form>
          </div>
          <div
            className="table-wrap"
            role="region"
            aria-label={`Recent deliveries to ${hook.url}`}
            tabIndex={0}
          >
            <table>
              <caption className="visually-hidden">Recent deliveries</caption>
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Last answer</th>
                </tr>
              </thead>
              <tbody>
                {hook.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {d.event} <span className="muted small">{d.eventId}</span>
                    </td>
                    <td>{d.status}</td>
                    <td>{d.attempts}</td>
                    <td>{d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? "—")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
