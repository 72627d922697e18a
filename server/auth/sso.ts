import "server-only";
import { z } from "zod";
import { safeNextPath } from "@/lib/safe-next-path";
import { secureWhenHttps } from "./origin";
import { getAuth } from "./principal";
import { authConfig, SSO_PROVIDER_ID } from "./sso-config";
import { ssoAttempt, type SsoAttempt } from "./sso-provider";

// Single sign-on's two steps over better-auth's own endpoints, which Atlas does not mount wholesale:
// the start (POST /api/session/sso) sends the browser to the provider with state, nonce and a PKCE
// challenge; the callback (GET /api/auth/callback/oidc) checks them, exchanges the code and makes the
// session. Every failure returns to /sign-in?error=<code>, which ssoErrorMessage puts in words.

const SIGN_IN = "/sign-in";

/** The start's form: where to go after signing in (a same-origin path; anything else means "/"). */
export const ssoStartInput = z.object({
  next: z.string().max(2000, { error: "The return path is too long" }).optional(),
});

export const PROVIDER_UNREACHABLE =
  "The identity provider cannot be reached right now (its discovery document did not load). Try again in a moment.";

/**
 * The start of an SSO sign-in: where to send the browser, and the cookies that bind the state; or
 * null when the provider is unknown to better-auth because its discovery failed (at start and again
 * now).
 */
export async function startSsoSignIn(next: unknown, headers: Headers) {
  const started = await getAuth()
    .api.signInSocial({
      body: {
        provider: SSO_PROVIDER_ID,
        callbackURL: safeNextPath(next),
        errorCallbackURL: SIGN_IN,
        disableRedirect: true,
      },
      headers,
      returnHeaders: true,
    })
    .catch((error: unknown) => {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    });
  if (!started?.response.url) return null;
  return { url: started.response.url, setCookie: started.headers.getSetCookie() };
}

export type SsoOutcome = {
  /** The signed-in user's id, when the sign-in succeeded. */
  userId?: string;
  /** True when this sign-in linked the provider's account to an existing Atlas user. */
  linked: boolean;
};

/**
 * Completes an SSO sign-in from the provider's redirect. The answer is always a redirect: to where
 * the user was going, with the session cookie, or to the sign-in page with the reason.
 */
export async function completeSsoSignIn(
  request: Request,
): Promise<{ response: Response; outcome: SsoOutcome }> {
  const attempt: SsoAttempt = {};
  const url = new URL(request.url);
  const answer = (await ssoAttempt.run(attempt, () =>
    getAuth().api.callbackOAuth({
      params: { id: SSO_PROVIDER_ID },
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      asResponse: true,
    }),
  )) as Response;
  const location = answer.headers.get("location") ?? SIGN_IN;
  const signedIn =
    !attempt.refused &&
    !!attempt.userId &&
    answer.headers.getSetCookie().some((c) => c.includes("session_token="));
  const outcome: SsoOutcome = {
    userId: signedIn ? attempt.userId : undefined,
    linked: !attempt.refused && !!attempt.createdAccount && !attempt.createdUser,
  };
  // Atlas's own refusals reach better-auth as a failed step with a generic code: say the real one.
  const target = attempt.refused
    ? `${SIGN_IN}?error=${attempt.refused}`
    : location.startsWith("http") || location.startsWith("/")
      ? location
      : SIGN_IN;
  const headers = new Headers({ location: target, "cache-control": "no-store" });
  if (outcome.userId)
    for (const cookie of answer.headers.getSetCookie())
      headers.append("set-cookie", secureWhenHttps(cookie, request.headers));
  else
    // A refused sign-in still clears the state cookie better-auth set for it, and never sets a session.
    for (const cookie of answer.headers.getSetCookie())
      if (/max-age=0/i.test(cookie)) headers.append("set-cookie", cookie);
  return { response: new Response(null, { status: 302, headers }), outcome };
}

/** Whether SSO is configured, and what its button says. */
export function ssoButton(): { name: string } | null {
  const { sso } = authConfig();
  return sso ? { name: sso.name } : null;
}

const MESSAGES: Record<string, string> = {
  account_deactivated: "Your Partnership Atlas account is deactivated. Ask an admin to reactivate it.",
  no_role:
    "Your account at the identity provider is not in any group that may use Partnership Atlas. Ask your IT to add you.",
  account_not_linked:
    "There is already a Partnership Atlas account with this e-mail, and the identity provider does not confirm you own the address, so the two were not linked. Ask an admin.",
  issuer_mismatch:
    "The sign-in came back from a different identity provider than the one configured. Try again.",
  state_mismatch: "The sign-in was started in another browser or tab, or took too long. Try again.",
  state_not_found: "The sign-in was started in another browser or tab, or took too long. Try again.",
  please_restart_the_process: "The sign-in took too long. Try again.",
  access_denied: "The identity provider refused the sign-in.",
  email_not_found:
    "The identity provider did not tell us your e-mail address, which Partnership Atlas needs.",
};

/** The words for an SSO failure code (the `error` query parameter of /sign-in), or null for none. */
export function ssoErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return (
    MESSAGES[code] ??
    "Single sign-on did not work: the identity provider's answer could not be checked. Try again, or ask an admin if it keeps failing."
  );
}
