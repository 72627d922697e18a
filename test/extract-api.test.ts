import { PUBLIC_VIEWER } from "../db/accounts/visibility";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/extract/route";
import * as dealsRoute from "@/app/api/deals/route";
import * as technologiesRoute from "@/app/api/technologies/route";
import * as technologyRoute from "@/app/api/technologies/[slug]/route";
import { createApiToken } from "@/db/accounts/auth";
import { addArticleToDeal, keepAliases } from "@/db/deals/extract";
import { getDeal, getDealDetail, listDeals } from "@/db/deals/deals";
import { seedRealDeals } from "@/db/ops/seed";
import { defaultFilters } from "@/lib/filters";
import { tableCounts, testDb } from "./db";

// POST /api/extract on a real database seeded with the real deals, and a real local HTTP server
// standing in for a news site.

const seedArticle = fs.readFileSync(
  new URL("./fixtures/extraction-dev/articles/a0-seed-winbuzzer.txt", import.meta.url),
  "utf8",
);
let token = "";
let server: http.Server;
let base = "";

const extract = (body: unknown, raw?: string | Uint8Array<ArrayBuffer>) =>
  POST(
    new Request("http://localhost/api/extract", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: raw ?? JSON.stringify(body),
    }),
  );

beforeAll(async () => {
  await seedRealDeals(testDb());
  token = (await createApiToken({ name: "extract tests", role: "editor" })).secret;
  server = http.createServer((req, res) => {
    if (req.url === "/article") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<html><head><title>Microsoft and SK Telecom sign MoU</title><meta property="article:published_time" content="2019-05-14T08:00:00Z"></head><body><article>${seedArticle
          .split(/\n\s*\n/)
          .map((p) => `<p>${p.replace(/</g, "&lt;")}</p>`)
          .join("")}</article></body></html>`,
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("POST /api/extract", () => {
  it("drafts the seed article in the deal shape, with parties linked and the MoU it duplicates", async () => {
    const before = await tableCounts();
    const response = await extract({ text: seedArticle, publishedOn: "2019-05-14" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(
      ["article", "companies", "draft", "duplicates", "evidence", "newAreas", "warnings"].sort(),
    );
    const names = body.draft.parties.map((p: { company: string }) => p.company).sort();
    expect(names).toEqual(["Microsoft", "SK Telecom"]);
    expect(body.companies.every((c: { match: unknown }) => c.match !== null)).toBe(true);
    expect(body.draft.types[0]).toBe("mou");
    expect(body.draft.binding).toBe("non_binding");
    // The real MoU is in the seeded data: it is offered instead of a duplicate.
    const mou = (
      await listDeals({
        ...defaultFilters,
        company: ["Microsoft"],
        partner: ["SK Telecom"],
        type: ["mou"],
      })
    ).items[0]!;
    expect(body.duplicates.map((d: { id: number }) => d.id)).toContain(mou.id);
    // Evidence offsets point into the text the answer carries.
    for (const e of Object.values(body.evidence) as { snippet: string; start: number; end: number }[])
      expect(body.article.text.slice(e.start, e.end)).toBe(e.snippet);
    expect(await tableCounts()).toEqual(before); // it saves nothing
  });

  it("fetches a URL allowed by ALLOW_PRIVATE_URLS, and refuses private addresses otherwise", async () => {
    const previous = process.env.ALLOW_PRIVATE_URLS;
    try {
      delete process.env.ALLOW_PRIVATE_URLS;
      const refused = await extract({ url: `${base}/article` });
      expect(refused.status).toBe(400);
      expect((await refused.json()).fieldErrors.url[0]).toMatch(/private|local|public/i);
      process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
      const fetched = await extract({ url: `${base}/article` });
      expect(fetched.status).toBe(200);
      const body = await fetched.json();
      expect(body.draft.sources[0].url).toBe(`${base}/article`);
      expect(body.draft.announcedOn).toBe("2019-05-14");
      const missing = await extract({ url: `${base}/nothing-here` });
      expect(missing.status).toBe(400);
    } finally {
      if (previous === undefined) delete process.env.ALLOW_PRIVATE_URLS;
      else process.env.ALLOW_PRIVATE_URLS = previous;
    }
  });

  it("answers bad input with field errors and a 400", async () => {
    const cases: [unknown, string][] = [
      [{}, "_form"],
      [{ text: "a", url: "https://example.org" }, "_form"],
      [{ text: "a", html: "<p>a</p>" }, "_form"],
      [{ text: "   " }, "text"],
      [{ html: "" }, "html"],
      [{ text: "x".repeat(1024 * 1024 + 1) }, "text"],
      [{ url: "ftp://example.org/a" }, "url"],
      [{ url: "javascript:alert(1)" }, "url"],
      [{ text: "a", publishedOn: "2019-02-31" }, "publishedOn"],
      [{ text: "a", model: "gpt" }, "_form"],
      [{ text: 42 }, "text"],
    ];
    for (const [body, field] of cases) {
      const response = await extract(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors), JSON.stringify(body).slice(0, 80)).toContain(
        field,
      );
    }
    expect((await extract(undefined, "{not json")).status).toBe(400);
    // Not UTF-8: a Latin-1 "é" inside the JSON string.
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('{"text":"caf'),
      0xe9,
      ...new TextEncoder().encode('"}'),
    ]);
    expect((await extract(undefined, latin1)).status).toBe(400);
  });
});

describe("adding an article to a deal it duplicates", () => {
  it("adds the source and only new quotes, as a new version with a revision", async () => {
    const deal = (await listDeals({ ...defaultFilters, company: ["Microsoft"], partner: ["SK Telecom"] }))
      .items[0]!;
    const quote = { text: "A quote nobody has recorded yet.", speaker: "Ada Park" };
    const result = await addArticleToDeal(
      deal.id,
      { source: { url: "https://example.org/another-report" }, quotes: [quote, ...deal.quotes] },
      deal.version,
      { actor: "test" },
    );
    expect(result).toMatchObject({ addedSource: true, addedQuotes: 1 });
    const after = (await getDealDetail(deal.id, PUBLIC_VIEWER))!;
    expect(after.version).toBe(deal.version + 1);
    expect(after.sources.map((s) => s.url)).toContain("https://example.org/another-report");
    expect(after.quotes).toHaveLength(deal.quotes.length + 1);
    expect(after.revisions[0]!.changedFields.sort()).toEqual(["quotes", "sources"]);
    // The same article again adds nothing new.
    const again = await addArticleToDeal(
      deal.id,
      { source: { url: "https://example.org/another-report" }, quotes: [quote] },
      after.version,
      { actor: "test" },
    );
    expect(again).toMatchObject({ addedSource: false, addedQuotes: 0 });
  });

  it("keeps an extracted spelling as an alias, which search then finds", async () => {
    expect(await keepAliases([{ alias: "Microsoft Corp. (Redmond)", company: "Microsoft" }])).toEqual([
      "Microsoft Corp. (Redmond)",
    ]);
    // A spelling that already names a company, or names another one, is left alone.
    expect(await keepAliases([{ alias: "SKT", company: "Microsoft" }])).toEqual([]);
    const found = await (
      await dealsRoute.GET(
        new Request("http://localhost/api/deals?q=Redmond", {
          headers: { authorization: `Bearer ${token}` },
        }),
      )
    ).json();
    expect(found.total).toBeGreaterThan(0);
    expect((await getDeal(found.items[0].id))!.parties.some((p) => p.company.name === "Microsoft")).toBe(
      true,
    );
  });
});

describe("words that name a technology area (issue 21)", () => {
  const technology = (method: string, slug: string, body?: unknown) =>
    (method === "GET" ? technologyRoute.GET : technologyRoute.PATCH)(
      new Request(`http://localhost/api/technologies/${slug}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      { params: Promise.resolve({ slug }) },
    );
  const text =
    "Orbital Cells and Nova Motors have signed a supply agreement for solid electrolyte packs, the companies said. Deliveries of the solid electrolyte packs begin next year.";
  const areasOf = async () => (await (await extract({ text })).json()).draft.technologies as string[];

  it("an editor adds words to an area, and the next draft recognises the area by them", async () => {
    const created = await technologiesRoute.POST(
      new Request("http://localhost/api/technologies", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Battery packs" }),
      }),
    );
    expect(created.status).toBe(201);
    const { slug, version } = await created.json();
    expect(await areasOf()).not.toContain("Battery packs");

    const patched = await technology("PATCH", slug, {
      version,
      synonyms: ["solid electrolyte packs", "Solid Electrolyte Packs", "  "],
    });
    expect(patched.status).toBe(400);
    expect((await patched.json()).fieldErrors["synonyms.2"]).toBeDefined();
    const saved = await technology("PATCH", slug, {
      version,
      synonyms: ["solid electrolyte packs", "Solid Electrolyte Packs"],
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).synonyms).toEqual(["solid electrolyte packs"]);
    expect((await (await technology("GET", slug)).json()).synonyms).toEqual(["solid electrolyte packs"]);
    expect(await areasOf()).toContain("Battery packs");
  });
});
