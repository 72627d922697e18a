import { describe, expect, it } from "vitest";
import { signValue, verifySignedValue } from "./signed";

describe("signed values", () => {
  it("give back their value only unchanged, for their own purpose, and before they expire", () => {
    const now = Date.UTC(2026, 0, 1);
    const signed = signValue("purpose-a", "16-B374D848", 300, now);
    expect(verifySignedValue("purpose-a", signed, now + 299_000)).toBe("16-B374D848");
    expect(verifySignedValue("purpose-a", signed, now + 301_000)).toBeNull();
    expect(verifySignedValue("purpose-b", signed, now)).toBeNull();
    expect(
      verifySignedValue("purpose-a", signed.replace("16-B374D848", "FFFFFFFF-FFFFFFFF"), now),
    ).toBeNull();
    const [value, , mac] = signed.split(".");
    expect(
      verifySignedValue("purpose-a", `${value}.${Math.floor(now / 1000) + 10 ** 9}.${mac}`, now),
    ).toBeNull();
    expect(verifySignedValue("purpose-a", "FFFFFFFF-FFFFFFFF", now)).toBeNull();
  });
});
