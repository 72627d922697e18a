import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/core/connection";
import { onCleanup } from "./guard";
import { record } from "./record";

// Issue 22's throughput target: 1,000 new feed items processed in < 60 s on 2 cores while
// GET /api/deals p95 stays within 20% of idle. A local HTTP server serves the items as four feeds
// (RSS, Atom, two JSON Feeds) and their pages; the sources are added through the API (adding one
// fetches and processes it), and meanwhile one client times GET /api/deals against an idle baseline.

type FixtureItem = {
  id: string;
  outlet: string;
  title: string;
  published: string;
  html: string;
  gold: { parties: { company: string }[] } | null;
};

export type BenchItem = { id: string; title: string; html: string; published: Date; outlet: string };

// Region words that make each copy of a story another company's announcement ("Siemens Nordic"), so
// copies are neither de-duplicated nor grouped with each other.
const VARIANTS = [
  "",
  "Nordic",
  "Iberia",
  "Pacific",
  "Andes",
  "Baltic",
  "Levant",
  "Alpine",
  "Sahel",
  "Balkan",
  "Celtic",
  "Danube",
  "Adriatic",
  "Aegean",
  "Caspian",
  "Tasman",
  "Yukon",
  "Patagonia",
  "Sierra",
  "Carib",
  "Gobi",
];
const DAY_MS = 86_400_000;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * `count` varied items built from the development and own fixture items (deals and non-deals as
 * they come): copy k renames the deal's parties with the k-th region word, moves the date back by
 * k × 40 days and ends with its own press-office line, so every item is new to the monitor.
 */
export function generateNewsItems(root: string, count: number): BenchItem[] {
  const read = (file: string) =>
    JSON.parse(fs.readFileSync(path.join(root, "test/fixtures", file), "utf8")) as FixtureItem[];
  const fixtures = [...read("news-dev/items.json"), ...read("news-own/items-heldback.json")];
  const items: BenchItem[] = [];
  for (let k = 0; items.length < count; k++) {
    const word =
      VARIANTS[k % VARIANTS.length]! + (k >= VARIANTS.length ? ` ${Math.floor(k / VARIANTS.length)}` : "");
    for (const f of fixtures) {
      if (items.length >= count) break;
      const names = [...new Set(f.gold?.parties.map((p) => p.company) ?? [])].sort(
        (a, b) => b.length - a.length,
      );
      // One pass, longest name first: "Constellation Energy" is renamed once, not twice.
      const rename = (text: string) =>
        word && names.length
          ? text.replace(new RegExp(`\\b(?:${names.map(escapeRe).join("|")})\\b`, "g"), (m) => `${m} ${word}`)
          : text;
      items.push({
        id: `${f.id}-${k}`,
        title: rename(f.title),
        html: `${rename(f.html)}<p>Media contact: ${f.outlet} press office, reference ${f.id}-${k}.</p>`,
        published: new Date(new Date(f.published).getTime() - k * 40 * DAY_MS),
        outlet: f.outlet,
      });
    }
  }
  return items;
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function feedOf(format: "rss" | "atom" | "json", items: BenchItem[], link: (i: BenchItem) => string) {
  if (format === "json")
    return JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "Bench wire",
      items: items.map((i) => ({
        id: link(i),
        url: link(i),
        title: i.title,
        content_html: i.html,
        date_published: i.published.toISOString(),
        authors: [{ name: i.outlet }],
      })),
    });
  if (format === "atom")
    return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:bench,2026:trade</id><title>Bench trade press</title><updated>${new Date().toISOString()}</updated>
${items
  .map(
    (i) =>
      `<entry><id>${xml(link(i))}</id><title type="text">${xml(i.title)}</title><updated>${i.published.toISOString()}</updated><published>${i.published.toISOString()}</published><link rel="alternate" type="text/html" href="${xml(link(i))}"/><author><name>${xml(i.outlet)}</name></author><content type="html">${xml(i.html)}</content></entry>`,
  )
  .join("\n")}
</feed>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench newsroom</title><link>https://news.example/</link><description>Bench</description>
${items
  .map(
    (i) =>
      `<item><title>${xml(i.title)}</title><link>${xml(link(i))}</link><guid isPermaLink="true">${xml(link(i))}</guid><pubDate>${i.published.toUTCString()}</pubDate><description>${xml(i.title)}</description><content:encoded><![CDATA[${i.html}]]></content:encoded></item>`,
  )
  .join("\n")}
</channel></rss>`;
}

const FORMATS = [
  ["rss", "application/rss+xml"],
  ["atom", "application/atom+xml"],
  ["json", "application/feed+json"],
  ["json", "application/feed+json"],
] as const;

/** Serves the items as four feeds (/feed/0 … /feed/3) and each item's page (/a/<id>) on loopback. */
export async function serveNewsFeeds(items: BenchItem[]) {
  const pages = new Map(items.map((i) => [i.id, i]));
  let base = "";
  const link = (i: BenchItem) => `${base}/a/${i.id}`;
  const share = Math.ceil(items.length / FORMATS.length);
  const server = http.createServer((request, response) => {
    const feed = /^\/feed\/(\d)$/.exec(request.url ?? "");
    const page = /^\/a\/([\w-]+)$/.exec(request.url ?? "");
    const format = feed ? FORMATS[Number(feed[1])] : undefined;
    if (format) {
      const n = Number(feed![1]);
      response.writeHead(200, { "content-type": `${format[1]}; charset=utf-8` });
      response.end(feedOf(format[0], items.slice(n * share, (n + 1) * share), link));
    } else if (page && pages.has(page[1]!)) {
      const item = pages.get(page[1]!)!;
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(
        `<!doctype html><html><head><title>${xml(item.title)}</title></head><body><article><h1>${xml(item.title)}</h1>${item.html}</article></body></html>`,
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onCleanup("the news feed server", () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { feeds: FORMATS.map((_, n) => `${base}/feed/${n}`), close: () => server.close() };
}

function quantile(samples: number[], q: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
const p95 = (samples: number[]) => quantile(samples, 0.95);

/** GET /api/deals once; its time in ms. */
async function timeDeals(base: string, token: string, signal: AbortSignal) {
  const t = performance.now();
  const response = await fetch(`${base}/api/deals`, {
    headers: { authorization: `Bearer ${token}` },
    signal,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET /api/deals answered ${response.status}`);
  return performance.now() - t;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function newsBench(
  base: string,
  auth: { token: string; writeToken: string },
  db: Db,
  count: number,
  signal: AbortSignal,
) {
  const items = generateNewsItems(process.cwd(), count);
  const { feeds } = await serveNewsFeeds(items);
  // The idle baseline: the same client, the same pauses, nothing else running; half of it before the
  // items and half after, so that a change in what else runs on the machine weighs on both sides.
  for (let i = 0; i < 5; i++) await timeDeals(base, auth.token, signal);
  const idle: number[] = [];
  const sampleIdle = async () => {
    for (let i = 0; i < 40; i++) {
      idle.push(await timeDeals(base, auth.token, signal));
      await pause(50);
    }
  };
  await sampleIdle();
  const busy: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      busy.push(await timeDeals(base, auth.token, signal));
      await pause(50);
    }
  })();
  const t0 = performance.now();
  let candidates = 0;
  try {
    for (const [n, url] of feeds.entries()) {
      const response = await fetch(`${base}/api/sources`, {
        method: "POST",
        headers: { authorization: `Bearer ${auth.writeToken}`, "content-type": "application/json" },
        body: JSON.stringify({ name: `Bench feed ${n}`, url }),
        signal,
      });
      const body = (await response.json()) as { candidatesMade?: number };
      if (response.status !== 201)
        throw new Error(`POST /api/sources answered ${response.status}: ${JSON.stringify(body)}`);
      candidates += body.candidatesMade ?? 0;
    }
  } finally {
    done = true;
    await sampler.catch(() => undefined);
  }
  const seconds = (performance.now() - t0) / 1000;
  await sampleIdle();
  const counts = (
    await db.execute<{ stored: number; processed: number }>(
      sql`SELECT count(*) AS stored, count(processed_at) AS processed FROM news_items`,
    )
  ).rows[0]!;
  const processed = Number(counts.processed);
  if (processed < count)
    throw new Error(`only ${processed} of ${count} items were processed (${Number(counts.stored)} stored)`);
  const idleP95 = p95(idle);
  const busyP95 = p95(busy);
  const name = `${count.toLocaleString("en")} feed items processed`;
  record({
    group: "news",
    name,
    // p95_ms: GET /api/deals while the items are processed (the growth tables show it).
    p95_ms: busyP95,
    seconds,
    items_per_s: processed / seconds,
    candidates,
    deals_idle_p95_ms: idleP95,
    deals_busy_p95_ms: busyP95,
    deals_p95_ratio: busyP95 / idleP95,
    deals_idle_median_ms: quantile(idle, 0.5),
    deals_busy_median_ms: quantile(busy, 0.5),
    deals_busy_samples: busy.length,
  });
  console.log(
    `News: ${processed.toLocaleString("en")} feed items processed in ${seconds.toFixed(1)} s ` +
      `(${(processed / seconds).toFixed(1)} items/s, ${candidates} candidates; target < 60 s); ` +
      `GET /api/deals p95 ${idleP95.toFixed(1)} ms idle, ${busyP95.toFixed(1)} ms meanwhile ` +
      `(×${(busyP95 / idleP95).toFixed(2)} over ${busy.length} requests; target ≤ ×1.20; ` +
      `median ${quantile(idle, 0.5).toFixed(1)} → ${quantile(busy, 0.5).toFixed(1)} ms)\n`,
  );
}
