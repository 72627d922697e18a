// The Content-Security-Policy for pages. Scripts run only from our origin or with this request's
// nonce, which Next.js puts on its own inline scripts when it finds it in the request's CSP header;
// 'strict-dynamic' lets those scripts load the chunks they need. Styles stay 'unsafe-inline':
// React and the charts set style attributes, which a nonce cannot cover, and styles run no code.

/** A fresh nonce: 16 random bytes, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * `frameAncestors`: the origins that may frame the page (an embed); none given, nobody may.
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { dev?: boolean; frameAncestors?: readonly string[] } = {},
): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React's tooling needs it.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${options.frameAncestors?.length ? options.frameAncestors.join(" ") : "'none'"}`,
  ].join("; ");
}

/**
 * EMBED_ORIGINS ("https://intranet.example.com, https://wiki.example.com"): the origins allowed to
 * frame /embed pages. Only plain http(s) origins count; anything else (a path, a wildcard, a
 * keyword such as 'self' or *) is dropped, so a typo can never open framing to everyone.
 */
export function embedOrigins(raw: string | undefined): string[] {
  const origins = new Set<string>();
  for (const entry of (raw ?? "").split(/[\s,]+/)) {
    if (!entry) continue;
    try {
      const url = new URL(entry);
      const plain = /^[a-z0-9.-]+$/.test(url.hostname); // no wildcard, which CSP would honour
      if (plain && /^https?:$/.test(url.protocol) && url.origin === entry.replace(/\/$/, ""))
        origins.add(url.origin);
    } catch {
      // not an origin: dropped
    }
  }
  return [...origins];
}

/** For responses that are never rendered as a page (JSON, CSV): nothing may load or run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** X-Robots-Tag of share links and embeds: search engines keep none of it. */
export const NOINDEX = "noindex, nofollow, noarchive";

/** HSTS for a year, sent only on responses to requests that came over HTTPS. */
export const HSTS = "max-age=31536000; includeSubDomains";
