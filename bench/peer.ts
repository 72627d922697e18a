import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer } from "./http";
import { caseTimeout, onCleanup, ownChild, runCase, runStage, runToEnd, setCaseTimeout } from "./guard";
import { installDirectus, loads, PeerUnavailable, type DirectusInstall } from "./peer-install";
import { prepareDirectusCopy, type PeerDatabase } from "./peer-copy";
import { printSummary, record, recordExtra, writeResults } from "./record";

// npm run bench -- --peer directus [--deals N] [--runs R] [--json FILE] [--case-timeout S]
// Atlas against Directus 12 (issue 26), side by side on copies of the same generated database: the
// five operations both can answer, timed through each one's HTTP API from a client on loopback —
// the first page of the list, the deal count per technology, the top 20 companies, one company's
// deals per month and the full CSV export (with the server's RSS growth meanwhile). Per operation:
// the first request after the start (cold), the median of repeated requests (warm: Atlas may answer
// from its stats cache, Directus runs with CACHE_ENABLED=false) and, for a company's months, the
// median over different companies, each asked once (uncached on both sides).
// Directus runs on the Node 22 and the install bench/peer-install.ts keeps outside the repository;
// on SQLite when its driver loads, otherwise on a throwaway PostgreSQL (said in the output and JSON).

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = option("--deals", 100_000);
const RUNS = option("--runs", 20);
const jsonArg = args.indexOf("--json");
const jsonFile = jsonArg >= 0 ? args[jsonArg + 1] : undefined;
if (jsonArg >= 0 && (!jsonFile || jsonFile.startsWith("--"))) throw new Error("--json needs a file name");
setCaseTimeout(option("--case-timeout", 300) * 1000);

const ATLAS_PORT = Number(process.env.BENCH_PORT ?? 3199);
const DIRECTUS_PORT = Number(process.env.BENCH_PEER_PORT ?? ATLAS_PORT + 1);
const atlasBase = `http://127.0.0.1:${ATLAS_PORT}`;
const directusBase = `http://127.0.0.1:${DIRECTUS_PORT}`;
const PAGE_SIZE = 50;

const statm = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/statm`, "utf8").split(" ")[1]) * 4096;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** An error's answer, its start and end (a long SQL statement's reason comes last). */
const gist = (text: string) => (text.length <= 600 ? text : `${text.slice(0, 300)} … ${text.slice(-300)}`);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

type Server = { name: string; pid: number; base: string; headers: Record<string, string> };

/** Spawns a server (stopped by the bench's clean-up) and waits until `ready` answers below 500. */
async function startServer(
  server: Omit<Server, "pid">,
  command: string,
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: string },
  signal: AbortSignal,
): Promise<Server> {
  const { name } = server;
  const child = ownChild(
    name,
    spawn(command, argv, { cwd: options.cwd, env: options.env, stdio: ["ignore", "ignore", "pipe"] }),
  );
  // Its last words, for the error when it exits before it answers.
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3000)));
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}`);
    signal.throwIfAborted();
    try {
      if ((await fetch(options.ready, { signal })).status < 500) return { ...server, pid: child.pid! };
    } catch (error) {
      if (signal.aborted) throw error;
    }
    await pause(250);
  }
}

/** One GET read to its last byte; a status other than 200 is an error (never a timed figure). */
async function timed(server: Server, url: string, signal: AbortSignal) {
  const t = performance.now();
  const response = await fetch(`${server.base}${url}`, {
    headers: server.headers,
    redirect: "manual",
    signal,
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${server.name} answered ${response.status} to ${url}: ${gist(body)}`);
  return { ms: performance.now() - t, body };
}

/** An operation both servers answer: the URL each one takes, for the company it is asked about. */
type Operation = { name: string; atlas: (c: Company) => string; directus: (c: Company) => string };
type Company = { id: number; slug: string };

const enc = encodeURIComponent;
const liveDeal = "filter[deleted_at][_null]=true";
/** The list's parts as Atlas's first page holds them (parties, types, technologies, quotes, sources). */
const LIST_FIELDS = [
  "*",
  "parties.role",
  "parties.position",
  "parties.company_id.id",
  "parties.company_id.name",
  "parties.company_id.slug",
  "types.type",
  "types.position",
  "technologies.technology_id.id",
  "technologies.technology_id.name",
  "technologies.technology_id.slug",
  "quotes.*",
  "sources.*",
].join(",");

// A junction row is one (deal, company) or (deal, technology) pair, so counting rows counts deals.
const OPERATIONS: Operation[] = [
  {
    name: "first page of the list",
    atlas: () => `/api/deals`,
    directus: () =>
      `/items/deals?limit=${PAGE_SIZE}&sort=-announced_on,-id&${liveDeal}&meta=filter_count&fields=${enc(LIST_FIELDS)}`,
  },
  {
    name: "count per technology",
    atlas: () => `/api/stats/technologies`,
    directus: () =>
      `/items/deal_technologies?aggregate[count]=deal_id&groupBy[]=technology_id&filter[deal_id][deleted_at][_null]=true&limit=-1`,
  },
  {
    name: "top 20 companies",
    atlas: () => `/api/stats/top-companies?limit=20`,
    directus: () =>
      `/items/deal_parties?aggregate[count]=deal_id&groupBy[]=company_id&filter[deal_id][deleted_at][_null]=true&sort=-count.deal_id&limit=20`,
  },
  {
    name: "a company's months",
    atlas: (c) => `/api/stats/deals-over-time?company=${enc(c.slug)}&interval=month`,
    directus: (c) =>
      `/items/deals?aggregate[count]=id&groupBy[]=year(announced_on)&groupBy[]=month(announced_on)&filter[parties][company_id][_eq]=${c.id}&${liveDeal}&limit=-1`,
  },
];

type Figures = { cold: number; warm: number[]; uncached: number[] };

/** The operations on both servers, interleaved request by request so that both see the same load. */
async function compare(atlas: Server, directus: Server, companies: Company[]) {
  const [busiest, ...others] = companies;
  const both = [atlas, directus];
  const cell = (v: number | undefined) => (v === undefined ? "–" : `${v.toFixed(1)} ms`).padStart(11);
  const times = (v: number | undefined) => (v === undefined ? "–" : `×${v.toFixed(1)}`).padStart(11);
  console.log(
    `${"Operation (HTTP, loopback)".padEnd(42)} ${"cold".padStart(11)} ${"warm med".padStart(11)} ${"warm p95".padStart(11)} ${"uncached".padStart(11)}`,
  );
  const summary: Record<string, unknown>[] = [];
  for (const op of OPERATIONS) {
    const uncachedToo = op.name === "a company's months";
    await runCase("http", `${op.name} (Atlas vs Directus)`, async (signal) => {
      const url = (server: Server, c: Company) => (server === atlas ? op.atlas(c) : op.directus(c));
      const figures = new Map<Server, Figures>(both.map((s) => [s, { cold: 0, warm: [], uncached: [] }]));
      const bodies = new Map<Server, string>();
      for (const server of both) {
        const first = await timed(server, url(server, busiest!), signal);
        figures.get(server)!.cold = first.ms;
        bodies.set(server, first.body);
      }
      if (op.name === "first page of the list") sameTotal(bodies.get(atlas)!, bodies.get(directus)!);
      for (let i = 0; i < RUNS; i++)
        for (const server of both)
          figures.get(server)!.warm.push((await timed(server, url(server, busiest!), signal)).ms);
      if (uncachedToo)
        for (const company of others)
          for (const server of both)
            figures.get(server)!.uncached.push((await timed(server, url(server, company), signal)).ms);
      const medians = new Map(
        both.map((server) => {
          const f = figures.get(server)!;
          const warm = stats(f.warm);
          const uncached = f.uncached.length ? stats(f.uncached).median : undefined;
          return [
            server,
            { cold_ms: f.cold, median_ms: warm.median, p95_ms: warm.p95, uncached_median_ms: uncached },
          ];
        }),
      );
      const line: Record<string, unknown> = { operation: op.name };
      for (const server of both) {
        const m = medians.get(server)!;
        const uncachedSamples = figures.get(server)!.uncached.length;
        record({
          group: "http",
          name: `${op.name} (${server.name})`,
          ...m,
          uncached_samples: uncachedSamples || undefined,
          url: url(server, busiest!),
        });
        line[server.name] = m;
        console.log(
          `${`${op.name} · ${server.name}`.padEnd(42)} ${cell(m.cold_ms)} ${cell(m.median_ms)} ${cell(m.p95_ms)} ${cell(m.uncached_median_ms)}`,
        );
      }
      const a = medians.get(atlas)!;
      const d = medians.get(directus)!;
      const ratio = {
        cold: d.cold_ms / a.cold_ms,
        warm: d.median_ms / a.median_ms,
        uncached:
          a.uncached_median_ms && d.uncached_median_ms
            ? d.uncached_median_ms / a.uncached_median_ms
            : undefined,
      };
      line.directus_over_atlas = ratio;
      summary.push(line);
      console.log(
        `${`${op.name} · Directus ÷ Atlas`.padEnd(42)} ${times(ratio.cold)} ${times(ratio.warm)} ${"".padStart(11)} ${times(ratio.uncached)}`,
      );
    });
  }
  return summary;
}

/** Both servers count the same deals: a comparison of different questions would be worthless. */
function sameTotal(atlasBody: string, directusBody: string) {
  const atlasTotal = (JSON.parse(atlasBody) as { total: number }).total;
  const directusTotal = Number(
    (JSON.parse(directusBody) as { meta: { filter_count: number } }).meta.filter_count,
  );
  if (atlasTotal !== directusTotal)
    throw new Error(`Atlas lists ${atlasTotal} deals and Directus ${directusTotal}: the copies differ`);
}

/**
 * The full CSV export of every deal, to its last byte, with the server's peak RSS growth meanwhile:
 * one request, or with `pageRows` pages of that many rows asked one after the other until a shorter
 * one (each page has its header line).
 */
async function exportOnce(
  server: Server,
  url: (page: number) => string,
  pageRows: number | undefined,
  signal: AbortSignal,
) {
  const start = statm(server.pid);
  let peak = start;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, statm(server.pid));
    } catch {
      // the server is gone: the request fails below
    }
  }, 50);
  try {
    const t0 = performance.now();
    let bytes = 0;
    let rows = 0;
    let requests = 0;
    for (let page = 1; ; page++) {
      const response = await fetch(`${server.base}${url(page)}`, { headers: server.headers, signal });
      requests++;
      if (response.status !== 200)
        throw new Error(`${server.name} answered ${response.status}: ${gist(await response.text())}`);
      let lines = 0;
      let last = 10;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.byteLength;
        for (const b of chunk) if (b === 10) lines++;
        if (chunk.byteLength) last = chunk[chunk.byteLength - 1]!;
      }
      // The generated data has no line breaks inside cells; Directus ends its last line without one.
      const pageRowsRead = Math.max(0, lines - 1 + (last === 10 ? 0 : 1));
      rows += pageRowsRead;
      if (pageRows === undefined || pageRowsRead < pageRows) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      rows,
      seconds,
      rows_per_s: rows / seconds,
      rss_growth_mb: (peak - start) / 1e6,
      csv_mb: bytes / 1e6,
      requests,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Directus's CSV of a query is made in memory, and on SQLite one request for every deal fails from
 * 100,000 deals on (the parts are read with every deal id in one statement: too many SQL variables),
 * so its export is read in pages of its own export batch size (EXPORT_BATCH_SIZE, 5,000), as a
 * script reading Directus would.
 */
const DIRECTUS_EXPORT_PAGE = 5000;

async function compareExports(atlas: Server, directus: Server) {
  const results: Record<string, Awaited<ReturnType<typeof exportOnce>>> = {};
  const runs: [Server, (page: number) => string, number | undefined][] = [
    [atlas, () => "/api/export/deals.csv", undefined],
    // Directus's own export of a query (its Data Studio's "Export items"): every live deal with the
    // same parts as the list, flattened by Directus into its CSV columns.
    [
      directus,
      (page) =>
        `/items/deals?export=csv&limit=${DIRECTUS_EXPORT_PAGE}&page=${page}&${liveDeal}&sort=-announced_on,-id&fields=${enc(LIST_FIELDS)}`,
      DIRECTUS_EXPORT_PAGE,
    ],
  ];
  for (const [server, url, pageRows] of runs) {
    await runCase(
      "export",
      `full CSV export (${server.name})`,
      async (signal) => {
        const figure = await exportOnce(server, url, pageRows, signal);
        record({ group: "export", name: `full CSV export (${server.name})`, ...figure, url: url(1) });
        results[server.name] = figure;
        console.log(
          `Full CSV export ${server.name.padEnd(8)} ${figure.rows.toLocaleString("en").padStart(9)} rows, ${figure.csv_mb.toFixed(0)} MB in ${figure.seconds.toFixed(2)} s ` +
            `(${Math.round(figure.rows_per_s).toLocaleString("en")} rows/s), server RSS +${figure.rss_growth_mb.toFixed(0)} MB`,
        );
        // Directus exported 2,000 deals with their parts at about 400 rows/s on a loaded machine.
      },
      4 * caseTimeout(),
    );
  }
  const a = results[atlas.name];
  const d = results[directus.name];
  if (!a || !d) return results;
  const times = a.rows_per_s / d.rows_per_s;
  console.log(
    `Full CSV export: Atlas ×${times.toFixed(1)} the rows/s of Directus; server growth ` +
      `+${a.rss_growth_mb.toFixed(0)} MB against +${d.rss_growth_mb.toFixed(0)} MB\n`,
  );
  return { ...results, atlas_over_directus_rows_per_s: times };
}

/** Directus's database: the copy itself on SQLite, or that copy moved into a throwaway PostgreSQL. */
async function directusDatabase(
  install: DirectusInstall,
  dir: string,
  atlasFile: string,
): Promise<PeerDatabase> {
  const copy = path.join(dir, "directus.db");
  fs.copyFileSync(atlasFile, copy);
  if (loads(install, "sqlite3")) return prepareDirectusCopy({ engine: "sqlite", file: copy });
  console.log(
    "Directus's SQLite driver (sqlite3) does not load on its Node: Directus runs on a throwaway PostgreSQL.",
  );
  const { adminQuery, startThrowawayPostgres } = await import("@/scripts/pg/throwaway");
  const server = await startThrowawayPostgres();
  onCleanup("PostgreSQL and its data folder", server.stop);
  await adminQuery(server.url, "CREATE DATABASE directus_peer");
  const url = server.urlFor("directus_peer");
  // The copy goes through `npm run db:copy` in a process of its own: the data layer's engine is
  // chosen once per process, and this one speaks SQLite.
  const copyScript = path.join(process.cwd(), "scripts", "db-copy.ts");
  const child = ownChild(
    "the copy into PostgreSQL",
    spawn(process.execPath, [...process.execArgv, copyScript, "--from", copy, "--to", url], {
      stdio: "inherit",
    }),
  );
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`npm run db:copy into PostgreSQL failed (exit ${code})`);
  return prepareDirectusCopy({ engine: "pg", url });
}

async function peer(dir: string, install: DirectusInstall) {
  // The engine is chosen from the environment when the data layer is first imported (db/core/engine.ts).
  const atlasFile = path.join(dir, "atlas.db");
  delete process.env.DATABASE_URL;
  process.env.DATABASE_PATH = atlasFile;
  const { openDatabase } = await import("@/db/core/connection");
  const { migrateDatabase } = await import("@/db/core/migrate");
  const { generateDemoDeals } = await import("@/db/ops/seed");
  const { writeAllCsvLines } = await import("@/db/deals/csv-lines");
  const { createApiToken } = await import("@/db/accounts/auth");
  const { buildStage } = await import("./http");
  const { sql } = await import("drizzle-orm");

  const db = openDatabase();
  await migrateDatabase(db);
  console.log(
    `Atlas against Directus ${install.version} · ${N.toLocaleString("en")} generated deals · ${RUNS} warm runs per case\n` +
      `node ${process.version} (Atlas), Directus on ${install.node}; ${os.cpus().length} cores\n`,
  );
  let started = performance.now();
  await generateDemoDeals(db, N);
  await writeAllCsvLines(db, { batch: 5000 });
  const token = (await createApiToken({ name: "bench peer", role: "viewer" }, db)).secret;
  // The busiest company first (cold and warm), then the next ones, each asked once (uncached).
  const companies = (
    await db.execute<Company>(
      sql`SELECT c.id, c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT ${1 + Math.max(5, Math.min(RUNS, 20))}`,
    )
  ).rows.map((c) => ({ id: Number(c.id), slug: c.slug }));
  const internals = db.internals;
  if (internals.engine === "sqlite") internals.writer.exec("ANALYZE");
  // Closing checkpoints the WAL into the file, so the copy below holds every row.
  await db.close();
  const { closeDb } = await import("@/db/core/index");
  await closeDb();
  console.log(`Generation: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  started = performance.now();
  const peerDb = await runStage("peer", "Directus's copy of the database", () =>
    directusDatabase(install, dir, atlasFile),
  );
  if (!peerDb) return;
  console.log(
    `Directus's copy (${peerDb.engine === "pg" ? "PostgreSQL" : "SQLite"}) ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );

  if (!(await buildStage())) return;

  const adminToken = randomBytes(24).toString("hex");
  const directusEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(DIRECTUS_PORT),
    PUBLIC_URL: directusBase,
    KEY: randomBytes(16).toString("hex"),
    SECRET: randomBytes(32).toString("hex"),
    ...peerDb.env,
    ADMIN_EMAIL: "bench@example.org",
    ADMIN_PASSWORD: randomBytes(12).toString("hex"),
    ADMIN_TOKEN: adminToken,
    // Uncached: every request reads the database, as every Atlas request that misses its cache does.
    CACHE_ENABLED: "false",
    RATE_LIMITER_ENABLED: "false",
    // Its pressure limiter answers 503 while the event loop lags, as during its own export on a busy
    // machine: off, so that every request is answered and timed.
    PRESSURE_LIMITER_ENABLED: "false",
    TELEMETRY: "false",
    WEBSOCKETS_ENABLED: "false",
    LOG_LEVEL: "warn",
    EXTENSIONS_PATH: path.join(dir, "directus-extensions"),
    STORAGE_LOCAL_ROOT: path.join(dir, "directus-uploads"),
  };
  const servers = await runStage(
    "peer",
    "servers start",
    async (signal) => {
      // Directus's own tables and its admin (with ADMIN_TOKEN) in the copy, then its server.
      const bootstrap = await new Promise<{ code: number; output: string }>((resolve) => {
        const child = ownChild(
          "Directus bootstrap",
          spawn(install.node, [install.cli, "bootstrap"], { cwd: dir, env: directusEnv }),
        );
        let output = "";
        const keep = (d: Buffer) => (output = (output + d.toString()).slice(-3000));
        child.stdout!.on("data", keep);
        child.stderr!.on("data", keep);
        child.on("exit", (code) => resolve({ code: code ?? 1, output }));
      });
      if (bootstrap.code !== 0) throw new Error(`directus bootstrap failed: ${bootstrap.output.trim()}`);
      const directus = await startServer(
        { name: "Directus", base: directusBase, headers: { authorization: `Bearer ${adminToken}` } },
        install.node,
        [install.cli, "start"],
        { cwd: dir, env: directusEnv, ready: `${directusBase}/server/ping` },
        signal,
      );
      await peerDb.relate(directus);
      // Atlas as the rest of the bench starts it (`npm start`'s server, waited for by its own pid).
      const atlasServer = await startAppServer("Atlas", ATLAS_PORT, {}, signal);
      const atlas: Server = {
        name: "Atlas",
        base: atlasBase,
        headers: { authorization: `Bearer ${token}` },
        pid: atlasServer.pid!,
      };
      return { atlas, directus };
      // Directus's bootstrap alone took 36 s at 2,000 deals on a loaded 2-core machine.
    },
    3 * caseTimeout(),
  );
  if (!servers) return;
  const { atlas, directus } = servers;
  recordExtra("peer", {
    name: "directus",
    version: install.version,
    directus_engine: peerDb.engine,
    directus_node: install.node,
    note: peerDb.note,
  });
  const operations = await compare(atlas, directus, companies);
  const exports = await compareExports(atlas, directus);
  // Kept to 0.01 like the cases' figures (bench/record.ts): more digits are noise.
  const rounded = (key: string, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
  recordExtra("peer_comparison", JSON.parse(JSON.stringify({ operations, export: exports }, rounded)));
}

/** `npm run bench -- --peer directus …`: installs Directus when missing, then compares. */
export async function peerBench(argv: string[]) {
  const name = argv[argv.indexOf("--peer") + 1];
  if (name !== "directus") {
    console.error(`--peer takes the peer to compare with: directus (not ${name ?? "nothing"})`);
    process.exitCode = 2;
    return;
  }
  let install: DirectusInstall;
  try {
    install = installDirectus();
  } catch (error) {
    if (!(error instanceof PeerUnavailable)) throw error;
    console.error(
      `Directus cannot be installed for the comparison, so nothing was measured.\n${error.message}`,
    );
    process.exitCode = 1;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-peer-run-"));
  onCleanup("the bench's folder", () => fs.rmSync(dir, { recursive: true, force: true }));
  await runToEnd(
    () => peer(dir, install),
    (interruption) => {
      printSummary(interruption);
      if (jsonFile) {
        writeResults(jsonFile, { engine: "sqlite", deals: N });
        console.log(`Figures written to ${jsonFile}`);
      }
    },
  );
}
