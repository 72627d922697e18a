import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it.each([
    "/\\evil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "//evil",
    "///evil",
    "/\\/evil",
    "\\\\evil",
    "https://evil",
    "http:evil",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "%2F%2Fevil",
    "/%2F/evil",
    "/%5C/evil",
    "/%5Cevil",
    "/%2f%2fevil",
    "evil.example",
    "",
    " /deals",
    "/\u0000/evil",
    "/%E0%A4%A",
  ])("refuses %j", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("refuses non-strings", () => {
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/deals"])).toBe("/");
  });

  it.each([
    "/",
    "/deals",
    "/deals/42?tab=history#quotes",
    "/deals?q=a%20b&company=SKT",
    "/companies/sk-telecom",
  ])("keeps %j", (next) => {
    expect(safeNextPath(next)).toBe(next);
  });
});
