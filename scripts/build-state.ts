import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// Whether `.next` was built from the sources as they are now, and building when not: `npm start`
// and the bench's HTTP half must never serve an older build of the code they describe.

const SOURCES = [
  "app",
  "components",
  "db",
  "lib",
  "server",
  "proxy.ts",
  "instrumentation.ts",
  "package.json",
  "next.config.ts",
  "tsconfig.json",
];

function newestMtime(root: string, target: string): number {
  const full = path.join(root, target);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...fs.readdirSync(full).map((name) => newestMtime(root, path.join(target, name))),
  );
}

/** Builds the app (`next build`) when there is no build or a source is newer; false if the build failed. */
export function buildIfStale(root = process.cwd()): boolean {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (process.env.SKIP_BUILD === "1" || Math.max(...SOURCES.map((s) => newestMtime(root, s))) <= builtAt)
    return true;
  console.log(builtAt ? "Sources changed since the last build: rebuilding…" : "No build yet: building…");
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  return spawnSync(process.execPath, [next, "build"], { stdio: "inherit" }).status === 0;
}
