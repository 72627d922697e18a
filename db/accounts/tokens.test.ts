import { describe, expect, it } from "vitest";
import { bearerToken, generateApiToken, hashApiToken, TOKEN_PREFIX } from "./tokens";

describe("API tokens", () => {
  it("are long random secrets whose stored form is a hash, not the secret", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.secret).not.toBe(b.secret);
    expect(a.secret.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(a.secret.length).toBeGreaterThanOrEqual(TOKEN_PREFIX.length + 43);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.secret.slice(TOKEN_PREFIX.length));
    expect(a.secret.startsWith(a.prefix)).toBe(true);
  });

  it("hash deterministically, so a presented secret can be looked up", () => {
    const { secret, hash } = generateApiToken();
    expect(hashApiToken(secret)).toBe(hash);
    expect(hashApiToken(`${secret}x`)).not.toBe(hash);
  });

  it("are read from a Bearer header only", () => {
    expect(bearerToken("Bearer pat_abc")).toBe("pat_abc");
    expect(bearerToken("bearer   pat_abc ")).toBe("pat_abc");
    expect(bearerToken("Basic pat_abc")).toBeNull();
    expect(bearerToken("Bearer")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
