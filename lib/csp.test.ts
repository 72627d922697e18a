import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce } from "./csp";

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
});
