import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { runCase } from "@/bench/guard";
import { record, results, writeResults, type Results } from "@/bench/record";

// Issue 26: a hung import took the whole bench down without its JSON, and left the app server and
// its PostgreSQL (with a 5.4 GB data folder) running. Every case now runs under a timeout, a failure
// is recorded for its case and the run goes on, and however the run ends its results are written and
// what it started is stopped. Real processes: a miniature bench (test/bench-guard-child.ts) with a
// stand-in server.

const root = path.resolve(import.meta.dirname, "..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-bench-guard-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs the miniature bench through tsx, as `npm run bench` runs bench/run.ts. */
function miniBench(ending: "end" | "throw" | "reject" | "signal") {
  const json = path.join(dir, `${ending}.json`);
  const folder = path.join(dir, `${ending}-folder`);
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), "test/bench-guard-child.ts", json, folder, ending],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    if (ending === "signal" && output.includes("waiting for a signal")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = new Promise<number | null>((resolve) => {
    // A run that does not end is a failure of its own; what it started is killed below.
    const timer = setTimeout(() => resolve(null), 10_000);
    child.on("exit", (c) => (clearTimeout(timer), resolve(c)));
  });
  /** Kills whatever a failed run left behind, so that a failing test leaves no process. */
  const kill = () => {
    const [, standIn, bench] = /stand-in (\d+), bench (\d+)/.exec(output) ?? [];
    for (const pid of [standIn, bench, child.pid].map(Number))
      if (pid && alive(pid)) process.kill(pid, "SIGKILL");
  };
  return { json, folder, code, output: () => output, kill };
}

describe("the bench's guard", () => {
  it("records a case that throws and one that times out, runs the next and writes them all", async () => {
    await runCase("list", "throws", () => Promise.reject(new Error("no such table")));
    const started = performance.now();
    await runCase("list", "hangs", () => new Promise(() => undefined), 100);
    expect(performance.now() - started).toBeLessThan(2000);
    await runCase("list", "after", async () => record({ group: "list", name: "after", median_ms: 2 }));
    // A timed-out case that finishes later cannot replace its error with figures.
    record({ group: "list", name: "hangs", median_ms: 1 });
    const file = path.join(dir, "in-process.json");
    writeResults(file, { engine: "sqlite", deals: 10 });
    const written = JSON.parse(fs.readFileSync(file, "utf8")) as Results;
    expect(written).toEqual(results({ engine: "sqlite", deals: 10 }));
    expect(written.cases).toEqual([
      { group: "list", name: "throws", error: "no such table" },
      { group: "list", name: "hangs", error: "timed out after 0.1 s" },
      { group: "list", name: "after", median_ms: 2 },
    ]);
    expect(written.failures).toEqual([
      { group: "list", name: "throws", error: "no such table" },
      { group: "list", name: "hangs", error: "timed out after 0.1 s" },
    ]);
    process.exitCode = 0; // the failures above set it, as they should in a bench run
  });

  const underWay = { group: "http", name: "a case under way", error: "interrupted (SIGTERM)" };
  for (const [ending, failures, exitCode] of [
    ["end", [], 1],
    ["throw", [{ group: "bench", name: "run", error: "the generation failed" }], 1],
    ["reject", [{ group: "bench", name: "unhandled rejection", error: "nobody awaited this" }], 1],
    ["signal", [{ group: "bench", name: "SIGTERM", error: "interrupted by SIGTERM" }, underWay], 143],
  ] as const) {
    it(`writes the JSON and stops the server it started when the run ends: ${ending}`, async () => {
      const run = miniBench(ending);
      onTestFinished(run.kill);
      const code = await run.code;
      expect(fs.existsSync(run.json), run.output()).toBe(true);
      const written = JSON.parse(fs.readFileSync(run.json, "utf8")) as Results & { server_pid: number };
      expect(written.cases).toEqual([
        { group: "http", name: "a case that throws", error: "the server answered 500" },
        { group: "http", name: "a case that hangs", error: "timed out after 0.2 s" },
        { group: "http", name: "a case after them", median_ms: 1.5 },
        ...(ending === "signal" ? [underWay] : []),
      ]);
      expect(written.failures.slice(2)).toEqual(failures);
      expect(code, run.output()).toBe(exitCode);
      expect(run.output()).toContain("1 cases measured");
      expect(written.server_pid).toBeGreaterThan(0);
      expect(alive(written.server_pid)).toBe(false);
      expect(fs.existsSync(run.folder)).toBe(false);
    });
  }
});
