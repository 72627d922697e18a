import type { Metadata } from "next";
import { listApiTokens } from "@/db/accounts/auth";
import { NewTokenForm } from "@/components/settings/new-token-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole } from "@/lib/roles";
import { formatTimestamp } from "@/lib/dates";
import { USER_ROLE_LABELS } from "@/lib/enums";
import { scopesForRole } from "@/lib/scopes";
import { createTokenAction, revokeTokenAction } from "../actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const me = await requirePrincipal();
  if (!hasRole(me.role, "admin")) return <AccessDenied need="admin" />;
  const tokens = await listApiTokens();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p>
            Scripts call the JSON API with <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with
            its own role, but never more than its creator&rsquo;s current role, and stops working when its
            creator is deactivated; tokens made with <code>npm run token:create</code> keep their own role.
            Scopes narrow what a token may do further (a call outside them is refused with 403 naming the
            missing scope), and an expiry ends it. Each appears under its name in the activity log.
          </p>
        </div>
      </div>
      <section className="card" aria-labelledby="new-token-h">
        <h2 id="new-token-h">Create a token</h2>
        <NewTokenForm createToken={createTokenAction} />
      </section>
      <div className="table-wrap section-gap" role="region" aria-label="API tokens table" tabIndex={0}>
        <table>
          <caption className="visually-hidden">API tokens</caption>
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Scopes</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr>
                <td colSpan={8} className="empty">
                  No tokens yet.
                </td>
              </tr>
            )}
            {tokens.map((t) => (
              <tr key={t.id}>
                <td className="title-cell">{t.name}</td>
                <td>{USER_ROLE_LABELS[t.role]}</td>
                <td className="small">
                  {(t.scopes ?? scopesForRole(t.role)).join(", ")}
                  {!t.scopes && <span className="muted"> (all of its role)</span>}
                </td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td className="small">
                  {formatTimestamp(t.createdAt.toISOString())}
                  {t.createdBy && ` by ${t.createdBy}`}
                </td>
                <td className="small">
                  {t.expiresAt ? formatTimestamp(t.expiresAt.toISOString()) : "never"}
                </td>
                <td className="small">
                  {t.lastUsedAt ? formatTimestamp(t.lastUsedAt.toISOString()) : "never"}
                </td>
                <td>
                  {t.revokedAt ? (
                    <span className="badge status-terminated">Revoked</span>
                  ) : t.expired ? (
                    <span className="badge status-terminated">Expired</span>
                  ) : (
                    <form action={revokeTokenAction}>
                      <input type="hidden" name="tokenId" value={t.id} />
                      <button type="submit" className="button small danger" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
