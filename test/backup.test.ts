import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backupDatabase,
  checkDatabase,
  restoreDatabase,
  RestoreRefused,
  serverPidFile,
} from "@/db/ops/backup";
import { openSqliteConnection } from "@/db/core/connection";
import { isPg } from "@/db/core/dialect";
import { createDeal } from "@/db/deals/deal-writes";
import { dealFixture, testDb } from "./db";

// Online backup while another process writes, then restore into a fresh path: the copy must be a
// consistent snapshot (every deal whole: parties, revision, search and CSV rows), not a torn file.

const source = process.env.DATABASE_PATH!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function wholeDeals(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      deals: count("SELECT count(*) AS n FROM deals"),
      // Each of these is 0 when no transaction was cut in half.
      withoutParties: count(
        "SELECT count(*) AS n FROM deals d WHERE (SELECT count(*) FROM deal_parties WHERE deal_id = d.id) < 2",
      ),
      withoutRevision: count(
        "SELECT count(*) AS n FROM deals d WHERE NOT EXISTS (SELECT 1 FROM revisions WHERE deal_id = d.id)",
      ),
      withoutCells: count(
        "SELECT count(*) AS n FROM deals d WHERE NOT EXISTS (SELECT 1 FROM deal_cells WHERE deal_id = d.id)",
      ),
      withoutSearch: count(
        "SELECT count(*) AS n FROM deals d WHERE NOT EXISTS (SELECT 1 FROM deal_search WHERE rowid = d.id)",
      ),
    };
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  if (isPg) return;
  testDb();
  for (let i = 0; i < 100; i++)
    await createDeal(dealFixture({ summary: "y".repeat(2000) }), { actor: "test" });
});

describe.runIf(isPg)("db:backup and db:restore on PostgreSQL", () => {
  const run = (script: string, ...args: string[]) =>
    spawnSync(
      process.execPath,
      [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", script, ...args],
      { env: process.env, encoding: "utf8" },
    );

  it("point to pg_dump and pg_restore with the exact command, and exit 1", () => {
    const backup = run("scripts/db-backup.ts", "--to", "backups/atlas.dump");
    expect(backup.status).toBe(1);
    expect(backup.stderr).toContain('pg_dump --format=custom --file="backups/atlas.dump" "$DATABASE_URL"');
    const restore = run("scripts/db-restore.ts", "backups/atlas.dump");
    expect(restore.status).toBe(1);
    expect(restore.stderr).toContain(
      'pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" "backups/atlas.dump"',
    );
  });
});

describe.skipIf(isPg)("db:backup and db:restore", () => {
  it("backs up during concurrent writes from another process; the restored copy is consistent", async () => {
    const writer = spawn(
      process.execPath,
      [
        path.resolve("node_modules/tsx/dist/cli.mjs"),
        "--conditions=react-server",
        "test/write-deals-child.ts",
        "2500",
      ],
      { env: process.env, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    writer.stdout.on("data", (chunk) => (output += chunk));
    const exited = new Promise((resolve) => writer.on("exit", resolve));
    // Wait until the writer is writing, then take backups while it goes on.
    const start = wholeDeals(source).deals;
    while (wholeDeals(source).deals === start) await new Promise((r) => setTimeout(r, 50));
    const backups: string[] = [];
    for (let i = 0; i < 3; i++) {
      const file = path.join(dir, `backup-${i}.db`);
      await backupDatabase(source, file);
      backups.push(file);
    }
    expect(await exited).toBe(0);
    expect(Number(output)).toBeGreaterThan(0);
    const final = wholeDeals(source).deals;

    let previous = start;
    for (const backup of backups) {
      const restored = path.join(fs.mkdtempSync(path.join(dir, "restore-")), "atlas.db");
      await restoreDatabase(backup, restored);
      expect(checkDatabase(restored)).toEqual({ ok: true, problems: [] });
      const counts = wholeDeals(restored);
      expect(counts).toMatchObject({
        withoutParties: 0,
        withoutRevision: 0,
        withoutCells: 0,
        withoutSearch: 0,
      });
      expect(counts.deals).toBeGreaterThanOrEqual(previous);
      expect(counts.deals).toBeLessThanOrEqual(final);
      previous = counts.deals;
    }
    // At least one copy caught the writer mid-way.
    expect(previous).toBeGreaterThan(start);
    expect(previous).toBeLessThanOrEqual(final);
  }, 30_000);

  it("refuses to restore while a server uses the database, unless forced, and refuses a bad file", async () => {
    const backup = path.join(dir, "refuse.db");
    await backupDatabase(source, backup);
    const target = path.join(fs.mkdtempSync(path.join(dir, "live-")), "atlas.db");
    await restoreDatabase(backup, target);
    fs.writeFileSync(serverPidFile(target), String(process.pid)); // "a server" that is alive: us
    await expect(restoreDatabase(backup, target)).rejects.toThrow(RestoreRefused);
    const forced = await restoreDatabase(backup, target, { force: true });
    expect(forced.previous && fs.existsSync(forced.previous)).toBe(true);
    // A pid file left by a server that died is no obstacle.
    fs.writeFileSync(serverPidFile(target), "2147483646");
    await restoreDatabase(backup, target);

    const garbage = path.join(dir, "garbage.db");
    fs.writeFileSync(garbage, Buffer.alloc(8192, 7));
    await expect(restoreDatabase(garbage, target)).rejects.toThrow();
    const torn = path.join(dir, "torn.db");
    fs.writeFileSync(torn, fs.readFileSync(backup).subarray(0, 4096 * 3));
    await expect(restoreDatabase(torn, target)).rejects.toThrow();
    expect(checkDatabase(target).ok).toBe(true);
  });

  it("creates the database file, its -wal and -shm, backups and restored files readable by the owner only", async () => {
    // The usual umask (022) would leave them world-readable: the modes must not depend on it.
    const umask = process.umask(0o022);
    try {
      const fresh = path.join(fs.mkdtempSync(path.join(dir, "fresh-")), "atlas.db");
      const conn = openSqliteConnection(fresh);
      conn.exec("CREATE TABLE t (x INTEGER)");
      conn.prepare("INSERT INTO t VALUES (1)").run();
      const modes = [fresh, `${fresh}-wal`, `${fresh}-shm`].map((f) => fs.statSync(f).mode & 0o777);
      conn.close();
      expect(modes).toEqual([0o600, 0o600, 0o600]);

      const backup = path.join(dir, "private.db");
      await backupDatabase(source, backup);
      expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
      const restored = path.join(fs.mkdtempSync(path.join(dir, "restored-")), "atlas.db");
      await restoreDatabase(backup, restored);
      expect(fs.statSync(restored).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(umask);
    }
  });
});
