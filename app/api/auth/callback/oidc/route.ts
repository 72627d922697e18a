import { recordAudit } from "@/db/audit/events";
import { getUser } from "@/db/accounts/auth";
import { errorResponse, handle } from "@/server/api";
import { clientAddress } from "@/server/auth/origin";
import { completeSsoSignIn, ssoButton } from "@/server/auth/sso";

// Where the identity provider sends the browser back (the redirect URI to register with it:
// {APP_URL}/api/auth/callback/oidc). Always answers with a redirect: on, signed in, or back to the
// sign-in page with the reason. docs/sso.md.

export async function GET(request: Request) {
  return handle(async () => {
    const button = ssoButton();
    if (!button) return errorResponse(404, "Single sign-on is not configured");
    const { response, outcome } = await completeSsoSignIn(request);
    // Linking a provider's account to an existing user is a security event of its own (issue 25).
    if (outcome.linked && outcome.userId) {
      const user = await getUser(outcome.userId);
      await recordAudit("sso-link", {
        actor: { name: user ? `${user.name} <${user.email}>` : outcome.userId, userId: outcome.userId },
        detail: { provider: button.name },
        ip: clientAddress(request.headers),
      });
    }
    return response;
  });
}
