import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import { extractArticle, extractInputFromHtml } from "@/lib/extract";
import { fixtureGazetteer } from "@/test/fixtures/extract-gazetteer";
import {
  ArticleFetchError,
  checkPublicUrl,
  fetchArticle,
  isPrivateAddress,
  postGuarded,
  type HostLookup,
} from "./fetch-article";

let server: http.Server;
let base = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    if (path === "/article") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end("<html><body><p>Nokia and Samsung sign a deal.</p></body></html>");
    }
    if (path === "/toyota") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      const file = new URL(
        "../test/fixtures/extraction-dev/articles/a2-toyota-panasonic-2019.html",
        import.meta.url,
      );
      return res.end(fs.readFileSync(file));
    }
    if (path.startsWith("/redirect/")) {
      const n = Number(path.split("/")[2]);
      res.writeHead(302, { location: n > 0 ? `/redirect/${n - 1}` : "/article" });
      return res.end();
    }
    if (path === "/to-metadata") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      return res.end();
    }
    if (path === "/big") {
      // No content-length: the cap must hold on the bytes actually read.
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = "x".repeat(16 * 1024);
      for (let i = 0; i < 20; i++) res.write(chunk);
      return res.end();
    }
    if (path === "/slow") {
      res.writeHead(200, { "content-type": "text/html" });
      res.write("<p>start");
      return void setTimeout(() => res.end("</p>"), 2000);
    }
    if (path === "/pdf") {
      res.writeHead(200, { "content-type": "application/pdf" });
      return res.end("%PDF-1.4");
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  delete process.env.ALLOW_PRIVATE_URLS;
});

async function refusal(p: Promise<unknown>): Promise<ArticleFetchError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ArticleFetchError);
  return e as ArticleFetchError;
}

describe("fetchArticle", () => {
  it("refuses a loopback address unless ALLOW_PRIVATE_URLS names it", async () => {
    const e = await refusal(fetchArticle(`${base}/article`));
    expect(e.code).toBe("private_address");
    expect(e.message).toMatch(/private or local/);

    process.env.ALLOW_PRIVATE_URLS = "example.org, 127.0.0.1";
    const page = await fetchArticle(`${base}/article`);
    expect(page.body).toContain("Nokia and Samsung");
    expect(page.contentType).toBe("text/html");
  });

  it("hands a fetched page to the HTML reader and the extractor", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    const page = await fetchArticle(`${base}/toyota`);
    const { draft } = extractArticle(extractInputFromHtml(page.body, page.url), fixtureGazetteer());
    expect(draft.parties.map((p) => p.company)).toEqual(["Toyota", "Panasonic"]);
    expect(draft.announcedOn).toBe("2019-01-22");
    expect(draft.sources[0]!.url).toBe(
      "https://autowire.example.com/news/2019/01/22/toyota-panasonic-battery-jv",
    );
  });

  it("refuses a redirect to a private address, even when the first host is allowed", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    expect((await refusal(fetchArticle(`${base}/to-metadata`))).code).toBe("private_address");
  });

  it("follows up to three redirects and refuses a fourth", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    expect((await fetchArticle(`${base}/redirect/2`)).url).toBe(`${base}/article`);
    expect((await refusal(fetchArticle(`${base}/redirect/3`))).code).toBe("too_many_redirects");
  });

  it("stops reading past the size cap", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    const e = await refusal(fetchArticle(`${base}/big`, { maxBytes: 64 * 1024 }));
    expect(e.code).toBe("too_large");
  });

  it("gives up on a slow server after the time limit", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    const started = Date.now();
    const e = await refusal(fetchArticle(`${base}/slow`, { timeoutMs: 200 }));
    expect(e.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("accepts only HTML or text", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    expect((await refusal(fetchArticle(`${base}/pdf`))).code).toBe("content_type");
  });

  it("refuses other schemes and malformed addresses", async () => {
    expect((await refusal(fetchArticle("file:///etc/passwd"))).code).toBe("scheme");
    expect((await refusal(fetchArticle("ftp://example.org/x"))).code).toBe("scheme");
    expect((await refusal(fetchArticle("not a url"))).code).toBe("invalid_url");
  });
});

describe("isPrivateAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.20.0.1", true],
    ["192.168.1.1", true],
    ["100.64.0.1", true],
    ["169.254.169.254", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["fd00::1", true],
    ["fe80::1", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:8.8.8.8", true],
    ["8.8.8.8", false],
    ["2606:4700::1111", false],
    // Ranges that lead to an IPv4 address, or stay inside a site, without looking private at first sight.
    // ::/96, IPv4-compatible (deprecated): the IPv4 address is all it says
    ["::a00:1", true],
    ["::8.8.8.8", true],
    // ::ffff:0:0:0/96, IPv4-translated
    ["::ffff:0:7f00:1", true],
    ["::ffff:0:808:808", true],
    // 6to4: the IPv4 address in bits 16–48
    ["2002:a00:1::1", true], // 10.0.0.1
    ["2002:7f00:1::", true], // 127.0.0.1
    ["2002:c0a8:101:0:0:0:0:1", true], // 192.168.1.1
    ["2002:a9fe:a9fe::1", true], // 169.254.169.254
    ["2002:808:808::1", false], // 8.8.8.8
    // Teredo: the client's IPv4 address bit-inverted in the last 32 bits (server 65.54.227.120)
    ["2001:0:4136:e378:8000:63bf:f5ff:fffe", true], // client 10.0.0.1
    ["2001:0:4136:e378:8000:63bf:80ff:fefe", true], // client 127.0.1.1
    ["2001::4136:e378:8000:63bf:3f57:fefd", true], // client 192.168.1.2
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", false], // client 8.8.8.8
    ["2001:0:a00:1:8000:63bf:f7f7:f7f7", true], // a private Teredo server
    ["2001:db8::1", false], // 2001:db8::/32 is not Teredo
    // fec0::/10, site-local
    ["fec0::1", true],
    ["feff::1", true],
    // 64:ff9b:1::/48, local-use NAT64
    ["64:ff9b:1::a00:1", true],
    ["64:ff9b:1:ffff::1", true],
    ["64:ff9b:2::1", false],
  ])("%s → %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe("the DNS lookup under the deadline", () => {
  // A resolver that never answers, as an unreachable DNS server would.
  const hangs: HostLookup = () => new Promise(() => {});

  async function within(ms: number, p: Promise<unknown>) {
    const started = Date.now();
    const e = await refusal(p);
    expect(e.code).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(ms);
  }

  it("fetchArticle gives up on a hanging lookup at its time limit", async () => {
    await within(1500, fetchArticle("http://news.example.com/a", { timeoutMs: 200, lookup: hangs }));
  });

  it("postGuarded gives up on a hanging lookup at its time limit", async () => {
    await within(
      1500,
      postGuarded("https://hooks.example.com/a", "{}", {}, { timeoutMs: 200, lookup: hangs }),
    );
  });

  it("checkPublicUrl gives up on a hanging lookup at its time limit", async () => {
    await within(1500, checkPublicUrl("https://hooks.example.com/a", { timeoutMs: 200, lookup: hangs }));
  });

  it("still checks what the lookup answers", async () => {
    const e = await refusal(
      checkPublicUrl("https://hooks.example.com/a", {
        lookup: async () => [{ address: "2002:a00:1::1", family: 6 }],
      }),
    );
    expect(e.code).toBe("private_address");
  });
});
