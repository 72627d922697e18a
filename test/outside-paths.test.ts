import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A fresh clone has nothing beside it: no test, script or config may read a path outside the
// repository (CI once had ../shared next to the checkout, and the suite quietly depended on it).
// This scans every tracked source and config file for paths that climb out of the repository root.

const ROOT = path.resolve(import.meta.dirname, "..");
const SCANNED = /\.(ts|tsx|mts|cts|js|mjs|cjs|sh)$|^package\.json$|^\.ci\/run$/;
/** Bases a path.join/resolve starts from: the file's folder, or the root the commands run in. */
const FILE_DIR = /^(__dirname|import\.meta\.dirname)$/;
const ROOT_DIR = /^(process\.cwd\(\)|root|ROOT)$/;

/** Folder depth below the root after walking `segments` from `depth`; negative once it escapes. */
function walk(depth: number, segments: string[]): number {
  for (const s of segments) {
    depth += s === ".." ? -1 : s === "." || s === "" ? 0 : 1;
    if (depth < 0) return depth;
  }
  return depth;
}

const literal = (arg: string) => /^(["'`])([^"'`$]*)\1$/.exec(arg.trim())?.[2];
/** Top-level comma-separated arguments of a call's argument text. */
function args(text: string): string[] {
  const out = [""];
  let depth = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    if (ch === ")" || ch === "]" || ch === "}") depth--;
    if (ch === "," && depth === 0) out.push("");
    else out[out.length - 1] += ch;
  }
  return out.map((a) => a.trim()).filter(Boolean);
}

/** Each place in `text` (the content of repository file `file`) that reaches outside the root. */
export function outsidePaths(file: string, text: string): string[] {
  const found: string[] = [];
  const fileDepth = file.split("/").length - 1;
  const lineOf = (index: number) => text.slice(0, index).split("\n").length;
  // path.join(base, "..", "shared") and path.resolve(base, "../x"), from a known base.
  for (const m of text.matchAll(/path\.(?:join|resolve)\(((?:[^()]|\((?:[^()]|\([^()]*\))*\))*)\)/g)) {
    const [base, ...rest] = args(m[1]!);
    const start = FILE_DIR.test(base ?? "") ? fileDepth : ROOT_DIR.test(base ?? "") ? 0 : null;
    if (start === null) continue;
    const segments = rest.flatMap((a) => literal(a)?.split("/") ?? []);
    if (walk(start, segments) < 0) found.push(`${file}:${lineOf(m.index)}: ${m[0]}`);
  }
  // A relative literal ("../x", new URL("../x", import.meta.url)) read from the file's own folder;
  // module specifiers are the bundler's business, not file reads.
  for (const m of text.matchAll(/(?<!(?:from|import|require|mock)\(?\s*)(["'`])(\.\.(?:\/[^"'`$\s]*)?)\1/g)) {
    if (walk(fileDepth, m[2]!.split("/")) < 0) found.push(`${file}:${lineOf(m.index)}: ${m[0]}`);
  }
  // Shell words and package.json scripts run from the root: `cat ../shared/x`, `--data=../y`.
  if (!/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(file)) {
    for (const m of text.matchAll(/(?<=^|[\s=:"'(])\.\.\/[^\s"';)]*/gm)) {
      if (walk(0, m[0].split("/")) < 0) found.push(`${file}:${lineOf(m.index)}: ${m[0]}`);
    }
  }
  // The sibling folder this rule was written for, however the path is built.
  for (const m of text.matchAll(/\.\.\/shared\b|["']\.\.["'],\s*["']shared["']/g)) {
    found.push(`${file}:${lineOf(m.index)}: ${m[0]}`);
  }
  // One finding per line, however many rules saw it.
  return found.filter((f, i) => found.findIndex((g) => g.split(": ")[0] === f.split(": ")[0]) === i);
}

describe("no test, script or config reads outside the repository", () => {
  it("finds no path escaping the root in any tracked file", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
      .split("\0")
      .filter(
        (f) => SCANNED.test(f) && f !== "test/outside-paths.test.ts" && fs.existsSync(path.join(ROOT, f)),
      );
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => outsidePaths(f, fs.readFileSync(path.join(ROOT, f), "utf8")));
    expect(found).toEqual([]);
  });

  it("catches the ways a path climbs out", () => {
    const cases: [string, string][] = [
      [
        "e2e/article.spec.ts",
        'fs.readFileSync(path.join(process.cwd(), "..", "shared", "data", "seed-article.txt"), "utf8")',
      ],
      ["db/seed.test.ts", 'path.resolve(__dirname, "../../data/real-deals.json")'],
      ["lib/x.test.ts", 'path.resolve(import.meta.dirname, "..", "..", "other")'],
      ["server/x.test.ts", 'fs.readFileSync(new URL("../../outside.html", import.meta.url))'],
      ["package.json", '{ "scripts": { "seed": "tsx seed.ts --file ../data/x.json" } }'],
      [".ci/run", "cp ../shared/data/seed-article.txt test/fixtures/"],
      ["vitest.config.mts", "const fixtures = `${root}/../shared`;"],
    ];
    for (const [file, text] of cases) expect(outsidePaths(file, text), `${file}: ${text}`).toHaveLength(1);
  });

  it("lets paths inside the repository be", () => {
    const cases: [string, string][] = [
      ["e2e/article.spec.ts", 'path.join(process.cwd(), "test", "fixtures", "seed-article.txt")'],
      ["lib/extract/x.test.ts", 'const root = path.resolve(import.meta.dirname, "../..");'],
      ["server/x.test.ts", 'new URL("../test/fixtures/a.html", import.meta.url)'],
      ["scripts/x.ts", 'fs.existsSync(path.join(__dirname, "..", ".next", "BUILD_ID"))'],
      ["db/x.ts", 'import { a } from "../lib/a";\nvi.mock("../server/b");'],
      [".ci/run", 'cd "$(dirname "$0")/.."'],
    ];
    for (const [file, text] of cases) expect(outsidePaths(file, text), `${file}: ${text}`).toEqual([]);
  });
});
