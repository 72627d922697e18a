import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, createNonce, embedOrigins, HSTS, NOINDEX } from "@/lib/csp";
import { arrivedOverHttps } from "@/server/auth/origin";

// Every page gets a per-request CSP nonce (Next reads it from the request's CSP header and puts it
// on its scripts) and, over HTTPS, HSTS. Visitors without a session cookie are sent to sign in,
// remembering where they were going — a convenience only: whether a session is valid, and what it
// may do, is checked by every page, Server Action and route handler itself.

// /unsubscribe: the link in a digest e-mail works without a session (its signed token is the key).
const PUBLIC_PAGES = ["/sign-in", "/setup", "/unsubscribe"];
// Share links and their embeds: the token in the URL is the credential (checked by the page), and
// nothing under them may be indexed.
const SHARED_PAGES = ["/share", "/embed"];

const under = (pathname: string, prefixes: string[]) =>
  prefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`));

export function proxy(request: NextRequest) {
  const secure = arrivedOverHttps(request.headers);
  // The API and the Atom feeds (a key in the URL) check their callers themselves and get their CSP
  // from next.config.ts; only HSTS is added.
  if (request.nextUrl.pathname.startsWith("/api/") || request.nextUrl.pathname.startsWith("/feeds/")) {
    const response = NextResponse.next();
    if (secure) response.headers.set("Strict-Transport-Security", HSTS);
    return response;
  }
  const { pathname } = request.nextUrl;
  const nonce = createNonce();
  const csp = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV !== "production",
    // Only an embed may be framed, and only by the origins the operator named.
    frameAncestors: under(pathname, ["/embed"]) ? embedOrigins(process.env.EMBED_ORIGINS) : undefined,
  });
  const shared = under(pathname, SHARED_PAGES);
  const publicPage = shared || under(pathname, PUBLIC_PAGES);

  let response: NextResponse;
  if (publicPage || getSessionCookie(request)) {
    const headers = new Headers(request.headers);
    headers.set("x-nonce", nonce);
    headers.set("Content-Security-Policy", csp);
    response = NextResponse.next({ request: { headers } });
  } else {
    const next = request.nextUrl.pathname + request.nextUrl.search;
    const url = new URL("/sign-in", request.url);
    if (next !== "/") url.searchParams.set("next", next);
    response = NextResponse.redirect(url);
  }
  response.headers.set("Content-Security-Policy", csp);
  if (shared) response.headers.set("X-Robots-Tag", NOINDEX);
  if (secure) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Everything but static files, which carry no data and load under the page's policy.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
