// What scripts/serve.mjs loads before it creates its server: the count of requests being answered.
import { asRequest } from "@/scripts/request-load.mjs";
import { createRequestQueue } from "@/scripts/request-queue.mjs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { and, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newsItems, newsSources } from "@/db/schema";
import { extractJobsRunning } from "@/server/extract-pool";
import { processPendingItems } from "@/server/news/process";
import { findFeed } from "@/server/news/poll";
import { requestsOpen, stepAside } from "@/server/request-load";
import { testDb, unique } from "./db";
import { itemKeys, newsDevItems, storedItem } from "./news-items";

// Requests stay fast while the news is read (issue 22): on two vCPUs that share a core's resources,
// the reading worker slowed GET /api/deals by ×1.8 even at the lowest priority. So the reading steps
// aside while any request is open, and feeds are read in the worker, not on the event loop.

let server: http.Server;
let base = "";
let release: () => void = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A big RSS feed: parsing it and reading its entries' HTML took most of a second on the event loop. */
const bigFeed = (n: number) =>
  `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Big</title><link>${base}/</link><description>d</description>${Array.from(
    { length: n },
    (_, i) =>
      `<item><title>Item ${i}</title><link>${base}/a/${i}</link><guid>big-${i}</guid><content:encoded><![CDATA[<p>Alpha ${i} and Beta agreed to work together on batteries.</p><p>They will build a plant in Ohio. It opens next year.</p>]]></content:encoded></item>`,
  ).join("")}</channel></rss>`;

beforeAll(async () => {
  process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
  // The reading runs at the lowest priority: on a machine busy with other jobs one item may take
  // longer than the 10 s an interactive draft is allowed, which is not what these tests are about.
  process.env.EXTRACT_TIME_LIMIT_MS = "120000";
  server = http.createServer((req, res) => {
    if (req.url === "/hold") {
      void new Promise<void>((resolve) => (release = resolve)).then(() => res.end("ok"));
    } else if (req.url === "/process") {
      // Processing run by a request (as POST /api/sources does) must not wait for that request;
      // run as scripts/serve.mjs runs every request it admits.
      void asRequest(req, () => processPendingItems({ pace: { quietMs: 30, maxWaitMs: 60_000 } })).then((r) =>
        res.end(JSON.stringify(r)),
      );
    } else if (req.url === "/big.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml" }).end(bigFeed(2000));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The background worker started and warm, as on a server that has read news before.
  await addItems(1);
  await processPendingItems();
}, 120_000);
afterAll(async () => {
  release();
  delete process.env.ALLOW_PRIVATE_URLS;
  delete process.env.EXTRACT_TIME_LIMIT_MS;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** `n` fixture items, new to a source of their own; its id. */
async function addItems(n: number): Promise<number> {
  return testDb().write(async (tx) => {
    const [source] = await tx
      .insert(newsSources)
      .values({
        name: unique("Paced wire"),
        url: `https://news.example/${unique("w")}.json`,
        nextFetchAt: new Date(),
      })
      .returning({ id: newsSources.id });
    for (const f of newsDevItems.slice(0, n))
      await tx
        .insert(newsItems)
        .values({ ...storedItem(f, source!.id), ...itemKeys(source!.id, `${f.link}?${unique("copy")}`) });
    return source!.id;
  });
}

const processedOf = async (sourceId: number) =>
  (
    await testDb()
      .select({ id: newsItems.id })
      .from(newsItems)
      .where(and(eq(newsItems.sourceId, sourceId), isNotNull(newsItems.processedAt)))
  ).length;

/** Opens a request the test server answers only when `release` is called; its answer. */
async function holdRequest(): Promise<{ answered: Promise<string> }> {
  const answered = fetch(`${base}/hold`).then((r) => r.text());
  while (requestsOpen() === 0) await sleep(5);
  return { answered }; // not the promise itself: an async function would wait for it
}

describe("reading the news while requests are answered", () => {
  it("reads no item while a request is open, and every one once it is answered", async () => {
    const sourceId = await addItems(6);
    const { answered } = await holdRequest();
    const run = processPendingItems({ sourceId, pace: { quietMs: 30, maxWaitMs: 60_000 } });
    // No item is handed to the worker meanwhile (sampled: a reading lasts a few ms at the least).
    let reading = 0;
    for (let i = 0; i < 200; i++) {
      reading = Math.max(reading, extractJobsRunning());
      await sleep(5);
    }
    expect(reading).toBe(0);
    expect(await processedOf(sourceId)).toBe(0);
    release();
    await answered;
    expect((await run).processed).toBe(6);
  }, 240_000);

  it("still gets through when the server is never quiet: one item per longest wait", async () => {
    const sourceId = await addItems(6);
    const { answered } = await holdRequest();
    const { processed } = await processPendingItems({ sourceId, pace: { quietMs: 30, maxWaitMs: 100 } });
    // Done while the request stayed open all along.
    expect(processed).toBe(6);
    expect(requestsOpen()).toBe(1);
    release();
    await answered;
  }, 240_000);

  it("does not wait for the request it runs in", async () => {
    await addItems(4);
    const answer = (await (await fetch(`${base}/process`)).json()) as { processed: number };
    // Had it waited for itself, the longest wait (60 s) would have passed before each of them.
    expect(answer.processed).toBe(4);
  }, 240_000);

  it("counts a request the queue admits later as itself, not as the one whose answer let it in", async () => {
    const queue = createRequestQueue({ active: 1 });
    let openAfterStepping = -1;
    const queued = http.createServer((req, res) =>
      queue.admit(req, res, () =>
        asRequest(req, async () => {
          if (req.url === "/later") {
            // As POST /api/sources does: it no longer counts, and it is the only one left.
            stepAside();
            openAfterStepping = requestsOpen();
          } else await sleep(50);
          res.end();
        }),
      ),
    );
    await new Promise<void>((resolve) => queued.listen(0, "127.0.0.1", resolve));
    const at = `http://127.0.0.1:${(queued.address() as AddressInfo).port}`;
    try {
      const first = fetch(`${at}/first`).then((r) => r.text());
      while (requestsOpen() === 0) await sleep(2);
      // Admitted when the first is answered, in the callback of that answer.
      await Promise.all([first, fetch(`${at}/later`).then((r) => r.text())]);
    } finally {
      queued.closeAllConnections();
      await new Promise((resolve) => queued.close(resolve));
    }
    expect(openAfterStepping).toBe(0);
  });

  it("reads a big feed off the event loop that answers requests", async () => {
    const before = performance.eventLoopUtilization();
    const found = await findFeed(`${base}/big.xml`);
    const busy = performance.eventLoopUtilization(before).active;
    // Parsed on the event loop, this feed alone kept it busy for 250–500 ms (and its entries' HTML
    // for 2–5 ms each after); in the worker, what is left is taking the answers in (~45 ms per 1,000).
    expect(busy).toBeLessThan(300);
    expect(found.feed.entries).toHaveLength(2000);
    expect(found.feed.entries[7]!.text).toMatch(/^Alpha 7 and Beta agreed/);
  }, 240_000);
});
