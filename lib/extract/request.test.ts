import { describe, expect, it } from "vitest";
import { articleRequest } from "./request";

describe("articleRequest", () => {
  it("sends a lone address as a url, markup as html, the rest as text", () => {
    expect(articleRequest(" https://example.org/news/1 ", "")).toEqual({ url: "https://example.org/news/1" });
    expect(articleRequest("<html><p>Hi</p></html>", "2019-05-14")).toEqual({
      html: "<html><p>Hi</p></html>",
      publishedOn: "2019-05-14",
    });
    expect(articleRequest("Microsoft and SK Telecom sign an MoU. See https://x.org", "")).toEqual({
      text: "Microsoft and SK Telecom sign an MoU. See https://x.org",
    });
    expect(articleRequest("ftp://example.org/x", "")).toEqual({ text: "ftp://example.org/x" });
  });
});
