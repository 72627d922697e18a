import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "@/scripts/pg/throwaway";

// `npm run db:copy` (issue 9): a database with the 54 real deals plus generated ones is copied
// SQLite → SQLite always, and SQLite → PostgreSQL → SQLite when a PostgreSQL is at hand
// (`npm run test:pg`). After each copy both sides answer the same /api/deals pages and the same
// CSV exports, ids included. Every step runs the app's own scripts in a child process, as a user would.

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-copy-"));
const adminUrl = process.env.TEST_PG_URL;
const pgDatabase = `atlas_copy_${process.pid}`;

function envFor(target: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TEST_PG_URL: "" };
  if (target.startsWith("postgres")) env.DATABASE_URL = target;
  else {
    env.DATABASE_URL = "";
    env.DATABASE_PATH = target;
  }
  return env;
}

function run(script: string, args: string[], target: string) {
  const result = spawnSync(tsx, ["--conditions=react-server", script, ...args], {
    cwd: root,
    env: envFor(target),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const views = (target: string) => {
  const out = run("test/fixtures/print-views.ts", [], target);
  expect(out.status, out.stderr).toBe(0);
  return JSON.parse(out.stdout) as {
    pages: Record<string, { total: number; items: { id: number }[] }>;
    exports: Record<string, string>;
  };
};
const copy = (from: string, to: string, ...extra: string[]) =>
  run("scripts/db-copy.ts", ["--from", from, "--to", to, ...extra], to);

const source = path.join(dir, "source.db");
let expected: ReturnType<typeof views>;

beforeAll(() => {
  const seeded = run("db/ops/seed-cli.ts", ["--demo", "400"], source);
  expect(seeded.status, seeded.stderr).toBe(0);
  const token = run("scripts/token-create.ts", ["--name", "copied", "--role", "editor"], source);
  expect(token.status, token.stderr).toBe(0);
  expected = views(source);
  // The views are worth comparing: real and generated deals, every filter finds something.
  expect(expected.pages[""]!.total).toBe(454);
  for (const [query, page] of Object.entries(expected.pages)) expect(page.total, query).toBeGreaterThan(0);
  expect(expected.exports.deals!.split("\n").length).toBeGreaterThan(454);
}, 120_000);

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
});

describe("db:reset", () => {
  it("replaces a SQLite file with a freshly seeded one, and makes one where there was none", () => {
    const file = path.join(dir, "reset.db");
    const deals = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM deals").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    for (let round = 0; round < 2; round++) {
      const reset = run("db/ops/seed-cli.ts", ["--reset", "--demo", "20"], file);
      expect(reset.status, reset.stderr).toBe(0);
      // The 54 real deals and 20 generated ones, not 40 after the second round.
      expect(deals()).toBe(74);
    }
  }, 60_000);
});

describe("db:copy", () => {
  it("copies SQLite to SQLite: same pages, same exports, same id sequences", () => {
    const target = path.join(dir, "copy.db");
    const copied = copy(source, target);
    expect(copied.status, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/Copied \d+ rows in \d+ tables \(454 deals/);
    expect(views(target)).toEqual(expected);
    const sequences = (file: string) => {
      const db = new Database(file, { readonly: true });
      const rows = db.prepare("SELECT name, seq FROM sqlite_sequence ORDER BY name").all();
      db.close();
      return rows;
    };
    expect(sequences(target)).toEqual(sequences(source));
  }, 120_000);

  it("refuses a target that holds data, and replaces it with --replace", () => {
    const target = path.join(dir, "copy.db");
    const refused = copy(source, target);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("The target already holds data");
    expect(refused.stderr).toContain("--replace");
    const replaced = copy(source, target, "--replace");
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(views(target).pages[""]!.total).toBe(454);
  }, 120_000);

  it("leaves out sessions, verification tokens and a stored session secret: a copy signs nobody in", () => {
    const withSessions = path.join(dir, "with-sessions.db");
    fs.copyFileSync(source, withSessions);
    const db = new Database(withSessions);
    const now = Math.floor(Date.now() / 1000);
    db.prepare(
      "INSERT INTO users (id, name, email, email_verified, role, created_at, updated_at) VALUES ('u-copy', 'Copied', 'copied@example.org', 1, 'admin', ?, ?)",
    ).run(now, now);
    db.prepare(
      "INSERT INTO sessions (id, token, user_id, expires_at, created_at, updated_at) VALUES ('s-copy', 'live-session-token', 'u-copy', ?, ?, ?)",
    ).run(now + 3600, now, now);
    db.prepare(
      "INSERT INTO verifications (id, identifier, value, expires_at, created_at, updated_at) VALUES ('v-copy', 'copied@example.org', 'reset-token', ?, ?, ?)",
    ).run(now + 3600, now, now);
    db.prepare("INSERT INTO app_settings (key, value) VALUES ('auth_secret', 'the-old-secret')").run();
    db.close();

    const target = path.join(dir, "no-sessions.db");
    const copied = copy(withSessions, target);
    expect(copied.status, copied.stderr).toBe(0);
    const out = new Database(target, { readonly: true });
    const count = (query: string) => (out.prepare(query).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM users WHERE id = 'u-copy'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM sessions")).toBe(0);
    expect(count("SELECT count(*) AS n FROM verifications")).toBe(0);
    expect(count("SELECT count(*) AS n FROM app_settings WHERE key = 'auth_secret'")).toBe(0);
    out.close();
  }, 120_000);

  it.skipIf(!adminUrl)(
    "copies SQLite to PostgreSQL and back: same pages, same exports",
    async () => {
      await adminQuery(adminUrl!, `CREATE DATABASE ${pgDatabase}`);
      const url = new URL(adminUrl!);
      url.pathname = `/${pgDatabase}`;
      const target = url.toString();
      const toPg = copy(source, target);
      expect(toPg.status, toPg.stderr).toBe(0);
      expect(views(target)).toEqual(expected);

      // Ids issued in the source are never issued again in the target.
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      const { rows } = await client.query("SELECT last_value::int AS last FROM deals_id_seq");
      await client.end();
      expect(rows[0].last).toBeGreaterThanOrEqual(454);

      const back = path.join(dir, "back.db");
      const toSqlite = copy(target, back);
      expect(toSqlite.status, toSqlite.stderr).toBe(0);
      expect(views(back)).toEqual(expected);
    },
    180_000,
  );
});
