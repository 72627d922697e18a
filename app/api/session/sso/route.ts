import { errorResponse, handle, invalid, readBodyCapped } from "@/server/api";
import { isSameOrigin, secureWhenHttps } from "@/server/auth/origin";
import { ssoButton, ssoStartInput, startSsoSignIn } from "@/server/auth/sso";
import { fieldErrors } from "@/lib/validation";

// The sign-in page's "Sign in with …" button posts here (a plain form, so it works without script);
// the answer sends the browser on to the identity provider. docs/sso.md.

export async function POST(request: Request) {
  return handle(async () => {
    if (!isSameOrigin(request)) return errorResponse(403, "Sign in from Partnership Atlas itself");
    if (!ssoButton()) return errorResponse(404, "Single sign-on is not configured");
    const body = new URLSearchParams(new TextDecoder().decode(await readBodyCapped(request, 4096)));
    const parsed = ssoStartInput.safeParse({ next: body.get("next") ?? undefined });
    if (!parsed.success) return invalid(fieldErrors(parsed.error));
    const { url, setCookie } = await startSsoSignIn(parsed.data.next, request.headers);
    const headers = new Headers({ location: url, "cache-control": "no-store" });
    for (const cookie of setCookie) headers.append("set-cookie", secureWhenHttps(cookie, request.headers));
    return new Response(null, { status: 303, headers });
  });
}
