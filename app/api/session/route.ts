import { NextResponse } from "next/server";
import { errorResponse, handle, invalid, readJson } from "@/server/api";
import { fieldErrors } from "@/lib/validation";
import { clientAddress, isSameOrigin, secureWhenHttps } from "@/server/auth/origin";
import { recordAudit } from "@/db/audit/events";
import { getAuth, getPrincipal, getSessionPrincipal } from "@/server/auth/principal";
import { signIn, signInInput } from "@/server/auth/sign-in";

const SIGN_IN_MAX_BYTES = 16 * 1024;

/** Who am I: 200 with the principal, 401 when signed out. */
export async function GET(request: Request) {
  return handle(async () => {
    const principal = await getPrincipal(request.headers);
    if (!principal) return errorResponse(401, "Not signed in");
    const { kind, name, email, role } = principal;
    return NextResponse.json({ kind, name, email, role });
  });
}

/** Sign in with email and password; sets the session cookie. */
export async function POST(request: Request) {
  return handle(async () => {
    if (!isSameOrigin(request)) return errorResponse(403, "Sign in from Partnership Atlas itself");
    // Anyone can reach this without signing in: an email and a password fit in far less than 16 KB.
    const parsed = signInInput.safeParse(await readJson(request, SIGN_IN_MAX_BYTES));
    if (!parsed.success) return invalid(fieldErrors(parsed.error));
    const result = await signIn(parsed.data, request.headers);
    if (!result.ok) {
      return NextResponse.json(
        { error: result.message },
        {
          status: result.status,
          headers: result.retryAfter ? { "Retry-After": String(result.retryAfter) } : {},
        },
      );
    }
    const response = NextResponse.json({ user: result.user });
    for (const cookie of result.setCookie)
      response.headers.append("Set-Cookie", secureWhenHttps(cookie, request.headers));
    return response;
  });
}

/** Sign out: ends the session in the database and clears the cookie. */
export async function DELETE(request: Request) {
  return handle(async () => {
    if (!isSameOrigin(request)) return errorResponse(403, "Sign out from Partnership Atlas itself");
    const principal = await getSessionPrincipal(request.headers);
    const { headers } = await getAuth()
      .api.signOut({ headers: request.headers, returnHeaders: true })
      .catch(() => ({ headers: new Headers() }));
    if (principal)
      await recordAudit("sign-out", {
        actor: principal.actor,
        detail: {},
        ip: clientAddress(request.headers),
      });
    const response = new NextResponse(null, { status: 204 });
    for (const cookie of headers.getSetCookie())
      response.headers.append("Set-Cookie", secureWhenHttps(cookie, request.headers));
    return response;
  });
}
