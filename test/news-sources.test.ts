import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sourcesRoute from "@/app/api/sources/route";
import * as sourceRoute from "@/app/api/sources/[id]/route";
import * as fetchRoute from "@/app/api/sources/[id]/fetch/route";
import { createApiToken } from "@/db/accounts/auth";
import { InputError } from "@/db/core/errors";
import { claimDueSource, createSource, getSource, listSources, retryDelayMs } from "@/db/news/sources";
import { newsItems, newsSources } from "@/db/schema";
import { pollDueSources, pollSource } from "@/server/news/poll";
import { addSource } from "@/server/news/sources";
import { tableCounts, testDb, unique } from "./db";

// News sources end to end on a real database and a real local HTTP server serving the development
// feeds (test/fixtures/news-dev) and hostile ones: formats, discovery, conditional GET, items stored
// once, refusals that change nothing, back-off and the API's statuses (issue 22).

const fixture = (path: string) => readFileSync(new URL(`fixtures/${path}`, import.meta.url), "utf8");

let server: http.Server;
let base = "";
const notModified = new Map<string, number>();
const hits = new Map<string, number>();
/** The feed /dyn/<key>.xml serves, set by each test. */
const dynamic = new Map<string, string>();

const FILES: Record<string, [string, string]> = {
  "/newsroom.xml": ["news-dev/feed-newsroom.xml", "application/rss+xml"],
  "/trade.atom": ["news-dev/feed-trade.atom", "application/atom+xml"],
  "/wire.json": ["news-dev/feed-wire.json", "application/feed+json"],
  "/trade-page.html": ["news-hostile/page-with-feed.html", "text/html; charset=utf-8"],
  "/no-feed.html": ["news-hostile/page-without-feed.html", "text/html"],
  "/laughs.xml": ["news-hostile/billion-laughs.xml", "application/rss+xml"],
  "/xxe.xml": ["news-hostile/xxe.xml", "application/rss+xml"],
  "/malformed.xml": ["news-hostile/malformed.xml", "application/xml"],
};

beforeAll(async () => {
  testDb();
  process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
  server = http.createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = FILES[path];
    if (file) {
      // Validators as a real server sends them; a matching conditional GET is a counted 304.
      const etag = `"${path.length}-v1"`;
      if (req.headers["if-none-match"] === etag) {
        notModified.set(path, (notModified.get(path) ?? 0) + 1);
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { "content-type": file[1], etag, "last-modified": "Mon, 02 Dec 2024 10:00:00 GMT" });
      res.end(fixture(file[0]));
      return;
    }
    if (path === "/huge.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(
        `<rss version="2.0"><channel><title>Big</title>${"<!-- padding -->".repeat(400_000)}</channel></rss>`,
      );
      return;
    }
    if (path.startsWith("/dyn/") && dynamic.has(path)) {
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(dynamic.get(path));
      return;
    }
    if (path.startsWith("/article/")) {
      const words = "The two companies signed a definitive agreement to build the plant together. ".repeat(
        12,
      );
      res.writeHead(200, { "content-type": "text/html" });
      res.end(
        `<!doctype html><html><body><article><h1>Full story</h1><p>${words}</p><p>Full page text.</p></article></body></html>`,
      );
      return;
    }
    res.writeHead(404).end("not here");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  delete process.env.ALLOW_PRIVATE_URLS;
  server.close();
});

const itemsOf = async (sourceId: number) =>
  testDb().select().from(newsItems).where(eq(newsItems.sourceId, sourceId));

const rss = (items: { guid: string; link: string; title: string; text: string }[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Dyn</title><link>${base}</link><description>d</description>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${i.link.replace(/&/g, "&amp;")}</link><guid>${i.guid}</guid><description><![CDATA[${i.text}]]></description></item>`,
    )
    .join("")}</channel></rss>`;

const story = (n: number) =>
  `Story ${n} ${unique("text")}. Alpha and Beta agreed to work together on batteries. They will build a plant. It opens next year.`;

describe("adding sources", () => {
  it("detects each format from the content and stores the feed's items", async () => {
    const earlier = new Set<number>();
    for (const [path, format, count] of [
      ["/newsroom.xml", "rss", 11],
      ["/trade.atom", "atom", 15],
      ["/wire.json", "json", 10],
    ] as const) {
      const added = await addSource({ name: unique("Feed"), url: `${base}${path}?first` }, null);
      expect(added).toMatchObject({ format, status: "ok", itemsSeen: count, pageUrl: null });
      const items = await itemsOf(added.id);
      expect(items.length).toBe(count);
      // Candidates made: those its items started, not those they joined (each counted once).
      const made = new Set(
        items.flatMap((i) => (i.candidateId && !earlier.has(i.candidateId) ? [i.candidateId] : [])),
      );
      expect(added.candidatesMade, path).toBe(made.size);
      made.forEach((id) => earlier.add(id));
    }
    // Full text from the feed: the newsroom's content:encoded, not the one-line description.
    const newsroom = (await listSources()).find((s) => s.format === "rss")!;
    const [item] = await itemsOf(newsroom.id);
    expect(item!.content.length).toBeGreaterThan(300);
  });

  it("finds the feed a web page names and says which it took", async () => {
    const added = await addSource({ name: unique("Trade page"), url: `${base}/trade-page.html` }, null);
    expect(added.url).toBe(`${base}/trade.atom`);
    expect(added.pageUrl).toBe(`${base}/trade-page.html`);
    expect(added.format).toBe("atom");
    expect(added.message).toContain(`${base}/trade.atom`);
  });

  it("refuses a page that names no feed, as a field error, saving nothing", async () => {
    const before = await tableCounts();
    const error = await addSource({ name: unique("Homepage"), url: `${base}/no-feed.html` }, null).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).fieldErrors.url?.[0]).toMatch(/returns a web page, not a feed/);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("polling", () => {
  it("asks conditionally: an unchanged feed answers 304 and nothing is new", async () => {
    const added = await addSource({ name: unique("Wire"), url: `${base}/wire.json?conditional` }, null);
    const before = notModified.get("/wire.json") ?? 0;
    const again = await pollSource(await getSource(added.id));
    expect(again).toEqual({ ok: true, items: 0, new: 0, candidates: 0 });
    expect(notModified.get("/wire.json")).toBe(before + 1);
    expect((await getSource(added.id)).lastError).toBeNull();
  });

  it("stores an item once over three polls: same guid, same link with tracking, same text", async () => {
    const path = `/dyn/${unique("once").replace(/\W/g, "")}.xml`;
    const items = [1, 2, 3].map((n) => ({
      guid: `g-${n}-${path}`,
      link: `${base}/story${path}/${n}`,
      title: `Story ${n}`,
      text: story(n),
    }));
    dynamic.set(path, rss(items));
    const added = await addSource({ name: unique("Dyn"), url: `${base}${path}` }, null);
    expect((await itemsOf(added.id)).length).toBe(3);
    // Second poll: the same items, one with tracking parameters on its link (another guid, reworded),
    // one with the same text under another guid and link.
    dynamic.set(
      path,
      rss([
        ...items,
        {
          ...items[0]!,
          guid: "other-guid-1",
          text: story(9), // reworded: only the link says it is the same article
          link: `${items[0]!.link}?utm_source=feed&utm_medium=rss#comments`,
        },
        {
          ...items[1]!,
          guid: "other-guid-2",
          link: `${base}/elsewhere${path}`,
          text: `  ${items[1]!.text.toUpperCase()} `,
        },
      ]),
    );
    const second = await pollSource(await getSource(added.id));
    expect(second).toMatchObject({ ok: true, items: 5, new: 0 });
    const third = await pollSource(await getSource(added.id));
    expect(third).toMatchObject({ ok: true, new: 0 });
    expect((await itemsOf(added.id)).length).toBe(3);
    expect((await getSource(added.id)).itemsSeen).toBe(3);
    // Handed on: processPendingItems marked them read.
    expect((await itemsOf(added.id)).every((i) => i.processedAt !== null)).toBe(true);
  });

  it("reads the linked page when the feed gives only a summary", async () => {
    const path = `/dyn/${unique("summary").replace(/\W/g, "")}.xml`;
    dynamic.set(
      path,
      rss([
        {
          guid: `s-${path}`,
          link: `${base}/article${path}`,
          title: "Short",
          text: "<p>Alpha and Beta team up.</p>",
        },
      ]),
    );
    const added = await addSource({ name: unique("Summary"), url: `${base}${path}` }, null);
    const [item] = await itemsOf(added.id);
    expect(item!.content).toContain("Full page text.");
  });

  it("refuses hostile, malformed, huge and missing feeds with their error, changing nothing else", async () => {
    const cases: [string, RegExp][] = [
      ["/laughs.xml", /declares XML entities/],
      ["/xxe.xml", /declares XML entities/],
      ["/malformed.xml", /^XML is malformed at line 3/],
      ["/huge.xml", /^The feed is larger than 5 MB\.$/],
      ["/gone.xml", /^The feed answered with HTTP 404\.$/],
    ];
    for (const [path, words] of cases) {
      const added = await addSource({ name: unique("Bad"), url: `${base}${path}` }, null);
      expect(added.status).toBe("error");
      expect(added.lastError).toMatch(words);
      const before = await tableCounts();
      const row = await getSource(added.id);
      const polled = await pollSource(row);
      expect(polled).toMatchObject({ ok: false });
      expect(await tableCounts()).toEqual(before);
      const after = await getSource(added.id);
      expect({
        ...after,
        failures: row.failures,
        nextFetchAt: row.nextFetchAt,
        lastFetchedAt: row.lastFetchedAt,
      }).toEqual(row);
      expect(after.failures).toBe(row.failures + 1);
    }
  });
});

describe("a source whose address turns into a web page", () => {
  it("records that the page is not a feed and names the feed it links to", async () => {
    const source = await createSource(
      {
        name: unique("Moved"),
        url: `${base}/trade-page.html?${unique("m").replace(/\W/g, "")}`,
        pageUrl: null,
        format: "atom",
      },
      null,
    );
    expect(await pollSource(source)).toEqual({
      ok: false,
      error: `This address returns a web page, not a feed — its feed is ${base}/trade.atom.`,
    });
    expect((await getSource(source.id)).lastError).toMatch(/its feed is/);
  });
});

describe("back-off and restarts", () => {
  it("waits the interval × 2^failures after each failure, at most a day, and keeps it in the database", async () => {
    expect(retryDelayMs(30, 1)).toBe(60 * 60_000);
    expect(retryDelayMs(30, 2)).toBe(120 * 60_000);
    expect(retryDelayMs(30, 10)).toBe(24 * 60 * 60_000);
    const added = await addSource(
      { name: unique("Failing"), url: `${base}/gone-${unique("x").replace(/\W/g, "")}.xml` },
      null,
    );
    const first = await getSource(added.id);
    expect(first.failures).toBe(1);
    const t0 = new Date(Date.now() + 1000);
    await pollSource(first, t0);
    const second = await getSource(added.id);
    expect(second.failures).toBe(2);
    expect(second.nextFetchAt.getTime()).toBe(t0.getTime() + 120 * 60_000);
    // What a restarted server reads: not due before its time, due after.
    const early = await claimDueSource(new Date(second.nextFetchAt.getTime() - 1000), 60_000);
    expect(early?.id).not.toBe(added.id);
  });

  it("lets only one server claim a due source", async () => {
    // Park every other source, then make this one due.
    await testDb().write((tx) =>
      tx.update(newsSources).set({ nextFetchAt: new Date(Date.now() + 86_400_000) }),
    );
    const added = await addSource(
      { name: unique("Claimed"), url: `${base}/trade.atom?${unique("q").replace(/\W/g, "")}` },
      null,
    );
    await testDb().write((tx) =>
      tx
        .update(newsSources)
        .set({ nextFetchAt: new Date(0) })
        .where(eq(newsSources.id, added.id)),
    );
    const now = new Date();
    const [a, b] = await Promise.all([claimDueSource(now, 60_000), claimDueSource(now, 60_000)]);
    expect([a?.id, b?.id].filter(Boolean)).toEqual([added.id]);
    expect(await claimDueSource(now, 60_000)).toBeNull();
    // After the lease it is due again, and the worker's pass polls it.
    expect(await pollDueSources(() => new Date(now.getTime() + 61_000))).toBe(1);
    expect((await getSource(added.id)).lastSuccessAt).not.toBeNull();
  });
});

describe("the API", () => {
  const api = "http://localhost/api/sources";
  let editor = "";
  let viewer = "";
  beforeAll(async () => {
    editor = (await createApiToken({ name: "sources-editor", role: "editor" })).secret;
    viewer = (await createApiToken({ name: "sources-viewer", role: "viewer" })).secret;
  });
  const req = (token: string, method: string, path = "", body?: unknown) =>
    new Request(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const ctx = (id: number | string) => ({ params: Promise.resolve({ id: String(id) }) });

  it("adds, lists, changes, fetches and deletes a source", async () => {
    const path = `/dyn/${unique("api").replace(/\W/g, "")}.xml`;
    dynamic.set(
      path,
      rss(
        [1, 2].map((n) => ({
          guid: `${path}-${n}`,
          link: `${base}/story${path}/${n}`,
          title: `API ${n}`,
          text: story(n),
        })),
      ),
    );
    const url = `${base}${path}`;
    const created = await sourcesRoute.POST(req(editor, "POST", "", { name: "Newsroom", url }));
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({ name: "Newsroom", url, format: "rss", status: "ok" });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["id", "name", "url", "format", "status"]));
    expect(typeof body.id).toBe("number");

    expect((await sourcesRoute.POST(req(editor, "POST", "", { name: "Again", url }))).status).toBe(409);
    const list = await (await sourcesRoute.GET(req(editor, "GET"))).json();
    expect(list.items.find((s: { id: number }) => s.id === body.id)).toMatchObject({
      itemsSeen: 2,
      candidatesMade: 0,
      accepted: 0,
      dismissed: 0,
      lastError: null,
    });

    const patched = await sourceRoute.PATCH(
      req(editor, "PATCH", `/${body.id}`, { intervalMinutes: 60, active: false }),
      ctx(body.id),
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ intervalMinutes: 60, active: false, status: "paused" });

    const fetched = await fetchRoute.POST(req(editor, "POST", `/${body.id}/fetch`), ctx(body.id));
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual({ items: 2, new: 0, candidates: 0 });

    expect((await sourceRoute.DELETE(req(editor, "DELETE", `/${body.id}`), ctx(body.id))).status).toBe(204);
    expect((await sourceRoute.DELETE(req(editor, "DELETE", `/${body.id}`), ctx(body.id))).status).toBe(404);
    expect((await fetchRoute.POST(req(editor, "POST", `/${body.id}/fetch`), ctx(body.id))).status).toBe(404);
  });

  it("answers bad input with field errors and a failing feed with its error", async () => {
    const bad = await sourcesRoute.POST(req(editor, "POST", "", { name: "", url: "ftp://example.org/feed" }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toMatchObject({ name: expect.any(Array), url: expect.any(Array) });
    const page = await sourcesRoute.POST(
      req(editor, "POST", "", { name: "Page", url: `${base}/no-feed.html` }),
    );
    expect(page.status).toBe(400);
    expect((await page.json()).fieldErrors.url[0]).toMatch(/web page, not a feed/);
    const added = await addSource(
      { name: unique("Broken"), url: `${base}/malformed.xml?${unique("m").replace(/\W/g, "")}` },
      null,
    );
    for (const patch of [
      { intervalMinutes: 4 },
      { url: "notaurl" },
      {},
      { active: "yes" },
      { colour: "red" },
    ]) {
      const res = await sourceRoute.PATCH(req(editor, "PATCH", `/${added.id}`, patch), ctx(added.id));
      expect(res.status, JSON.stringify(patch)).toBe(400);
    }
    const failed = await fetchRoute.POST(req(editor, "POST", `/${added.id}/fetch`), ctx(added.id));
    expect(failed.status).toBe(502);
    expect((await failed.json()).error).toMatch(/^XML is malformed at line 3/);
  });

  it("refuses viewers on every route", async () => {
    const added = await addSource(
      { name: unique("Viewer"), url: `${base}/wire.json?${unique("v").replace(/\W/g, "")}` },
      null,
    );
    const before = await tableCounts();
    const statuses = [
      (await sourcesRoute.GET(req(viewer, "GET"))).status,
      (await sourcesRoute.POST(req(viewer, "POST", "", { name: "X", url: `${base}/trade.atom` }))).status,
      (await sourceRoute.PATCH(req(viewer, "PATCH", `/${added.id}`, { active: false }), ctx(added.id)))
        .status,
      (await sourceRoute.DELETE(req(viewer, "DELETE", `/${added.id}`), ctx(added.id))).status,
      (await fetchRoute.POST(req(viewer, "POST", `/${added.id}/fetch`), ctx(added.id))).status,
    ];
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    expect(await tableCounts()).toEqual(before);
  });
});
