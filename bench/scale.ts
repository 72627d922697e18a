import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { onCleanup, ownChild, runToEnd } from "./guard";
import { type Case, type Group, type Metric, type Results } from "./record";

// npm run bench -- --scale [10000,100000,1000000] [other options]
// Runs the whole bench once per size, each in a child process of its own (memory and caches start
// clean), with the other options passed through and a --json file per size, then prints one table
// per group: each case's figure at every size and the growth factor between successive sizes, so a
// reader sees which views are flat and which grow with the data.

export const DEFAULT_SCALE = [10_000, 100_000, 1_000_000];
const GROUPS: Group[] = ["list", "stats", "http", "page", "export", "write", "news"];
const LABELS: Record<Metric, string> = {
  cold_ms: "cold",
  median_ms: "median",
  p95_ms: "p95",
  rows_per_s: "rows/s",
  rss_growth_mb: "RSS +MB",
};
/** The figures a growth table shows per group (p95 would double the tables without adding much). */
const SHOWN: Record<Group, Metric[]> = {
  list: ["median_ms", "cold_ms"],
  stats: ["cold_ms", "median_ms"],
  http: ["cold_ms", "median_ms"],
  page: ["cold_ms", "median_ms"],
  export: ["rows_per_s", "rss_growth_mb"],
  write: ["median_ms", "p95_ms"],
  news: ["p95_ms"],
};

/** `--scale` with a comma-separated list of sizes, or the default list when no list follows. */
export function scaleSizes(args: string[]): number[] {
  const value = args[args.indexOf("--scale") + 1];
  if (value === undefined || value.startsWith("--")) return DEFAULT_SCALE;
  const sizes = value.split(",").map((s) => Number(s.replace(/_/g, "")));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`--scale expects sizes such as 10000,100000,1000000, not ${value}`);
  return sizes;
}

/** The arguments without `name` and its value (if it takes one). */
function without(args: string[], name: string, takesValue: (next: string | undefined) => boolean) {
  const i = args.indexOf(name);
  if (i < 0) return args;
  return [...args.slice(0, i), ...args.slice(i + (takesValue(args[i + 1]) ? 2 : 1))];
}

function runChild(args: string[]) {
  // The same node, loader (tsx) and conditions as this process, on the same script. Stopped with
  // this process (SIGTERM: it writes its JSON and stops its own servers, given two minutes for that).
  const child = ownChild(
    "the bench of one size",
    spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], { stdio: "inherit" }),
    120_000,
  );
  return new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const figure = (metric: Metric, value: number | null | undefined) => {
  if (value === null || value === undefined) return "–";
  if (metric === "rows_per_s") return Math.round(value).toLocaleString("en");
  if (metric === "rss_growth_mb") return value < 10 ? value.toFixed(1) : value.toFixed(0);
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
};

const growth = (from: number | null | undefined, to: number | null | undefined) =>
  typeof from === "number" && typeof to === "number" && from > 0 ? `×${(to / from).toFixed(1)}` : "–";

/** One table per group: per case and figure, its value at each size and the growth between sizes. */
export function printScaleTables(runs: Results[]) {
  const sizes = runs.map((r) => r.deals.toLocaleString("en"));
  const width = Math.max(10, ...sizes.map((s) => s.length + 1));
  for (const group of GROUPS) {
    // Cases in the order of the first run that has them, then any that only later runs have.
    const names: string[] = [];
    for (const run of runs)
      for (const c of run.cases) if (c.group === group && !names.includes(c.name)) names.push(c.name);
    if (!names.length) continue;
    const metrics = SHOWN[group].filter((m) =>
      runs.some((run) => run.cases.some((c) => c.group === group && typeof c[m] === "number")),
    );
    const nameWidth = Math.max(40, ...names.map((n) => n.length + 10));
    console.log(
      `\n${`${group} (${runs[0]!.engine})`.padEnd(nameWidth)} ${sizes.map((s) => s.padStart(width)).join(" ")}   growth`,
    );
    for (const name of names) {
      for (const metric of metrics) {
        const values = runs.map(
          (run) => run.cases.find((c: Case) => c.group === group && c.name === name)?.[metric],
        );
        if (values.every((v) => typeof v !== "number")) continue;
        const factors = values.slice(1).map((v, i) => growth(values[i], v));
        console.log(
          `${`${name} · ${LABELS[metric]}`.padEnd(nameWidth)} ${values.map((v) => figure(metric, v).padStart(width)).join(" ")}   ${factors.join(" ")}`,
        );
      }
    }
  }
  const js = runs.map((r) => r.first_load_js_kb);
  if (js.some((v) => v !== null))
    console.log(
      `\nFirst-load JS of / (kB gzip): ${js.map((v) => (v === null ? "–" : v.toFixed(0))).join(", ")}`,
    );
}

export async function scaleBench(args: string[]) {
  const sizes = scaleSizes(args);
  const jsonArg = args.indexOf("--json");
  const jsonFile = jsonArg >= 0 ? args[jsonArg + 1] : undefined;
  if (jsonArg >= 0 && (!jsonFile || jsonFile.startsWith("--"))) throw new Error("--json needs a file name");
  let rest = without(args, "--scale", (next) => next !== undefined && !next.startsWith("--"));
  rest = without(rest, "--deals", () => true);
  rest = without(rest, "--json", () => true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-scale-"));
  onCleanup("the folder of the runs' figures", () => fs.rmSync(dir, { recursive: true, force: true }));
  const runs: Results[] = [];
  const failed: { deals: number; exit_code: number; json: boolean }[] = [];
  await runToEnd(
    async () => {
      for (const size of sizes) {
        const file = path.join(dir, `bench-${size}.json`);
        console.log(`\n=== ${size.toLocaleString("en")} deals (a process of its own) ===\n`);
        const code = await runChild([...rest, "--deals", String(size), "--json", file]);
        const written = fs.existsSync(file);
        if (code !== 0 || !written) {
          console.error(`The run at ${size.toLocaleString("en")} deals failed (exit code ${code}).`);
          failed.push({ deals: size, exit_code: code, json: written });
          process.exitCode = 1;
        }
        if (written) runs.push(JSON.parse(fs.readFileSync(file, "utf8")) as Results);
      }
    },
    () => {
      if (runs.length) {
        console.log(
          `\n=== How the cost grows: ${runs.map((r) => r.deals.toLocaleString("en")).join(" → ")} deals ===`,
        );
        printScaleTables(runs);
      }
      if (jsonFile) {
        fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
        fs.writeFileSync(jsonFile, `${JSON.stringify({ scales: runs, failed }, null, 2)}\n`);
        console.log(`\nFigures of every size written to ${jsonFile}`);
      }
    },
  );
}
