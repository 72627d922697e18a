import { describe, expect, it } from "vitest";
import { bucketLabel, bucketOf, bucketRange } from "./buckets";

describe("buckets", () => {
  it("places dates in months, quarters and years", () => {
    expect(bucketOf("2019-05-13", "month")).toBe("2019-05");
    expect(bucketOf("2019-05-13", "quarter")).toBe("2019-Q2");
    expect(bucketOf("2019-12-31", "quarter")).toBe("2019-Q4");
    expect(bucketOf("2019-01-01", "year")).toBe("2019");
  });
  it("turns a bucket back into an inclusive date range", () => {
    expect(bucketRange("2019-Q2")).toEqual({ from: "2019-04-01", to: "2019-06-30" });
    expect(bucketRange("2024-02")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(bucketRange("2019")).toEqual({ from: "2019-01-01", to: "2019-12-31" });
  });
  it("labels buckets for axes", () => {
    expect(bucketLabel("2019-05")).toBe("May 2019");
    expect(bucketLabel("2019-Q2")).toBe("Q2 2019");
  });
});
