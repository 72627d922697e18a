import type { NextConfig } from "next";
import { API_CSP } from "./lib/csp";

const nextConfig: NextConfig = {
  // Native addons (better-sqlite3; resvg, which turns chart SVGs into PNGs): they must be required
  // at run time, never bundled.
  serverExternalPackages: ["better-sqlite3", "@resvg/resvg-js"],
  poweredByHeader: false,
  experimental: {
    // Next would load every route's code at start (about 60 routes, with the article extractor and
    // the CSV importer); scripts/serve.mjs warms the ones analysts open first and the rest load on
    // first use, which keeps the server's memory down.
    preloadEntriesOnStart: false,
  },
  // Pages get their CSP (with a per-request script nonce) and HSTS from proxy.ts; these apply to
  // everything, and the API's answers are never pages, so nothing may load or run from them.
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    ];
    return [
      { source: "/:path*", headers: common },
      // Everything but an embed refuses framing; an embed's framing is its CSP frame-ancestors
      // (EMBED_ORIGINS, proxy.ts), which X-Frame-Options cannot express.
      { source: "/:path((?!embed/).*)", headers: [{ key: "X-Frame-Options", value: "DENY" }] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
      { source: "/feeds/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default nextConfig;
