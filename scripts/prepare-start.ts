import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { closeDb, getDb } from "@/db/index";
import { databasePath } from "@/db/connection";
import { ENGINE } from "@/db/engine";
import { migrateDatabase } from "@/db/migrate";
import { isEmpty, seedRealDeals } from "@/db/seed";
import { countUsers } from "@/db/auth";

// The first half of `npm start`: build when the sources are newer than the last build, migrate, and
// seed an empty database with the real demo deals. It then exits, and `npm start` replaces its shell
// with `node scripts/serve.mjs`, so no tsx process stays alive beside the server.

const root = process.cwd();
const buildId = path.join(root, ".next", "BUILD_ID");
const SOURCES = [
  "app",
  "components",
  "db",
  "lib",
  "server",
  "proxy.ts",
  "package.json",
  "next.config.ts",
  "tsconfig.json",
];

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

async function prepareDatabase() {
  const db = getDb();
  await migrateDatabase(db);
  if (await isEmpty(db)) {
    const seeded = await seedRealDeals(db);
    const where = ENGINE === "pg" ? "New PostgreSQL database" : `New database at ${databasePath()}`;
    console.log(`${where}: loaded ${seeded.deals} real demo deals.`);
  }
  const port = process.env.PORT || "3000";
  if ((await countUsers(db)) === 0) {
    console.log(`First run: open http://localhost:${port}/setup to create the owner account (an admin).`);
  }
  await closeDb();
}

prepareDatabase().catch((error) => {
  console.error(error);
  process.exit(1);
});
