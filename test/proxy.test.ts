import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

// The proxy's headers: a per-request CSP nonce for pages (passed on to Next in the request's CSP
// header, where Next finds it for its scripts), and HSTS whenever the request came over HTTPS.

afterEach(() => {
  delete process.env.TRUST_PROXY;
  delete process.env.EMBED_ORIGINS;
});

const page = (path: string, headers: Record<string, string> = {}) =>
  proxy(new NextRequest(`http://atlas.test${path}`, { headers }));
const scriptSrc = (csp: string | null) =>
  (csp ?? "")
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src")) ?? "";

describe("proxy", () => {
  it("gives each page request its own nonce, in the response and the request Next renders", () => {
    const first = page("/sign-in");
    const second = page("/sign-in");
    const csp = first.headers.get("content-security-policy");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc(csp))?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc(csp)).not.toContain("unsafe-inline");
    expect(second.headers.get("content-security-policy")).not.toBe(csp);
    // NextResponse.next({ request: { headers } }) hands these to the render.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
  });

  it("still sends visitors without a session to sign in, with a CSP", () => {
    const response = page("/deals?q=x");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://atlas.test/sign-in?next=%2Fdeals%3Fq%3Dx");
    expect(response.headers.get("content-security-policy")).toContain("nonce-");
  });

  it("sends HSTS only when the request came over HTTPS through a trusted proxy", () => {
    const https = { "x-forwarded-proto": "https" };
    expect(page("/sign-in", https).headers.get("strict-transport-security")).toBeNull();
    expect(page("/api/deals", https).headers.get("strict-transport-security")).toBeNull();
    process.env.TRUST_PROXY = "1";
    expect(page("/sign-in", https).headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(page("/api/deals", https).headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(
      page("/sign-in", { "x-forwarded-proto": "http" }).headers.get("strict-transport-security"),
    ).toBeNull();
  });

  it("lets share links and embeds through without a session, marked noindex", () => {
    for (const path of ["/share/abc", "/share/abc/charts/deal-types.svg", "/embed/abc/deal-types"]) {
      const response = page(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("location")).toBeNull();
      expect(response.headers.get("x-robots-tag")).toMatch(/noindex/);
    }
    expect(page("/shared-things").status).toBe(307);
    expect(page("/deals").headers.get("x-robots-tag")).toBeNull();
  });

  it("lets only EMBED_ORIGINS frame an embed, and nobody frame anything else", () => {
    const ancestors = (path: string) =>
      (page(path).headers.get("content-security-policy") ?? "")
        .split(";")
        .map((d) => d.trim())
        .find((d) => d.startsWith("frame-ancestors"));
    expect(ancestors("/embed/abc/deal-types")).toBe("frame-ancestors 'none'");
    process.env.EMBED_ORIGINS = "https://intranet.example.com";
    expect(ancestors("/embed/abc/deal-types")).toBe("frame-ancestors https://intranet.example.com");
    expect(ancestors("/share/abc")).toBe("frame-ancestors 'none'");
    expect(ancestors("/sign-in")).toBe("frame-ancestors 'none'");
  });
});
