import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EXTRACTION_DEV, NEWS_DEV, fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import { extractInputFromHtml, readHtmlArticle } from "./html";
import { extractArticle } from "./index";
import type { ExtractInput } from "./types";

const page = (name: string) => fs.readFileSync(path.join(EXTRACTION_DEV, "articles", name), "utf8");

describe("readHtmlArticle", () => {
  it("reads Open Graph and article meta tags and keeps paragraph breaks", () => {
    const a = readHtmlArticle(page("a2-toyota-panasonic-2019.html"));
    expect(a.title).toBe("Toyota and Panasonic to set up joint venture for EV batteries");
    expect(a.canonicalUrl).toBe("https://autowire.example.com/news/2019/01/22/toyota-panasonic-battery-jv");
    expect(a.publisher).toBe("AutoWire");
    expect(a.publishedTime).toBe("2019-01-22T08:15:00+09:00");
    expect(a.text).toMatch(/electric cars\.\n\nUnder the agreement/);
    // Navigation, related links and the footer are not article text.
    expect(a.text).not.toMatch(/Subscribe|Volkswagen|All rights reserved/);
  });

  it("reads JSON-LD when there are no meta tags", () => {
    const a = readHtmlArticle(page("a4-att-ibm-2019.html"));
    expect(a.publishedTime).toBe("2019-07-16T13:05:00Z");
    expect(a.publisher).toBe("CloudBeat");
    expect(a.title).toBe("AT&T and IBM strike multi-year cloud and 5G alliance");
    expect(a.canonicalUrl).toBe("https://cloudbeat.example.net/2019/07/16/att-ibm-alliance/");
    expect(a.text).not.toMatch(/Verizon picks Amazon/);
  });

  it("survives broken JSON-LD and pages without an article element", () => {
    const a = readHtmlArticle(
      `<html><head><title>Short</title><script type="application/ld+json">{not json</script></head>
       <body><div><p>Acme and Beta sign a deal.</p><p>Second paragraph.</p></div></body></html>`,
      "https://example.org/x",
    );
    expect(a.canonicalUrl).toBe("https://example.org/x");
    expect(a.title).toBe("Short");
    expect(a.text).toBe("Acme and Beta sign a deal.\n\nSecond paragraph.");
  });
});

describe("extractInputFromHtml", () => {
  it("takes the page's calendar date as written, not converted to UTC", () => {
    const input = extractInputFromHtml(page("s6-nvidia-mercedes.html"));
    expect(input.publishedOn).toBe("2020-06-23");
    expect(input.url).toBe("https://drivetech.example.org/2020/06/mercedes-nvidia-software-defined-cars");
    expect(input.publisher).toBe("DriveTech Daily");
    expect(extractInputFromHtml(page("s6-nvidia-mercedes.html"), null, "2020-06-24").publishedOn).toBe(
      "2020-06-24",
    );
  });
});

// Issue 21: every shape of HTML an article arrives in gives the draft its plain text gives.
describe("every HTML shape reads like the equivalent text", () => {
  const items = z
    .array(z.object({ id: z.string(), title: z.string(), html: z.string() }).loose())
    .parse(JSON.parse(fs.readFileSync(path.join(NEWS_DEV, "items.json"), "utf8")));
  const item = items.find((i) => i.id === "d10")!;
  const paragraphs = [...item.html.matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1]!);
  const text = paragraphs.join("\n\n");
  const gazetteer = fixtureGazetteer();
  const draftOf = (input: ExtractInput) => extractArticle(input, gazetteer).draft;

  it("a bare fragment (feed content: <p>s with no html, body or article)", () => {
    const input = extractInputFromHtml(item.html);
    expect(input.text).toBe(text);
    expect(draftOf(input)).toEqual(draftOf({ text }));
    expect(draftOf(input).parties.map((p) => p.company)).toEqual(expect.arrayContaining(["Microsoft"]));
  });

  it("a fragment with leading whitespace or wrapped in a div", () => {
    expect(extractInputFromHtml(`\n  ${item.html}`).text).toBe(text);
    expect(extractInputFromHtml(`<div>${item.html}</div>`).text).toBe(text);
  });

  it("an <article> element with its headline, and nothing else", () => {
    const input = extractInputFromHtml(`<article><h1>${item.title}</h1>${item.html}</article>`);
    expect(input.title).toBe(item.title);
    expect(input.text).toBe(text);
    expect(draftOf(input)).toEqual(draftOf({ text, title: item.title }));
  });

  it("a whole page with navigation, an <article> and a footer", () => {
    const page = `<!doctype html><html><head><title>${item.title} | Grid Report</title>
      <meta property="og:title" content="${item.title}"></head><body>
      <nav><a href="/">Home</a> <a href="/energy">Energy</a> <a href="/subscribe">Subscribe</a></nav>
      <article><h1>${item.title}</h1>${item.html}</article>
      <footer><p>© 2024 Grid Report. All rights reserved.</p></footer></body></html>`;
    const input = extractInputFromHtml(page);
    expect(input.text).toBe(text);
    expect(draftOf(input)).toEqual(draftOf({ text, title: item.title }));
  });

  it("a whole page whose paragraphs sit directly in the body", () => {
    const input = extractInputFromHtml(`<html><body>${item.html}</body></html>`);
    expect(input.text).toBe(text);
    expect(draftOf(input)).toEqual(draftOf({ text }));
  });
});
