import { spawnSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeDb, getDb } from "@/db/index";
import { databasePath } from "@/db/connection";
import { migrateDatabase } from "@/db/migrate";
import { isEmpty, seedRealDeals } from "@/db/seed";
import { countUsers } from "@/db/auth";

// `npm start`: build when the sources are newer than the last build, migrate, seed an empty
// database with the real demo deals, then serve on PORT (default 3000).

const root = process.cwd();
const buildId = path.join(root, ".next", "BUILD_ID");
const SOURCES = ["app", "components", "db", "lib", "package.json", "next.config.ts", "tsconfig.json"];

function newestMtime(target: string): number {
  const full = path.join(root, target);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(full).map((name) => newestMtime(path.join(target, name))));
}

const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
if (process.env.SKIP_BUILD !== "1" && Math.max(...SOURCES.map(newestMtime)) > builtAt) {
  console.log(builtAt ? "Sources changed since the last build: rebuilding…" : "No build yet: building…");
  const result = spawnSync(process.execPath, [next, "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const db = getDb();
migrateDatabase(db);
if (isEmpty(db)) {
  const seeded = seedRealDeals(db);
  console.log(`New database at ${databasePath()}: loaded ${seeded.deals} real demo deals.`);
}
const port = process.env.PORT || "3000";
if (countUsers(db) === 0) {
  console.log(`First run: open http://localhost:${port}/setup to create the owner account (an admin).`);
}
closeDb();

// The preload records each request's socket address and TLS for the rate limit and HSTS.
const preload = pathToFileURL(path.join(root, "scripts", "peer-address.mjs")).href;
const server = spawn(process.execPath, ["--import", preload, next, "start", "-p", port], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
