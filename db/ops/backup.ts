import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createPrivateFile } from "../core/private-file";

// Online backups with SQLite's backup API, and restoring one. Used by `npm run db:backup` and
// `npm run db:restore` (scripts/), outside the server: nothing here needs the app's connection.
// PostgreSQL has its own tools for this (pg_dump / pg_restore): the scripts point to them.

/** The file a running server writes beside its database (scripts/serve.mjs). */
export const serverPidFile = (databaseFile: string) => `${path.resolve(databaseFile)}-server.pid`;

/** The pid of a live server that has `databaseFile` open, or null. */
export function runningServer(databaseFile: string): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(serverPidFile(databaseFile), "utf8").trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null; // ESRCH: a stale file
  }
}

export type CheckResult = { ok: boolean; problems: string[] };

/** integrity_check, foreign_key_check and "is this an Atlas database" on a file, read-only. */
export function checkDatabase(file: string): CheckResult {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems: string[] = [];
    const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
    if (integrity[0]?.integrity_check !== "ok") problems.push(...integrity.map((r) => r.integrity_check));
    const foreign = db.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
    for (const f of foreign.slice(0, 20))
      problems.push(`${f.table} row ${f.rowid} points to a missing ${f.parent}`);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    for (const table of ["deals", "__drizzle_migrations"]) {
      if (!tables.includes(table)) problems.push(`no ${table} table: not a Partnership Atlas database`);
    }
    return { ok: problems.length === 0, problems };
  } finally {
    db.close();
  }
}

/**
 * Copies the live database to `target` while the app keeps running. All pages are copied in one
 * step, i.e. one read transaction: a consistent snapshot that writers (WAL) do not wait for and
 * cannot force to restart. The copy is written beside the target and renamed into place once it
 * passed its checks, so a failed backup never leaves a file that looks complete.
 */
export async function backupDatabase(source: string, target: string) {
  const started = performance.now();
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  createPrivateFile(partial);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // A single self-contained file: no -wal beside it to forget.
  const copy = new Database(partial);
  copy.pragma("journal_mode = DELETE");
  copy.close();
  const check = checkDatabase(partial);
  if (!check.ok) {
    fs.rmSync(partial, { force: true });
    throw new Error(`The copy failed its checks: ${check.problems.join("; ")}`);
  }
  fs.renameSync(partial, target);
  return { bytes: fs.statSync(target).size, ms: performance.now() - started };
}

export class RestoreRefused extends Error {}

/**
 * Puts a backup back as the database at `target`: checks the backup first, refuses while a server
 * has the database open (unless `force`), keeps a copy of what it replaces, then copies the backup
 * in through the backup API (which also works under a live connection, with `force`).
 */
export async function restoreDatabase(backup: string, target: string, options: { force?: boolean } = {}) {
  if (!fs.existsSync(backup)) throw new RestoreRefused(`There is no file ${backup}`);
  const check = checkDatabase(backup);
  if (!check.ok) throw new RestoreRefused(`${backup} is not a sound backup: ${check.problems.join("; ")}`);
  const pid = runningServer(target);
  if (pid && !options.force) {
    throw new RestoreRefused(
      `A server (pid ${pid}) is using ${target}. Stop it first, or pass --force to restore under it.`,
    );
  }
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await backupDatabase(target, previous);
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  createPrivateFile(target);
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  const restored = new Database(target);
  restored.pragma("journal_mode = WAL");
  restored.close();
  const after = checkDatabase(target);
  if (!after.ok) throw new Error(`The restored database failed its checks: ${after.problems.join("; ")}`);
  return { previous };
}

/**
 * What to run instead on PostgreSQL: pg_dump / pg_restore with the custom format, against the
 * database DATABASE_URL names (the URL is referred to, not printed, so its password stays out of
 * the terminal and the shell history).
 */
export function postgresInstead(action: "backup" | "restore", file: string, url: string): string {
  const { hostname, port, pathname } = new URL(url);
  const where = `${pathname.slice(1) || "postgres"} on ${hostname}${port ? `:${port}` : ""}`;
  const command =
    action === "backup"
      ? `pg_dump --format=custom --file=${JSON.stringify(file)} "$DATABASE_URL"`
      : `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${JSON.stringify(file)}`;
  return [
    `DATABASE_URL points to PostgreSQL (${where}): npm run db:${action} works on SQLite files only.`,
    `PostgreSQL is ${action === "backup" ? "backed up with pg_dump" : "restored with pg_restore"}; with DATABASE_URL set as for the app, run:`,
    `  ${command}`,
  ].join("\n");
}
