import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

// A convenience only: send visitors without a session cookie to sign in, remembering where they
// were going. Whether a session is valid, and what it may do, is checked by every page, Server
// Action and route handler itself.
export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const next = request.nextUrl.pathname + request.nextUrl.search;
  const url = new URL("/sign-in", request.url);
  if (next !== "/") url.searchParams.set("next", next);
  return NextResponse.redirect(url);
}

export const config = {
  // Pages only: not the API (it answers 401 itself), sign-in, first-run setup, or static files.
  matcher: ["/((?!api|sign-in|setup|_next/static|_next/image|favicon.ico).*)"],
};
