/**
 * Whether a request comes from one of our own pages: the browser's Sec-Fetch-Site or Origin must
 * name this host. Behind a reverse proxy that rewrites Host, set TRUST_PROXY (>= 1) so
 * X-Forwarded-Host is used instead.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return site === "same-origin";
  const host =
    (trustedProxies() > 0 && request.headers.get("x-forwarded-host")) ||
    request.headers.get("host") ||
    new URL(request.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** TRUST_PROXY: how many reverse proxies in front of the app we believe (0 when unset or invalid). */
export function trustedProxies(): number {
  const n = Number.parseInt(process.env.TRUST_PROXY ?? "0", 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 10) : 0;
}

// Stamped on every request by scripts/peer-address.mjs, which scripts/serve.mjs loads first:
// the socket's address and whether it was TLS. Believed only when that preload is present, so a
// server started some other way cannot be fooled by a client sending these names itself.
const PEER_ADDRESS = "x-atlas-peer-address";
const PEER_TLS = "x-atlas-peer-tls";
function peerStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for("atlas.peerAddress")] === true;
}

/**
 * The client's address for rate limiting. Next copies a client's own X-Forwarded-For when there is
 * one, so the header is believed only with TRUST_PROXY=N >= 1, and then only N hops from the right
 * (the address the outermost trusted proxy saw). Without a trusted proxy it is the socket's
 * address, or "unknown" when the server was started without the preload that records it.
 */
export function clientAddress(headers: Headers): string {
  const trusted = trustedProxies();
  const peer = peerStamped() ? headers.get(PEER_ADDRESS) : null;
  if (trusted === 0) return peer || "unknown";
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[Math.max(0, hops.length - trusted)] ?? peer ?? "unknown";
}

/**
 * The block a client address is counted in for rate limits: an IPv4 address itself, an IPv6 address
 * by its /64 (one subscriber usually holds a whole /64, so counting single addresses would give
 * each client billions of fresh starts). IPv4-mapped IPv6 addresses count as their IPv4 address.
 */
export function addressBlock(address: string): string {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(":") || !/^[0-9a-f:.]+$/i.test(bare) || bare.split("::").length > 2) return address;
  const [head = "", tail = ""] = bare.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (::1.2.3.4) sits in the last 32 bits, outside the /64.
  const zeros = Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  const groups = bare.includes("::") ? [...left, ...zeros, ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Whether the request reached us over HTTPS: the socket was TLS, or, with TRUST_PROXY >= 1, the
 * nearest proxy says X-Forwarded-Proto: https (a client's own header is not believed otherwise).
 */
export function arrivedOverHttps(headers: Headers): boolean {
  if (peerStamped() && headers.get(PEER_TLS) === "1") return true;
  if (trustedProxies() === 0) return false;
  const protos = (headers.get("x-forwarded-proto") ?? "").split(",").map((s) => s.trim().toLowerCase());
  return protos[protos.length - 1] === "https";
}

/**
 * A Set-Cookie value marked Secure when the request came over HTTPS, so the session cookie never
 * travels in clear text afterwards even when APP_URL does not say https.
 */
export function secureWhenHttps(setCookie: string, headers: Headers): string {
  if (!arrivedOverHttps(headers) || /;\s*secure\s*(;|$)/i.test(setCookie)) return setCookie;
  return `${setCookie}; Secure`;
}
