import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { genericOAuth, type GenericOAuthUserInfo } from "better-auth/plugins/generic-oauth";
import { getUser, setUserRole } from "@/db/accounts/auth";
import { InputError } from "@/db/core/errors";
import type { UserRole } from "@/lib/enums";
import { roleFromClaims, SSO_PROVIDER_ID, type SsoConfig } from "./sso-config";

// The OpenID Connect provider as better-auth's generic-oauth plugin sees it (discovery, code flow
// with PKCE, state and nonce are the plugin's), plus what Atlas adds around a sign-in: the issuer
// must be the configured one, the role comes from the claims, a deactivated user gets no session.
// better-auth's database hooks do not see the provider's claims, so one SSO callback carries them
// from the claims to the hooks in an AsyncLocalStorage (server/auth/sso.ts opens it).

/** Why a sign-in was refused by Atlas rather than by the provider or better-auth. */
export type SsoRefusal = "account_deactivated" | "no_role" | "issuer_mismatch";

/** What one SSO callback learned on its way through better-auth. */
export type SsoAttempt = {
  /** The role the claims give; undefined when roles are not read from the provider. */
  role?: UserRole | null;
  refused?: SsoRefusal;
  userId?: string;
  createdUser?: boolean;
  createdAccount?: boolean;
};

// One store per process, even if the bundler gives the route and the auth setup copies of this module.
const globalForSso = globalThis as unknown as { atlasSsoAttempt?: AsyncLocalStorage<SsoAttempt> };
export const ssoAttempt = (globalForSso.atlasSsoAttempt ??= new AsyncLocalStorage<SsoAttempt>());

const discoveryCache = new Map<string, Promise<{ userinfo_endpoint?: string }>>();

function discovery(issuer: string) {
  let doc = discoveryCache.get(issuer);
  if (!doc) {
    doc = fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`discovery answered ${r.status}`))))
      .catch((error) => {
        discoveryCache.delete(issuer); // try again next time rather than remember an outage
        throw error;
      });
    discoveryCache.set(issuer, doc);
  }
  return doc;
}

/** The payload of a JWT; only called on ID tokens better-auth has verified already. */
function jwtClaims(token: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return null;
  }
}

const sameIssuer = (a: unknown, b: string) => typeof a === "string" && a.replace(/\/+$/, "") === b;

/**
 * The user's claims: the verified ID token's, completed by the userinfo endpoint when the token
 * lacks the e-mail or the role claim (many providers put only `sub` in it). The token's issuer must
 * be OIDC_ISSUER itself: better-auth checks the token against the issuer the discovery document
 * names, which a wrong or hijacked discovery URL could make another one.
 */
async function userInfo(sso: SsoConfig, tokens: { idToken?: string; accessToken?: string }) {
  const attempt = ssoAttempt.getStore();
  const idClaims = tokens.idToken ? jwtClaims(tokens.idToken) : null;
  if (!idClaims || typeof idClaims.sub !== "string") return null;
  if (!sameIssuer(idClaims.iss, sso.issuer)) {
    if (attempt) attempt.refused = "issuer_mismatch";
    return null;
  }
  let claims: Record<string, unknown> = idClaims;
  const needsMore = !idClaims.email || (sso.roleClaim !== null && !(sso.roleClaim in idClaims));
  if (needsMore && tokens.accessToken) {
    const { userinfo_endpoint } = await discovery(sso.issuer);
    if (userinfo_endpoint) {
      const response = await fetch(userinfo_endpoint, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
        signal: AbortSignal.timeout(10_000),
      });
      const more = response.ok ? ((await response.json()) as Record<string, unknown>) : null;
      // Userinfo about someone else would be a mix-up: OIDC Core 5.3.2 requires the same subject.
      if (more && more.sub === idClaims.sub) claims = { ...more, ...idClaims };
    }
  }
  if (attempt) attempt.role = roleFromClaims(claims, sso);
  const verified = claims.email_verified === true || claims.email_verified === "true";
  return {
    ...claims,
    id: idClaims.sub,
    sub: idClaims.sub,
    email: typeof claims.email === "string" ? claims.email : undefined,
    emailVerified: verified,
    name: String(claims.name ?? claims.preferred_username ?? claims.email ?? ""),
    image: typeof claims.picture === "string" ? claims.picture : undefined,
  } as GenericOAuthUserInfo;
}

/** The generic-oauth plugin for OIDC_ISSUER: discovery, authorization code with PKCE, nonce. */
export function ssoPlugin(sso: SsoConfig) {
  return genericOAuth({
    config: [
      {
        providerId: SSO_PROVIDER_ID,
        name: sso.name,
        discoveryUrl: `${sso.issuer}/.well-known/openid-configuration`,
        // Without the issuer's keys no ID token could be verified: better not to offer SSO at all.
        requireIdTokenVerification: true,
        clientId: sso.clientId,
        clientSecret: sso.clientSecret,
        scopes: sso.scopes,
        pkce: true,
        getUserInfo: (tokens) => userInfo(sso, tokens),
      },
    ],
  });
}

/**
 * The role a sign-in gives `userId`, applied: a role change at the provider holds from the next
 * sign-in. The last active admin keeps the role though, so the provider cannot lock every admin
 * out (docs/sso.md, break-glass).
 */
async function applyRole(userId: string, current: UserRole, role: UserRole) {
  if (role === current) return;
  try {
    await setUserRole(userId, role);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.warn(`SSO: kept ${userId} an admin (the last active one) although the provider says ${role}.`);
  }
}

/**
 * better-auth's database hooks, acting only inside an SSO callback: a new user gets the role the
 * claims (or OIDC_DEFAULT_ROLE) give, and a session is made only for an active user with a role.
 */
export function ssoDatabaseHooks(sso: SsoConfig | null) {
  return {
    user: {
      create: {
        before: async (user: Record<string, unknown>) => {
          const attempt = ssoAttempt.getStore();
          if (!attempt || !sso) return;
          const role = attempt.role === undefined ? sso.defaultRole : attempt.role;
          if (!role) {
            attempt.refused = "no_role";
            return false;
          }
          attempt.createdUser = true;
          return { data: { ...user, role } };
        },
      },
    },
    account: {
      create: {
        after: async (account: { providerId: string }) => {
          const attempt = ssoAttempt.getStore();
          if (attempt && account.providerId === SSO_PROVIDER_ID) attempt.createdAccount = true;
        },
      },
    },
    session: {
      create: {
        before: async (session: { userId: string }) => {
          const attempt = ssoAttempt.getStore();
          if (!attempt) return;
          const user = await getUser(session.userId);
          if (!user || user.deactivatedAt) {
            attempt.refused = "account_deactivated";
            return false;
          }
          if (attempt.role === null) {
            attempt.refused = "no_role";
            return false;
          }
          if (attempt.role) await applyRole(user.id, user.role, attempt.role);
          attempt.userId = user.id;
        },
      },
    },
  };
}
