import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Migrates one template database per run; each test file then starts from a copy of it
// (test/setup-db.ts): a fresh SQLite file, or with TEST_PG_URL (set by `npm run test:pg`) a fresh
// PostgreSQL database made with CREATE DATABASE … TEMPLATE.

export default async function setup() {
  const { openDatabase } = await import("@/db/core/connection");
  const { migrateDatabase } = await import("@/db/core/migrate");
  const adminUrl = process.env.TEST_PG_URL;
  if (adminUrl) {
    const { adminQuery } = await import("@/scripts/pg/throwaway");
    const url = withDatabase(adminUrl, "atlas_template");
    await adminQuery(adminUrl, "DROP DATABASE IF EXISTS atlas_template", "CREATE DATABASE atlas_template");
    const db = openDatabase(url);
    await migrateDatabase(db);
    await db.close();
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-template-"));
  const file = path.join(dir, "template.db");
  const db = openDatabase(file);
  await migrateDatabase(db);
  if (db.internals.engine === "sqlite") db.internals.writer.pragma("wal_checkpoint(TRUNCATE)");
  await db.close();
  process.env.TEST_SQLITE_TEMPLATE = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
