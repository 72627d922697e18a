import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { defaultFilters, type DealFilters } from "@/lib/filters";
import { openDatabase, type Db } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { listDeals } from "@/db/deals";
import { type Reader } from "@/db/index";
import * as schema from "@/db/schema";
import { generateDemoDeals } from "@/db/seed";
import { dealBatches, exportCsv } from "@/db/export";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  partnerNetwork,
  technologiesOverTime,
  technologyCounts,
  timeline,
  topCompanies,
} from "@/db/stats";
import { getInbox } from "@/db/inbox";
import { watch, createView } from "@/db/views";
import { httpBench } from "./http";

// npm run bench [-- --deals N] [-- --runs R] [-- --load-clients 50 --load-seconds 60 --import-rows 5000]
//   [-- --no-load] [-- --no-http]
// Builds a generated database and prints timings: median and p95 through the app's own query
// functions, next to the very same SQL statements run bare through better-sqlite3.

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = option("--deals", 100_000);
const RUNS = option("--runs", 40);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-"));
const file = path.join(dir, "bench.db");
// The auth module and the server under test open the database through DATABASE_PATH.
process.env.DATABASE_PATH = file;
const db = openDatabase(file);
migrateDatabase(db);

console.log(
  `Partnership Atlas benchmark · ${N.toLocaleString("en")} generated deals · ${RUNS} runs per case`,
);
console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "unknown CPU"}\n`);

let started = performance.now();
const generated = generateDemoDeals(db, N);
const generationMs = performance.now() - started;
const tables = db.$client
  .prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%drizzle%' AND name NOT LIKE 'deal_search_%' AND name <> 'deal_search'",
  )
  .all() as { name: string }[];
const rows = tables.reduce(
  (sum, { name }) =>
    sum + (db.$client.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
  0,
);
started = performance.now();
db.$client.exec("ANALYZE");
console.log(
  `Generation: ${(generationMs / 1000).toFixed(1)} s for ${generated.deals.toLocaleString("en")} deals, ` +
    `${generated.companies.toLocaleString("en")} companies, ${rows.toLocaleString("en")} rows (target < 60 s); ` +
    `ANALYZE ${Math.round(performance.now() - started)} ms; file ${(fs.statSync(file).size / 1e6).toFixed(0)} MB\n`,
);

// Typical analyst filters.
const busiest = db.$client
  .prepare(
    "SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC LIMIT 1",
  )
  .get() as { slug: string };
const median = db.$client
  .prepare(
    "SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC LIMIT 1 OFFSET (SELECT count(*) / 2 FROM companies)",
  )
  .get() as { slug: string };
const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });
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

function time(fn: () => void) {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return stats(samples);
}

/** The statements a query function runs, captured through Drizzle's logger. */
function capture(run: (reader: Reader) => unknown) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const logging = drizzle(db.$client, {
    schema,
    logger: { logQuery: (sql, params) => statements.push({ sql, params }) },
  }) as unknown as Db;
  run(logging as Reader);
  return statements;
}

const bareRun = (statements: { sql: string; params: unknown[] }[]) => () => {
  for (const s of statements) db.$client.prepare(s.sql).all(...(s.params as unknown[]));
};

const pad = (s: string, n: number) => s.padEnd(n);
const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
console.log(
  `List query (listDeals: count + page + parts)   ${pad("app median", 10)} ${pad("app p95", 10)} ${pad("bare median", 11)} ${pad("bare p95", 10)} total`,
);
let worst = 0;
for (const [name, filters] of cases) {
  const app = time(() => listDeals(filters, db as Reader));
  const bare = time(bareRun(capture((reader) => listDeals(filters, reader))));
  const total = listDeals(filters, db as Reader).total;
  worst = Math.max(worst, app.median);
  console.log(
    `${pad(name, 46)} ${ms(app.median)} ${ms(app.p95)} ${ms(bare.median).padStart(11)} ${ms(bare.p95)} ${total.toLocaleString("en").padStart(8)}`,
  );
}
console.log(`\nSlowest list median: ${worst.toFixed(2)} ms (target < 50 ms)\n`);

// ---------------------------------------------------------------------------------------------
// Dashboard aggregates: the functions behind /api/stats/*, unfiltered and for one company.

const statsCases: [string, (f: DealFilters, reader: Reader) => unknown][] = [
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
  `Stats query (function behind the endpoint)       ${pad("app median", 10)} ${pad("app p95", 10)} ${pad("bare median", 11)}`,
);
let worstStats = 0;
for (const [name, run] of statsCases) {
  for (const [label, filters] of [
    ["all deals", f({})],
    ["one company", f({ company: [busiest.slug] })],
  ] as const) {
    const app = time(() => run(filters, db as Reader));
    const bare = time(bareRun(capture((reader) => run(filters, reader))));
    worstStats = Math.max(worstStats, app.median);
    console.log(
      `${pad(`${name} (${label})`, 48)} ${ms(app.median)} ${ms(app.p95)} ${ms(bare.median).padStart(11)}`,
    );
  }
}
console.log(
  `\nSlowest stats median: ${worstStats.toFixed(2)} ms (target < 100 ms per endpoint, HTTP included below)\n`,
);

// ---------------------------------------------------------------------------------------------
// The inbox: a user watching the busiest company, a technology area and a saved view, after a
// day of 1,000 changes (revisions) spread over random deals since they last looked.

{
  const userId = "bench-user";
  db.$client
    .prepare("INSERT INTO users (id, name, email, role) VALUES (?, 'Bench', 'bench@example.org', 'viewer')")
    .run(userId);
  const busiestId = (
    db.$client.prepare("SELECT id FROM companies WHERE slug = ?").get(busiest.slug) as { id: number }
  ).id;
  const technologyId = (
    db.$client.prepare("SELECT id FROM technologies ORDER BY id LIMIT 1").get() as { id: number }
  ).id;
  watch(userId, { kind: "company", id: busiestId }, db);
  watch(userId, { kind: "technology", id: technologyId }, db);
  const view = createView(
    { id: userId, role: "viewer" },
    { name: "MoUs", path: "/deals?type=mou&binding=non_binding", shared: false },
    db,
  );
  watch(userId, { kind: "view", id: view.id }, db);
  const maxId = (db.$client.prepare("SELECT max(id) AS id FROM deals").get() as { id: number }).id;
  const insert = db.$client.prepare(
    "INSERT INTO revisions (deal_id, version, action, actor, changed_fields, before, after) VALUES (?, 2, 'update', 'bench', '[\"status\"]', NULL, NULL)",
  );
  db.$client.transaction(() => {
    for (let i = 0; i < 1000; i++) insert.run(1 + ((i * 7919) % maxId));
  })();
  const app = time(() => getInbox(userId, db as Reader));
  const inbox = getInbox(userId, db as Reader);
  console.log(
    `Inbox (3 watches, 1,000 unread revisions)        ${ms(app.median)} ${ms(app.p95)}   ${inbox.unread} matching changes\n`,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV export: every deal, streamed; against the bare rows of the same statement.

{
  const reader = openDatabase(file, { readonly: true });
  for (const layout of ["deals", "parties", "pairs"] as const) {
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let bytes = 0;
    let lines = 0;
    const t0 = performance.now();
    for (const text of exportCsv(reader, f({}), layout)) {
      bytes += text.length;
      lines += text.split("\r\n").length - 1; // the generated data has no line breaks inside cells
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `Export ${layout.padEnd(8)} ${(lines - 1).toLocaleString("en").padStart(9)} rows in ${seconds.toFixed(2)} s ` +
        `(${Math.round((lines - 1) / seconds).toLocaleString("en")} rows/s), ${(bytes / 1e6).toFixed(0)} MB of CSV, ` +
        `RSS +${((peak - rssBefore) / 1e6).toFixed(0)} MB`,
    );
  }
  // The same statements alone, rows read but not written as CSV: what SQLite costs.
  const t0 = performance.now();
  let n = 0;
  for (const batch of dealBatches(reader as unknown as Db, f({}))) n += batch.length;
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `Bare export statements (deals layout): ${n.toLocaleString("en")} rows in ${seconds.toFixed(2)} s (${Math.round(n / seconds).toLocaleString("en")} rows/s)\n`,
  );
  reader.$client.close();
}

// The load case: many clients on a mix of requests, then a large import while the dashboard is timed.
const companies = (
  db.$client
    .prepare(
      "SELECT c.slug FROM deal_parties p JOIN companies c ON c.id = p.company_id GROUP BY c.id ORDER BY count(*) DESC LIMIT 200",
    )
    .pluck()
    .all() as string[]
).filter((_, i) => i % 4 === 0);
const load = args.includes("--no-load")
  ? undefined
  : {
      clients: option("--load-clients", 50),
      seconds: option("--load-seconds", 60),
      importRows: option("--import-rows", 5000),
      companies,
    };
const http = args.includes("--no-http") ? Promise.resolve() : httpBench(db, busiest.slug, RUNS, load);
void http.finally(() => {
  db.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
