import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canonicalLink,
  discoverFeedLinks,
  FeedError,
  isSummaryOnly,
  normaliseText,
  parseFeedText,
} from "./feed";

// The feed reader on the development feeds and on hostile ones (issue 22).

const fixture = (path: string) =>
  readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url), "utf8");
const refusal = (text: string) => {
  try {
    parseFeedText(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FeedError);
    return (e as Error).message;
  }
  throw new Error("the feed was read");
};

describe("parseFeedText", () => {
  it("detects RSS 2.0, Atom 1.0 and JSON Feed 1.1 from the content, with full text", () => {
    const rss = parseFeedText(fixture("news-dev/feed-newsroom.xml"));
    const atom = parseFeedText(fixture("news-dev/feed-trade.atom"));
    const json = parseFeedText(fixture("news-dev/feed-wire.json"));
    expect([rss.format, atom.format, json.format]).toEqual(["rss", "atom", "json"]);
    expect([rss.entries.length, atom.entries.length, json.entries.length]).toEqual([11, 15, 10]);
    // RSS: content:encoded, not the one-line description.
    expect(rss.entries[0]!.body).toContain("BALTIMORE");
    expect(rss.entries[0]!.guid).toMatch(/^https:\/\/news\.example\//);
    expect(atom.entries[0]!.url).toMatch(/^https:\/\/news\.example\/chipwire-daily\//);
    expect(atom.entries[0]!.bodyIsHtml).toBe(true);
    expect(json.entries[0]!.publishedAt?.toISOString()).toBe("2024-03-18T12:30:00.000Z");
  });

  it("refuses entity expansion and external entities without expanding them", () => {
    expect(refusal(fixture("news-hostile/billion-laughs.xml"))).toMatch(/declares XML entities/);
    expect(refusal(fixture("news-hostile/xxe.xml"))).toMatch(/declares XML entities/);
  });

  it("says where malformed XML breaks, and tells a web page or other JSON from a feed", () => {
    expect(refusal(fixture("news-hostile/malformed.xml"))).toMatch(/^XML is malformed at line 3/);
    expect(refusal(fixture("news-hostile/page-without-feed.html"))).toBe(
      "This address returns a web page, not a feed.",
    );
    expect(refusal('{"hello": "world"}')).toMatch(/not a JSON Feed/);
    expect(refusal("{broken")).toMatch(/JSON feed is malformed/);
  });
});

describe("feed discovery and item keys", () => {
  it("finds a page's alternate feed links, resolved against the page", () => {
    expect(
      discoverFeedLinks(fixture("news-hostile/page-with-feed.html"), "http://127.0.0.1:9/news/"),
    ).toEqual([
      { url: "http://127.0.0.1:9/trade.atom", type: "application/atom+xml", title: "Latest stories" },
    ]);
    expect(discoverFeedLinks(fixture("news-hostile/page-without-feed.html"), "http://x.example/")).toEqual(
      [],
    );
  });

  it("drops tracking parameters and fragments from links", () => {
    expect(canonicalLink("https://News.example/a?utm_source=x&id=2&fbclid=1&gclid=2&mc_cid=3#top")).toBe(
      "https://news.example/a?id=2",
    );
    expect(canonicalLink("javascript:alert(1)")).toBeNull();
    expect(normaliseText("  Hello,\n WORLD! ")).toBe(normaliseText("hello world"));
    expect(isSummaryOnly("One sentence. Two sentences.")).toBe(true);
    expect(isSummaryOnly("One. Two. Three sentences here.")).toBe(false);
  });
});
