import { errorResponse, handle } from "@/server/api";
import { completeSsoSignIn, ssoButton } from "@/server/auth/sso";

// Where the identity provider sends the browser back (the redirect URI to register with it:
// {APP_URL}/api/auth/callback/oidc). Always answers with a redirect: on, signed in, or back to the
// sign-in page with the reason. docs/sso.md.

export async function GET(request: Request) {
  return handle(async () => {
    if (!ssoButton()) return errorResponse(404, "Single sign-on is not configured");
    const { response } = await completeSsoSignIn(request);
    return response;
  });
}
