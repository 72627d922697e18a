import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The bench's figures in one place, for `--json FILE`: each table line also calls `record`, and the
// run ends by writing them all in the shape below, so that runs can be compared by a script.
//
//   { "engine": "sqlite" | "pg", "deals": N, "node": "v20…", "cpus": 2,
//     "cases": [ { "group", "name", "median_ms", "p95_ms", "cold_ms", "rows_per_s", "rss_growth_mb", … } ],
//     "first_load_js_kb": 0, "failures": [ { "group", "name", "error" } ], … }
//
// Fields that do not apply to a case are left out; extra fields (bare figures, totals) are allowed.
// A case that failed or timed out has `error` (its message) instead of figures, and is also listed
// in `failures` with whatever else did not run to its end (a stage such as the server's start, a signal).

export type Group = "list" | "stats" | "http" | "page" | "export" | "write" | "news";

/** The figures a comparison looks at, in the order the scale tables show them. */
export const METRICS = ["cold_ms", "median_ms", "p95_ms", "rows_per_s", "rss_growth_mb"] as const;
export type Metric = (typeof METRICS)[number];

export type Case = { group: Group; name: string } & Partial<Record<Metric, number | null>> & {
    [extra: string]: unknown;
  };

export type Results = {
  engine: "sqlite" | "pg";
  deals: number;
  node: string;
  cpus: number;
  cases: Case[];
  first_load_js_kb: number | null;
  failures: Failure[];
  [extra: string]: unknown;
};

export type Failure = { group: string; name: string; error: string };

const cases: Case[] = [];
const failures: Failure[] = [];
const extras: Record<string, unknown> = {};
let firstLoadJsKb: number | null = null;

/** Figures are kept to 0.01 (ms, MB) or whole rows/s: more digits are noise. */
const round = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value)
    ? Math.abs(value) >= 1000
      ? Math.round(value)
      : Math.round(value * 100) / 100
    : value;

export function record(entry: Case) {
  // A case that timed out may still finish in the background: its error stays, its late figures go.
  if (cases.some((c) => c.group === entry.group && c.name === entry.name && c.error !== undefined)) return;
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) if (value !== undefined) clean[key] = round(value);
  cases.push(clean as Case);
}

/** What did not run to its end: a case (also recorded with its `error`), a stage or an interruption. */
export function recordFailure(group: string, name: string, error: string) {
  failures.push({ group, name, error });
}

export function recordFirstLoadJs(kb: number) {
  firstLoadJsKb = Math.round(kb * 10) / 10;
}

/** A figure outside the cases (generation time, load and import runs): kept as a top-level field. */
export function recordExtra(key: string, value: unknown) {
  extras[key] = value;
}

export function results(meta: { engine: "sqlite" | "pg"; deals: number }): Results {
  return {
    engine: meta.engine,
    deals: meta.deals,
    node: process.version,
    cpus: os.cpus().length,
    cases,
    first_load_js_kb: firstLoadJsKb,
    ...extras,
    failures,
  };
}

export function writeResults(file: string, meta: { engine: "sqlite" | "pg"; deals: number }) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results(meta), null, 2)}\n`);
}

/** The closing lines of a run: how many cases have figures, and each failure with its message. */
export function printSummary(interruption?: string) {
  const measured = cases.filter((c) => c.error === undefined).length;
  console.log(
    `\n${interruption ? `Interrupted (${interruption}): ` : ""}${measured} cases measured, ` +
      `${failures.length} failure${failures.length === 1 ? "" : "s"}`,
  );
  for (const f of failures) console.log(`  ✗ ${f.group}: ${f.name}: ${f.error}`);
}

/**
 * The line feeds in a chunk of a streamed answer, found natively: a byte-by-byte loop cost the bench's
 * client 0.3–0.5 s of CPU per 59 MB export, on the two cores the server shares.
 */
export function lineFeeds(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
