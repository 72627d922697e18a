import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it("says one thing in the singular and any other count in the plural, with thousands separated", () => {
    expect(plural(1, "deal")).toBe("1 deal");
    expect(plural(0, "deal")).toBe("0 deals");
    expect(plural(2, "company", "companies")).toBe("2 companies");
    expect(plural(1, "company", "companies")).toBe("1 company");
    expect(plural(12345, "row")).toBe("12,345 rows");
  });
});
