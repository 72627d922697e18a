import { describe, expect, it } from "vitest";
import { FailureLimiter } from "./rate-limit";

describe("FailureLimiter", () => {
  it("allows five failures a minute, then asks the caller to wait", () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter({ limit: 5, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter("a")).toBe(0);
      limiter.fail("a");
      now += 1_000;
    }
    expect(limiter.retryAfter("a")).toBe(55);
    expect(limiter.retryAfter("b")).toBe(0);
    now += 55_000;
    expect(limiter.retryAfter("a")).toBe(0);
  });

  it("forgets a key's failures after a success", () => {
    const limiter = new FailureLimiter({ limit: 2, windowMs: 60_000 });
    limiter.fail("a");
    limiter.fail("a");
    expect(limiter.retryAfter("a")).toBeGreaterThan(0);
    limiter.reset("a");
    expect(limiter.retryAfter("a")).toBe(0);
  });

  it("slides: old failures stop counting one by one", () => {
    let now = 0;
    const limiter = new FailureLimiter({ limit: 2, windowMs: 10_000, now: () => now });
    limiter.fail("a");
    now = 6_000;
    limiter.fail("a");
    expect(limiter.retryAfter("a")).toBe(4);
    now = 10_001;
    expect(limiter.retryAfter("a")).toBe(0);
  });
});
