import { describe, expect, it } from "vitest";
import { fromMinorUnits, isCurrency, minorDigits, toMinorUnits } from "./money";

describe("money", () => {
  it("uses each currency's own minor unit", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("KRW")).toBe(0);
    expect(minorDigits("JPY")).toBe(0);
  });
  it("converts decimal strings to integer minor units exactly", () => {
    expect(toMinorUnits("1250000.50", "USD")).toBe(125000050);
    expect(toMinorUnits("1800000000.00", "USD")).toBe(180000000000);
    expect(toMinorUnits("3000000000", "KRW")).toBe(3000000000);
    expect(toMinorUnits("0.1", "USD")).toBe(10);
  });
  it("refuses amounts it cannot store exactly", () => {
    expect(toMinorUnits("1.005", "USD")).toBeNull();
    expect(toMinorUnits("12.5", "KRW")).toBeNull();
    expect(toMinorUnits("-5", "USD")).toBeNull();
    expect(toMinorUnits("1e9", "USD")).toBeNull();
    expect(toMinorUnits("99999999999999999999", "USD")).toBeNull();
  });
  it("round-trips", () => {
    expect(fromMinorUnits(125000050, "USD")).toBe("1250000.50");
    expect(fromMinorUnits(5, "USD")).toBe("0.05");
    expect(fromMinorUnits(3000, "KRW")).toBe("3000");
  });
  it("knows ISO 4217 codes", () => {
    expect(isCurrency("EUR")).toBe(true);
    expect(isCurrency("XYZ")).toBe(false);
  });
});
