import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, embedOrigins } from "./csp";

const directive = (csp: string, name: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `));

describe("contentSecurityPolicy", () => {
  it("allows scripts by nonce, never 'unsafe-inline'", () => {
    const nonce = createNonce();
    const scripts = directive(contentSecurityPolicy(nonce), "script-src")!;
    expect(scripts).toContain(`'nonce-${nonce}'`);
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(directive(contentSecurityPolicy(nonce, { dev: true }), "script-src")).toContain("'unsafe-eval'");
  });

  it("makes a fresh, unguessable nonce per call", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("denies framing unless frame-ancestors are given (an embed)", () => {
    expect(directive(contentSecurityPolicy("n"), "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(contentSecurityPolicy("n", { frameAncestors: [] }), "frame-ancestors")).toBe(
      "frame-ancestors 'none'",
    );
    expect(
      directive(
        contentSecurityPolicy("n", { frameAncestors: ["https://a.example", "https://b.example"] }),
        "frame-ancestors",
      ),
    ).toBe("frame-ancestors https://a.example https://b.example");
  });
});

describe("embedOrigins", () => {
  it("keeps plain http(s) origins and drops anything that could widen framing", () => {
    expect(embedOrigins(undefined)).toEqual([]);
    expect(
      embedOrigins(
        "https://intranet.example.com, http://wiki.example:8080/  https://intranet.example.com * 'self' https://*.example.com https://x.example/path javascript:alert(1) intranet.example",
      ),
    ).toEqual(["https://intranet.example.com", "http://wiki.example:8080"]);
  });
});
