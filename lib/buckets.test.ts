import { describe, expect, it } from "vitest";
import { bucketLabel, bucketOf, bucketRange, bucketsBetween, fillBuckets } from "./buckets";

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
  it("lists every period between two buckets, across year ends", () => {
    expect(bucketsBetween("2019-11", "2020-02", "month")).toEqual([
      "2019-11",
      "2019-12",
      "2020-01",
      "2020-02",
    ]);
    expect(bucketsBetween("2021-Q4", "2022-Q4", "quarter")).toEqual([
      "2021-Q4",
      "2022-Q1",
      "2022-Q2",
      "2022-Q3",
      "2022-Q4",
    ]);
    expect(bucketsBetween("2017", "2019", "year")).toEqual(["2017", "2018", "2019"]);
  });
  it("fills the missing periods of a series with blanks", () => {
    const rows = [
      { bucket: "2017", n: 2 },
      { bucket: "2019", n: 1 },
    ];
    expect(fillBuckets(rows, "year", (bucket) => ({ bucket, n: 0 }))).toEqual([
      { bucket: "2017", n: 2 },
      { bucket: "2018", n: 0 },
      { bucket: "2019", n: 1 },
    ]);
    expect(fillBuckets([], "year", (bucket) => ({ bucket, n: 0 }))).toEqual([]);
  });
});
