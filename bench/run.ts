import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import type { Reader } from "@/db/core/connection";
import { onCleanup, runCase, runToEnd, setCaseTimeout } from "./guard";
import { printSummary, record, recordExtra, writeResults } from "./record";

// npm run bench [-- --engine pg] [-- --deals N] [-- --runs R]
//   [-- --load-clients 50 --load-seconds 60 --import-rows 5000] [-- --no-load] [-- --no-http]
//   [-- --app-servers 2] (PostgreSQL: the load again on N servers behind a proxy; 1: none)
//   [-- --news-items 1000] [-- --no-news] [-- --only news]
//   [-- --json FILE] [-- --scale 10000,100000,1000000] [-- --case-timeout 300] [-- --peer directus]
// Builds a generated database and prints timings: median and p95 through the app's own query
// functions, next to the very same SQL statements run bare through the driver (better-sqlite3 or
// node-postgres). With `--engine pg` it runs against a throwaway PostgreSQL started for the run.
// Every case runs under `--case-timeout` seconds (the load run gets its own length on top): one that
// fails or times out is recorded with its error and the bench goes on (bench/guard.ts); the JSON is
// written and what the bench started is stopped however the run ends.

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = option("--deals", 100_000);
const RUNS = option("--runs", 40);
const engineArg = args.indexOf("--engine");
const usePg = engineArg >= 0 && args[engineArg + 1] === "pg";
const jsonArg = args.indexOf("--json");
const jsonFile = jsonArg >= 0 ? args[jsonArg + 1] : undefined;
if (jsonArg >= 0 && (!jsonFile || jsonFile.startsWith("--"))) throw new Error("--json needs a file name");
setCaseTimeout(option("--case-timeout", 300) * 1000);
const onlyArg = args.indexOf("--only");
const only = onlyArg >= 0 ? args[onlyArg + 1] : undefined;
if (onlyArg >= 0 && only !== "news") throw new Error("--only takes one case group: news");
// The news case (bench/news.ts): feed items processed while GET /api/deals is timed.
const newsItems = args.includes("--no-news") ? 0 : option("--news-items", 1000);
// On PostgreSQL the load runs again on this many app servers behind a local proxy (bench/cluster.ts).
// SQLite is one file on one machine: one server.
const appServers = option("--app-servers", usePg ? 2 : 1);
if (!Number.isInteger(appServers) || appServers < 1 || appServers > 4)
  throw new Error("--app-servers takes 1 to 4");
if (appServers > 1 && !usePg) throw new Error("--app-servers above 1 needs --engine pg");

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-"));
  onCleanup("the bench's folder", () => fs.rmSync(dir, { recursive: true, force: true }));
  await runToEnd(
    () => bench(dir),
    (interruption) => {
      printSummary(interruption);
      if (jsonFile) {
        writeResults(jsonFile, { engine: usePg ? "pg" : "sqlite", deals: N });
        console.log(`Figures written to ${jsonFile}`);
      }
    },
  );
}

async function bench(dir: string) {
  // The engine is chosen from the environment when the data layer is first imported (db/core/engine.ts),
  // so the database is set up first and every module of the app is imported after.
  const file = path.join(dir, "bench.db");
  if (usePg) {
    const { adminQuery, startThrowawayPostgres } = await import("@/scripts/pg/throwaway");
    const server = await startThrowawayPostgres();
    onCleanup("PostgreSQL and its data folder", server.stop);
    await adminQuery(server.url, "CREATE DATABASE atlas_bench");
    process.env.DATABASE_URL = server.urlFor("atlas_bench");
    // PostgreSQL requires the session secret from the environment; the server under test inherits it.
    process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
  } else {
    // The auth module and the server under test open the database through DATABASE_PATH.
    delete process.env.DATABASE_URL;
    process.env.DATABASE_PATH = file;
  }
  const { openDatabase } = await import("@/db/core/connection");
  const { migrateDatabase } = await import("@/db/core/migrate");
  const { listDeals } = await import("@/db/deals/deals");
  const { generateDemoDeals } = await import("@/db/ops/seed");
  const { exportCsv, dealRowBatches } = await import("@/db/deals/export");
  const { createDeal, updateDeal } = await import("@/db/deals/deal-writes");
  const { dealInput } = await import("@/lib/validation");
  const {
    dealsOverTime,
    dealTypeBreakdown,
    getSummary,
    partnerNetwork,
    technologiesOverTime,
    technologyCounts,
    timeline,
    topCompanies,
  } = await import("@/db/stats/stats");
  const { getInbox } = await import("@/db/follow/inbox");
  const { watch, createView } = await import("@/db/follow/views");
  const { httpBench } = await import("./http");

  const db = openDatabase();
  onCleanup("the bench's database handles", async () => {
    await db.close();
    const { closeDb } = await import("@/db/core/index");
    await closeDb();
  });
  await migrateDatabase(db);
  const internals = db.internals;

  /** Raw rows through the driver, without Drizzle: what the engine itself costs. */
  async function bare(text: string, params: unknown[] = []): Promise<unknown[]> {
    if (internals.engine === "pg") return (await internals.reader.query(text, params)).rows;
    return internals.reader.prepare(text).all(...params);
  }
  /** The first row of a set-up query (not timed). */
  const one = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)).rows[0] as T;

  console.log(
    `Partnership Atlas benchmark · ${db.engine === "pg" ? "PostgreSQL" : "SQLite"} · ` +
      `${N.toLocaleString("en")} generated deals · ${RUNS} runs per case`,
  );
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}\n`,
  );

  let started = performance.now();
  const generated = await generateDemoDeals(db, N);
  const generationMs = performance.now() - started;
  recordExtra("generation_s", Math.round(generationMs / 100) / 10);
  // The export's kept lines, which the server's background pass would otherwise write while the
  // first cases are timed (db/deals/csv-lines.ts): written here, and timed apart from generation.
  started = performance.now();
  const { writeAllCsvLines } = await import("@/db/deals/csv-lines");
  await writeAllCsvLines(db, { batch: 5000 });
  const linesMs = performance.now() - started;
  recordExtra("csv_lines_s", Math.round(linesMs / 100) / 10);
  const { rows: tables } = await db.execute<{ name: string }>(
    internals.engine === "pg"
      ? sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '%drizzle%'`
      : sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%drizzle%' AND name NOT LIKE 'deal_search_%' AND name <> 'deal_search'`,
  );
  let rows = 0;
  for (const { name } of tables)
    rows += Number((await one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(name)}`)).n);
  started = performance.now();
  // PostgreSQL's autovacuum analyses a user's tables soon after a load like this one. The app keeps no
  // planner statistics on SQLite (sampled ones made the lists slower at a million deals, session 10),
  // so the bench times the plans a user's file gets: none taken here either.
  if (internals.engine === "pg") await internals.primary.query("ANALYZE");
  const size =
    internals.engine === "pg"
      ? Number((await one<{ n: number }>(sql`SELECT pg_database_size(current_database()) AS n`)).n)
      : fs.statSync(file).size;
  console.log(
    `Generation: ${(generationMs / 1000).toFixed(1)} s for ${generated.deals.toLocaleString("en")} deals, ` +
      `${generated.companies.toLocaleString("en")} companies, ${rows.toLocaleString("en")} rows (target at 1M < 180 s); ` +
      `the export's kept lines ${(linesMs / 1000).toFixed(1)} s;${internals.engine === "pg" ? ` ANALYZE ${Math.round(performance.now() - started)} ms;` : ""} ${internals.engine === "pg" ? "database" : "file"} ${(size / 1e6).toFixed(0)} MB\n`,
  );

  // Typical analyst filters.
  const busiest = await one<{ slug: string }>(
    sql`SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
  );
  const median = await one<{ slug: string }>(
    sql`SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM companies)`,
  );
  const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });
  if (only === "news") {
    await httpBench(db, busiest.slug, RUNS, undefined, { main: false, newsItems });
    return;
  }
  const cases: [string, DealFilters][] = [
    ["no filter", f({})],
    ["one company (busiest)", f({ company: [busiest.slug] })],
    ["one company (typical)", f({ company: [median.slug] })],
    ["one technology", f({ technology: ["ai"] })],
    ["text search", f({ q: "robotics" })],
    ["text search, 2 words", f({ q: "fictional alliance" })],
    ["date range (1 year)", f({ from: "2020-01-01", to: "2020-12-31" })],
    ["type + binding", f({ type: ["mou"], binding: ["non_binding"] })],
    [
      "company + technology + dates",
      f({ company: [busiest.slug], technology: ["cloud"], from: "2018-01-01", to: "2023-12-31" }),
    ],
    ["technology + status, sort by title", f({ technology: ["5g"], status: ["active"], sort: "title" })],
    ["no filter, page 200", f({ page: 200 })],
  ];

  function stats(samples: number[]) {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { median: at(0.5), p95: at(0.95) };
  }

  /**
   * Median and p95 of RUNS calls after 3 warm-up calls; `cold` is the first of those (not printed).
   * Stops between calls once the case's signal is aborted (it timed out).
   */
  async function time(fn: () => Promise<unknown>, signal: AbortSignal) {
    let cold = 0;
    for (let i = 0; i < 3; i++) {
      signal.throwIfAborted();
      const t = performance.now();
      await fn();
      if (i === 0) cold = performance.now() - t;
    }
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      signal.throwIfAborted();
      const t = performance.now();
      await fn();
      samples.push(performance.now() - t);
    }
    return { ...stats(samples), cold };
  }

  type Statement = { sql: string; params: unknown[] };
  type Logger = { logQuery(query: string, params: unknown[]): void };

  /**
   * The statements a query function runs, captured through Drizzle's logger: the handle's session
   * logs them while `run` runs (Drizzle reads the session's logger for every query it prepares).
   */
  async function capture(run: (reader: Reader) => Promise<unknown>) {
    const statements: Statement[] = [];
    const session = (db as unknown as { session: { logger: Logger } }).session;
    const previous = session.logger;
    session.logger = { logQuery: (query, params) => statements.push({ sql: query, params }) };
    try {
      await run(db);
    } finally {
      session.logger = previous;
    }
    return statements;
  }

  const bareRun = (statements: Statement[]) => async () => {
    for (const s of statements) await bare(s.sql, s.params);
  };

  const pad = (s: string, n: number) => s.padEnd(n);
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  console.log(
    `List query (listDeals: count + page + parts)   ${pad("app median", 10)} ${pad("app p95", 10)} ${pad("bare median", 11)} ${pad("bare p95", 10)} total`,
  );
  let worst = 0;
  for (const [name, filters] of cases) {
    await runCase("list", name, async (signal) => {
      const app = await time(() => listDeals(filters, db), signal);
      const bareTimes = await time(bareRun(await capture((reader) => listDeals(filters, reader))), signal);
      const total = (await listDeals(filters, db)).total;
      worst = Math.max(worst, app.median);
      record({
        group: "list",
        name,
        median_ms: app.median,
        p95_ms: app.p95,
        cold_ms: app.cold,
        bare_median_ms: bareTimes.median,
        bare_p95_ms: bareTimes.p95,
        total,
      });
      console.log(
        `${pad(name, 46)} ${ms(app.median)} ${ms(app.p95)} ${ms(bareTimes.median).padStart(11)} ${ms(bareTimes.p95)} ${total.toLocaleString("en").padStart(8)}`,
      );
    });
  }
  console.log(`\nSlowest list median: ${worst.toFixed(2)} ms (target < 50 ms)\n`);

  // ---------------------------------------------------------------------------------------------
  // Dashboard aggregates: the functions behind /api/stats/*, unfiltered and for one company.

  // Issue 13's filters: all deals, each single filter (busiest company, one area, one type, a year,
  // Roll up) and one combination. The functions are not cached: every call is a cold one.
  const singleFilters = [
    ["all deals", f({})],
    ["one company", f({ company: [busiest.slug] })],
    ["one technology", f({ technology: ["cloud"] })],
    ["one type", f({ type: ["mou"] })],
    ["one year", f({ from: "2024-01-01", to: "2024-12-31" })],
    ["rollup", f({ rollup: true })],
    [
      "type + year + technology",
      f({ type: ["mou"], from: "2024-01-01", to: "2024-12-31", technology: ["cloud"] }),
    ],
  ] as const;
  const statsCases: [string, (f: DealFilters, reader: Reader) => Promise<unknown>][] = [
    ["summary", (f2, r) => getSummary(f2, r)],
    ["deals-over-time", (f2, r) => dealsOverTime(f2, "auto", r)],
    ["top-companies", (f2, r) => topCompanies(f2, {}, r)],
    ["top-companies?by=partners", (f2, r) => topCompanies(f2, { by: "partners" }, r)],
    ["technologies", (f2, r) => technologyCounts(f2, r)],
    ["technologies-over-time", (f2, r) => technologiesOverTime(f2, "auto", r)],
    ["deal-types", (f2, r) => dealTypeBreakdown(f2, r)],
    ["timeline", (f2, r) => timeline(f2, "company", r)],
    ["network", (f2, r) => partnerNetwork(f2, r)],
  ];
  console.log(
    `Stats query (function behind the endpoint)       ${pad("app median", 10)} ${pad("app p95", 10)} ${pad("bare median", 11)} ${pad("first call", 10)}`,
  );
  let worstStats = 0;
  for (const [name, run] of statsCases) {
    for (const [label, filters] of singleFilters) {
      await runCase("stats", `${name} (${label})`, async (signal) => {
        const app = await time(() => run(filters, db), signal);
        const bareTimes = await time(bareRun(await capture((reader) => run(filters, reader))), signal);
        worstStats = Math.max(worstStats, app.median);
        record({
          group: "stats",
          name: `${name} (${label})`,
          median_ms: app.median,
          p95_ms: app.p95,
          cold_ms: app.cold,
          bare_median_ms: bareTimes.median,
        });
        console.log(
          `${pad(`${name} (${label})`, 48)} ${ms(app.median)} ${ms(app.p95)} ${ms(bareTimes.median).padStart(11)} ${ms(app.cold)}`,
        );
      });
    }
  }
  console.log(
    `\nSlowest stats median: ${worstStats.toFixed(2)} ms (target < 100 ms per endpoint, HTTP included below)\n`,
  );

  // ---------------------------------------------------------------------------------------------
  // The inbox: a user watching the busiest company, a technology area and a saved view, after a
  // day of 1,000 changes (revisions) spread over random deals since they last looked.

  await runCase("list", "inbox (3 watches, 1,000 unread revisions)", async (signal) => {
    const userId = "bench-user";
    await db.write(async (tx) => {
      await tx.execute(
        sql`INSERT INTO users (id, name, email, role) VALUES (${userId}, 'Inbox reader', 'inbox@example.org', 'viewer')`,
      );
    });
    const busiestId = (await one<{ id: number }>(sql`SELECT id FROM companies WHERE slug = ${busiest.slug}`))
      .id;
    const technologyId = (await one<{ id: number }>(sql`SELECT id FROM technologies ORDER BY id LIMIT 1`)).id;
    await watch(userId, { kind: "company", id: busiestId }, db);
    await watch(userId, { kind: "technology", id: technologyId }, db);
    const view = await createView(
      { id: userId, role: "viewer" },
      { name: "MoUs", path: "/deals?type=mou&binding=non_binding", shared: false },
      db,
    );
    await watch(userId, { kind: "view", id: view.id }, db);
    const maxId = Number((await one<{ id: number }>(sql`SELECT max(id) AS id FROM deals`)).id);
    // One multi-row insert: on PostgreSQL every statement is a round trip.
    await db.write(async (tx) => {
      await tx.execute(
        sql`INSERT INTO revisions (deal_id, version, action, actor, changed_fields, before, after) VALUES ${sql.join(
          Array.from(
            { length: 1000 },
            (_, i) => sql`(${1 + ((i * 7919) % maxId)}, 2, 'update', 'bench', '["status"]', NULL, NULL)`,
          ),
          sql`, `,
        )}`,
      );
    });
    const app = await time(() => getInbox(userId, db), signal);
    const inbox = await getInbox(userId, db);
    record({
      group: "list",
      name: "inbox (3 watches, 1,000 unread revisions)",
      median_ms: app.median,
      p95_ms: app.p95,
      cold_ms: app.cold,
      unread: inbox.unread,
    });
    console.log(
      `Inbox (3 watches, 1,000 unread revisions)        ${ms(app.median)} ${ms(app.p95)}   ${inbox.unread} matching changes\n`,
    );
  });

  // ---------------------------------------------------------------------------------------------
  // CSV export: every deal, streamed; against the bare rows of the same statement.

  for (const layout of ["deals", "parties", "pairs"] as const) {
    await runCase("export", `${layout} layout (in process)`, async (signal) => {
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      let bytes = 0;
      let lines = 0;
      const t0 = performance.now();
      for await (const text of exportCsv(db, f({}), layout)) {
        signal.throwIfAborted();
        bytes += text.length;
        lines += text.split("\r\n").length - 1; // the generated data has no line breaks inside cells
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const seconds = (performance.now() - t0) / 1000;
      record({
        group: "export",
        name: `${layout} layout (in process)`,
        rows_per_s: (lines - 1) / seconds,
        rss_growth_mb: (peak - rssBefore) / 1e6,
        rows: lines - 1,
        seconds,
        csv_mb: bytes / 1e6,
      });
      console.log(
        `Export ${layout.padEnd(8)} ${(lines - 1).toLocaleString("en").padStart(9)} rows in ${seconds.toFixed(2)} s ` +
          `(${Math.round((lines - 1) / seconds).toLocaleString("en")} rows/s), ${(bytes / 1e6).toFixed(0)} MB of CSV, ` +
          `RSS +${((peak - rssBefore) / 1e6).toFixed(0)} MB`,
      );
    });
  }
  // The same statements alone, rows read but not written as CSV: what the engine costs.
  await runCase("export", "deals layout (bare statements)", async (signal) => {
    const t0 = performance.now();
    let n = 0;
    for await (const batch of dealRowBatches(db, f({}))) {
      signal.throwIfAborted();
      n += batch.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    record({
      group: "export",
      name: "deals layout (bare statements)",
      rows_per_s: n / seconds,
      rows: n,
      seconds,
    });
    console.log(
      `Bare export statements (deals layout): ${n.toLocaleString("en")} rows in ${seconds.toFixed(2)} s (${Math.round(n / seconds).toLocaleString("en")} rows/s)\n`,
    );
  });

  // ---------------------------------------------------------------------------------------------
  // Saving a deal through the data layer, with whatever each write keeps up to date: new deals
  // (createDeal), then repeated edits of one deal (updateDeal). After the in-process exports, so
  // that these few extra deals do not change their figures (the HTTP part below counts them).

  {
    const busiestName = (
      await one<{ name: string }>(sql`SELECT name FROM companies WHERE slug = ${busiest.slug}`)
    ).name;
    let saved = 0;
    const input = (summary: string) =>
      dealInput.parse({
        title: `Bench saved deal ${process.pid}-${saved}`,
        announcedOn: "2024-05-05",
        types: ["mou"],
        binding: "non_binding",
        summary,
        parties: [
          { company: busiestName, role: "partner" },
          { company: `Bench write partner ${process.pid}-${saved} (fictional)`, role: "partner" },
        ],
        technologies: ["AI"],
        sources: [{ url: "https://example.com/partnership-atlas/generated" }],
      });
    const saves: [string, (signal: AbortSignal) => ReturnType<typeof time>][] = [
      [
        "createDeal (a new deal)",
        (signal) => time(() => createDeal(input(`Saved ${++saved}`), { actor: "bench" }, db), signal),
      ],
      [
        "updateDeal (an edit of one deal)",
        async (signal) => {
          let deal = await createDeal(input("Edited 0"), { actor: "bench" }, db);
          return time(async () => {
            deal = await updateDeal(
              deal.id,
              input(`Edited ${++saved}`),
              deal.version,
              { actor: "bench" },
              db,
            );
          }, signal);
        },
      ],
    ];
    for (const [name, timed] of saves) {
      await runCase("write", name, async (signal) => {
        const result = await timed(signal);
        record({ group: "write", name, median_ms: result.median, p95_ms: result.p95, cold_ms: result.cold });
        console.log(
          `${pad(`Save a deal: ${name}`, 48)} ${ms(result.median)} ${ms(result.p95)}  (target < 20 ms median)`,
        );
      });
    }
    console.log("");
  }

  // The load case: many clients on a mix of requests, then a large import while the dashboard is timed.
  const companies = (
    await db.execute<{ slug: string }>(
      sql`SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 200`,
    )
  ).rows
    .map((c) => c.slug)
    .filter((_, i) => i % 4 === 0);
  const load = args.includes("--no-load")
    ? undefined
    : {
        clients: option("--load-clients", 50),
        seconds: option("--load-seconds", 60),
        importRows: option("--import-rows", 5000),
        appServers,
        companies,
      };
  if (!args.includes("--no-http")) await httpBench(db, busiest.slug, RUNS, load, { main: true, newsItems });
}

// `--scale`: the whole bench once per size, each in a child process running this file (bench/scale.ts).
// `--peer directus`: Atlas against Directus 12 on copies of one generated database (bench/peer.ts).
(args.includes("--scale")
  ? import("./scale").then((scale) => scale.scaleBench(args))
  : args.includes("--peer")
    ? import("./peer").then((peer) => peer.peerBench(args))
    : main()
).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
