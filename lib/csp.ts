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

export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
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
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For responses that are never rendered as a page (JSON, CSV): nothing may load or run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** HSTS for a year, sent only on responses to requests that came over HTTPS. */
export const HSTS = "max-age=31536000; includeSubDomains";
