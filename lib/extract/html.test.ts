import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTRACTION_DEV } from "@/test/fixtures/extract-gazetteer";
import { extractInputFromHtml, readHtmlArticle } from "./html";

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
