/**
 * Whether a request comes from one of our own pages: the browser's Sec-Fetch-Site or Origin must
 * name this host. Behind a reverse proxy that rewrites Host, set TRUST_PROXY so X-Forwarded-Host
 * is used instead.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return site === "same-origin";
  const host =
    (process.env.TRUST_PROXY && request.headers.get("x-forwarded-host")) ||
    request.headers.get("host") ||
    new URL(request.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The client's address for rate limiting. Next's server fills X-Forwarded-For with the socket
 * address when the request has none; with TRUST_PROXY=N, the Nth address from the right (the one
 * the N-th trusted proxy saw) is used.
 */
export function clientAddress(headers: Headers): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const trusted = Math.max(1, Number.parseInt(process.env.TRUST_PROXY ?? "1", 10) || 1);
  return hops[Math.max(0, hops.length - trusted)] ?? "unknown";
}
