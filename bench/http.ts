import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createApiToken } from "@/db/accounts/auth";
import type { Db } from "@/db/core/connection";
import { createUserAccount } from "@/server/auth/principal";
import { buildIfStale } from "@/scripts/build-state";
import { audienceBench } from "./audience";
import { clusterLoad } from "./cluster";
import { DASHBOARD_ENDPOINTS, saveBenchDeal, sessionCookie } from "./endpoints";
import { caseTimeout, guarded, ownChild, runCase, runStage, stopChild } from "./guard";
import { importBench, loadBench, type LoadOptions } from "./load";
import { newsBench } from "./news";
import { lineFeeds, record, recordExtra, recordFirstLoadJs } from "./record";

// The HTTP half of the benchmark: the production server on the generated database, timed from a
// client on loopback. Figures include Next's routing, auth and JSON serialisation.

const PORT = Number(process.env.BENCH_PORT ?? 3199);
const base = `http://127.0.0.1:${PORT}`;
const statm = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

async function timeGet(url: string, headers: Record<string, string>, runs: number, signal: AbortSignal) {
  // The first request computes (cold); repeats are served from the stats cache until data changes.
  // Redirects are not followed: a page that sends the bench to sign-in must fail, not be timed.
  const get = () => fetch(url, { headers, redirect: "manual", signal });
  const t0 = performance.now();
  await (await get()).arrayBuffer();
  const first = performance.now() - t0;
  for (let i = 0; i < 2; i++) await (await get()).arrayBuffer();
  const samples: number[] = [];
  let status = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const response = await get();
    await response.arrayBuffer();
    samples.push(performance.now() - t);
    status = response.status;
  }
  return { ...stats(samples), first, status };
}

/**
 * Never time an older build of the code: rebuilds when a source is newer than it (a build may take
 * many minutes on a loaded machine: an hour is its limit, not the case timeout). Undefined if it failed.
 */
export function buildStage() {
  return runStage(
    "http",
    "next build",
    async () => {
      if (!buildIfStale()) throw new Error("next build failed");
      return true;
    },
    3_600_000,
  );
}

/**
 * The server as `npm start` runs it: one node process (scripts/serve.mjs), with its flag, answering on
 * `port`. Stopped by the bench's clean-up however the run ends; its last words are kept for the error
 * message when it exits before it answers.
 */
export async function startAppServer(
  name: string,
  port: number,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<ChildProcess> {
  const serve = path.join(process.cwd(), "scripts", "serve.mjs");
  const server = ownChild(
    name,
    spawn(process.execPath, ["--max-semi-space-size=4", serve], {
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let stderr = "";
  let stdout = "";
  server.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  server.stdout!.on("data", (d: Buffer) => (stdout = (stdout + d.toString()).slice(-2000)));
  server.once("exit", (code) => {
    if (code) console.error(`${name} exited (${code}): ${stderr.trim().slice(-500)}`);
  });
  // Whatever answers on the port is not proof: another process may hold it, and this server then
  // exits with EADDRINUSE while the other one answers. Ours says it listens, with its pid.
  const listening = () => stdout.includes(`(pid ${server.pid})`);
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`${name} exited (${server.exitCode ?? server.signalCode}): ${stderr.trim()}`);
    signal.throwIfAborted();
    try {
      if (listening() && (await fetch(`http://127.0.0.1:${port}/sign-in`, { signal })).status < 500)
        return server;
    } catch (error) {
      if (signal.aborted) throw error;
    }
    await pause(200);
  }
}

/** `main`: every case but the news one; `newsItems`: how many feed items the news case processes (0: none). */
export type HttpParts = { main: boolean; newsItems: number };

export async function httpBench(
  db: Db,
  companySlug: string,
  runs: number,
  load?: LoadOptions & { companies: string[] },
  parts: HttpParts = { main: true, newsItems: 0 },
) {
  if (!(await buildStage())) return;
  const started = await runStage("http", "server start", async (signal) => {
    const token = (await createApiToken({ name: "bench", role: "viewer" }, db)).secret;
    const email = "bench@example.org";
    await createUserAccount({ name: "Bench", email, password: "bench password 1", role: "viewer" });
    const cookie = await sessionCookie(email, "bench password 1");
    const writeToken = (await createApiToken({ name: "bench writer", role: "editor" }, db)).secret;
    // The news case's feeds are served on loopback, which the fetch guard refuses unless allowed.
    const env: Record<string, string> = parts.newsItems > 0 ? { ALLOW_PRIVATE_URLS: "127.0.0.1" } : {};
    const server = await startAppServer("the app server", PORT, env, signal);
    return { token, writeToken, cookie, server, rssBefore: statm(server.pid!) };
  });
  if (!started) return;
  const { token, writeToken, cookie, server, rssBefore } = started;
  const bearer = { authorization: `Bearer ${token}` };
  let single: { requestsPerSecond: number } | undefined;
  async function mainCases() {
    // Streamed CSV export of every deal, first (on a fresh server): time to the last byte and the
    // server's peak RSS meanwhile.
    await runCase("export", "GET /api/export/deals.csv", async (signal) => {
      // One tiny export first loads the route's code, so the figure below is the export's own growth.
      await (await fetch(`${base}/api/export/deals.csv?from=2999-01-01`, { headers: bearer, signal })).text();
      const exportStart = statm(server.pid!);
      let exportPeak = exportStart;
      const sampler = setInterval(() => {
        try {
          exportPeak = Math.max(exportPeak, statm(server.pid!));
        } catch {
          // the server is gone: the export fails below
        }
      }, 50);
      try {
        const t0 = performance.now();
        const response = await fetch(`${base}/api/export/deals.csv`, { headers: bearer, signal });
        if (response.status !== 200) throw new Error(`answered ${response.status}`);
        let bytes = 0;
        let lines = 0;
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          lines += lineFeeds(chunk);
        }
        const seconds = (performance.now() - t0) / 1000;
        record({
          group: "export",
          name: "GET /api/export/deals.csv",
          rows_per_s: (lines - 1) / seconds,
          rss_growth_mb: (exportPeak - exportStart) / 1e6,
          rows: lines - 1,
          seconds,
          csv_mb: bytes / 1e6,
        });
        console.log(
          `GET /api/export/deals.csv: ${(lines - 1).toLocaleString("en")} rows, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(2)} s ` +
            `(${Math.round((lines - 1) / seconds).toLocaleString("en")} rows/s); server RSS ${(exportStart / 1e6).toFixed(0)} → peak ${(exportPeak / 1e6).toFixed(0)} MB ` +
            `(+${((exportPeak - exportStart) / 1e6).toFixed(0)} MB; targets < 3 s, < 100 MB)`,
        );
      } finally {
        clearInterval(sampler);
      }
    });
    const endpoints = [...DASHBOARD_ENDPOINTS, "deals"];
    console.log(
      `HTTP (next start, loopback)                       ${"cold".padStart(10)} ${"warm med".padStart(10)} ${"warm p95".padStart(10)}`,
    );
    let worst = 0;
    for (const endpoint of endpoints) {
      for (const [label, query] of [
        ["all deals", ""],
        ["one company", `?company=${encodeURIComponent(companySlug)}`],
        ["one technology", "?technology=cloud"],
        ["one type", "?type=mou"],
        ["one year", "?from=2024-01-01&to=2024-12-31"],
        ["rollup", "?rollup=1"],
        ["type + year + technology", "?type=mou&from=2024-01-01&to=2024-12-31&technology=cloud"],
        // The geography filters and the combinations issue 26 names (the generated companies are in
        // real countries and NAICS subsectors: db/ops/seed.ts).
        ["one country", "?country=KR"],
        ["one sector", "?sector=51"],
        ["cross-border", "?crossBorder=1"],
        ["company + type", `?company=${encodeURIComponent(companySlug)}&type=mou`],
        ["technology + year", "?technology=cloud&from=2024-01-01&to=2024-12-31"],
      ]) {
        const name = `GET /api/${endpoint} (${label})`;
        await runCase("http", name, async (signal) => {
          const result = await timeGet(`${base}/api/${endpoint}${query}`, bearer, runs, signal);
          if (result.status !== 200) throw new Error(`/api/${endpoint} answered ${result.status}`);
          if (endpoint !== "deals") worst = Math.max(worst, result.median);
          record({
            group: "http",
            name,
            median_ms: result.median,
            p95_ms: result.p95,
            cold_ms: result.first,
          });
          console.log(
            `${name.padEnd(48)} ${`${result.first.toFixed(1)} ms`.padStart(10)} ${`${result.median.toFixed(1)} ms`.padStart(10)} ${`${result.p95.toFixed(1)} ms`.padStart(10)}`,
          );
        });
      }
    }
    console.log(
      `Slowest stats endpoint warm median: ${worst.toFixed(1)} ms (target < 100 ms; cold figures above)`,
    );
    // The same dashboard as a team member with confidential deals and as a non-member (issue 25).
    await runStage("http", "dashboard by audience", () => audienceBench(db, base, runs));

    await runCase("page", "dashboard (all deals)", async (signal) => {
      const page = await timeGet(`${base}/`, { cookie }, Math.max(10, Math.floor(runs / 2)), signal);
      if (page.status !== 200) throw new Error(`/ answered ${page.status}`);
      record({
        group: "page",
        name: "dashboard (all deals)",
        median_ms: page.median,
        p95_ms: page.p95,
        cold_ms: page.first,
      });
      console.log(
        `Dashboard server render, GET / (all deals)        ${`${page.first.toFixed(1)} ms`.padStart(10)} ${`${page.median.toFixed(1)} ms`.padStart(10)} ${`${page.p95.toFixed(1)} ms`.padStart(10)}  (target < 300 ms)`,
      );
    });

    // The first dashboard render after a write: save a deal through the API, then time the next
    // render (every cached answer it needs is stale). Repeated, as each sample is a single request.
    await runCase("page", "dashboard (first render after a write)", async (signal) => {
      const afterWrite: number[] = [];
      for (let i = 0; i < Math.max(5, Math.min(runs, 20)); i++) {
        const tag = `bench-page-${process.pid}-${i}`;
        await saveBenchDeal(
          base,
          writeToken,
          { title: `Bench deal saved before a render ${tag}`, parties: `Bench render ${tag}` },
          signal,
        );
        const t = performance.now();
        const response = await fetch(`${base}/`, { headers: { cookie }, redirect: "manual", signal });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/ answered ${response.status}`);
        afterWrite.push(performance.now() - t);
      }
      const rendered = stats(afterWrite);
      record({
        group: "page",
        name: "dashboard (first render after a write)",
        median_ms: rendered.median,
        p95_ms: rendered.p95,
        cold_ms: afterWrite[0],
        samples: afterWrite.length,
      });
      console.log(
        `Dashboard, first render after saving a deal      ${`${afterWrite[0]!.toFixed(1)} ms`.padStart(10)} ${`${rendered.median.toFixed(1)} ms`.padStart(10)} ${`${rendered.p95.toFixed(1)} ms`.padStart(10)}  (${afterWrite.length} saves; target < 300 ms)`,
      );
    });

    // First-load JavaScript: every script the dashboard's HTML makes a browser load, compressed as
    // served. Next's legacy polyfills (about 39 kB) come as a `noModule` script, which every browser
    // that runs modules, so every browser the app supports, skips: it is not counted.
    await runStage("page", "first-load JS of /", async (signal) => {
      const dashboard = await fetch(`${base}/`, { headers: { cookie }, redirect: "manual", signal });
      if (dashboard.status !== 200) throw new Error(`/ answered ${dashboard.status}`);
      const html = await dashboard.text();
      const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      const scripts = [
        ...new Set(
          tags
            .filter((tag) => !/\snomodule\b/i.test(tag))
            .map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1])
            .filter((src) => src !== undefined),
        ),
      ];
      let raw = 0;
      let gzip = 0;
      for (const src of scripts) {
        const body = Buffer.from(await (await fetch(new URL(src, base), { signal })).arrayBuffer());
        raw += body.length;
        gzip += gzipSync(body, { level: 9 }).length;
      }
      recordFirstLoadJs(gzip / 1024);
      recordExtra("first_load_js_raw_kb", Math.round(raw / 1024));
      console.log(
        `First-load JS of /: ${scripts.length} scripts, ${(raw / 1024).toFixed(0)} kB raw, ${(gzip / 1024).toFixed(0)} kB gzip (target < 200 kB)`,
      );
    });
    await runStage("http", "server RSS", async () => {
      const rssAfter = statm(server.pid!);
      recordExtra("server_rss_mb", {
        after_start: Math.round(rssBefore / 1e6),
        after_runs: Math.round(rssAfter / 1e6),
      });
      console.log(
        `Server RSS: ${(rssBefore / 1e6).toFixed(0)} MB after start, ${(rssAfter / 1e6).toFixed(0)} MB after the runs\n`,
      );
    });
    if (load) {
      const auth = { token, writeToken, cookie };
      // The load run lasts its own length; the case timeout is the margin on top of it.
      const loadTimeout = load.seconds * 1000 + caseTimeout();
      const outcome = await guarded(
        { group: "load", name: `${load.clients} clients for ${load.seconds} s` },
        loadTimeout,
        (signal) =>
          loadBench(
            { base, servers: [{ name: "the app server", pid: server.pid! }], key: "load" },
            auth,
            load.companies,
            db,
            load,
            signal,
          ),
        (error) => recordExtra("load", { clients: load.clients, seconds: load.seconds, error }),
      );
      if (outcome && (outcome.errors || outcome.lost)) process.exitCode = 1;
      single = outcome;
      if (load.importRows > 0) await importBench(base, server.pid!, auth, load.importRows);
    }
  }
  try {
    if (parts.main) await mainCases();
    // Last: its 1,000 items and candidates must not change the figures of the cases above.
    if (parts.newsItems > 0)
      await runCase("news", `${parts.newsItems.toLocaleString("en")} feed items processed`, (signal) =>
        newsBench(base, { token, writeToken }, db, parts.newsItems, signal),
      );
  } finally {
    await stopChild(server);
  }
  // Last, once the single server is stopped: the same load on several servers behind a proxy.
  if (parts.main && load && load.appServers > 1)
    await clusterLoad(db, { token, writeToken, cookie }, load, PORT, startAppServer, single);
}
