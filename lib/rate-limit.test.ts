import { describe, expect, it } from "vitest";
import { retryAfter } from "./rate-limit";

describe("retryAfter", () => {
  it("allows five failures a minute, then asks the caller to wait", () => {
    const limit = { limit: 5, windowMs: 60_000 };
    let now = 1_000_000;
    const failures: number[] = [];
    for (let i = 0; i < 5; i++) {
      expect(retryAfter(failures, limit, now)).toBe(0);
      failures.push(now);
      now += 1_000;
    }
    expect(retryAfter(failures, limit, now)).toBe(55);
    expect(retryAfter([], limit, now)).toBe(0);
    now += 55_000;
    expect(retryAfter(failures, limit, now)).toBe(0);
  });

  it("counts failures in any order", () => {
    expect(retryAfter([6_000, 0], { limit: 2, windowMs: 10_000 }, 6_000)).toBe(4);
  });

  it("slides: old failures stop counting one by one", () => {
    const limit = { limit: 2, windowMs: 10_000 };
    const failures = [0, 6_000];
    expect(retryAfter(failures, limit, 6_000)).toBe(4);
    expect(retryAfter(failures, limit, 10_001)).toBe(0);
  });
});
