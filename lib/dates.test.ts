import { describe, expect, it } from "vitest";
import { formatDealDate } from "./dates";

describe("formatDealDate", () => {
  it("shows only as much of the date as is known", () => {
    expect(formatDealDate("2019-05-13", "day")).toBe("13 May 2019");
    expect(formatDealDate("2019-02-01", "month")).toBe("Feb 2019");
    expect(formatDealDate("2019-01-01", "year")).toBe("2019");
  });
});
