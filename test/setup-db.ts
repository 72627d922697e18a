import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { withDatabase } from "./global-setup";

// Each test file gets its own fresh, migrated database (a copy of the run's template, see
// test/global-setup.ts), so files can run in parallel and no test sees another file's rows.

const adminUrl = process.env.TEST_PG_URL;
let cleanup: () => Promise<void>;

if (adminUrl) {
  const { adminQuery } = await import("@/scripts/pg/throwaway");
  const name = `atlas_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name} TEMPLATE atlas_template`);
  process.env.DATABASE_URL = withDatabase(adminUrl, name);
  // PostgreSQL requires the session secret from the environment (server/auth/secret.ts).
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
  cleanup = () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-test-"));
  process.env.DATABASE_PATH = path.join(dir, "atlas.db");
  fs.copyFileSync(process.env.TEST_SQLITE_TEMPLATE!, process.env.DATABASE_PATH);
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
}

afterAll(async () => {
  const { closeDb } = await import("@/db/core/index");
  await closeDb();
  await cleanup();
});
