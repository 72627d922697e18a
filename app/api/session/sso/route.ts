import { NextResponse } from "next/server";
import { errorResponse, handle, invalid, readJson } from "@/server/api";
import { isSameOrigin, secureWhenHttps } from "@/server/auth/origin";
import { PROVIDER_UNREACHABLE, ssoButton, ssoStartInput, startSsoSignIn } from "@/server/auth/sso";
import { fieldErrors } from "@/lib/validation";

// The sign-in page's "Sign in with …" button: answers the identity provider's address, which the
// page then opens (a form posting here could not follow the redirect: the pages' CSP allows forms
// to submit only to Atlas). The cookies set here bind the sign-in to this browser. docs/sso.md.

export async function POST(request: Request) {
  return handle(async () => {
    if (!isSameOrigin(request)) return errorResponse(403, "Sign in from Partnership Atlas itself");
    if (!ssoButton()) return errorResponse(404, "Single sign-on is not configured");
    const parsed = ssoStartInput.safeParse(await readJson(request, 4096));
    if (!parsed.success) return invalid(fieldErrors(parsed.error));
    const started = await startSsoSignIn(parsed.data.next, request.headers);
    if (!started) return errorResponse(503, PROVIDER_UNREACHABLE);
    const response = NextResponse.json({ url: started.url }, { headers: { "cache-control": "no-store" } });
    for (const cookie of started.setCookie)
      response.headers.append("set-cookie", secureWhenHttps(cookie, request.headers));
    return response;
  });
}
