import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { SQL } from "drizzle-orm";
import type { Db, Tx } from "@/db/core/connection";

// npm run bench:generation [-- --deals N] [-- --engine pg] [-- --pragma cache_size=-524288 ...]
// Where generation's time goes (issue 26: a million deals < 3 min): generates N deals as the bench
// does, then writes the export's kept lines and runs ANALYZE, timing every statement the data layer
// sends, summed per phase (the table a statement writes, or what it does), wall and this process's
// CPU time. On SQLite the process's CPU is the engine's; on PostgreSQL the server's is not in it.
// `--pragma` sets a pragma on the SQLite writer first (an experiment; the bench sets none).

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
};
const N = Number(option("--deals", "100000"));
const usePg = option("--engine", "sqlite") === "pg";

type Phase = { wall: number; cpu: number; statements: number };
const phases = new Map<string, Phase>();
const textOf = (() => {
  const dialect = new SQLiteSyncDialect();
  return (query: SQL) => dialect.sqlToQuery(query).sql;
})();

/** A statement's phase: what it writes (INSERT INTO x / UPDATE x / CREATE ... x), or its first words. */
function phaseOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const write =
    /^(?:WITH .*? )?(INSERT INTO|UPDATE|DELETE FROM|CREATE (?:TEMP )?TABLE|CREATE (?:UNIQUE )?INDEX \S+ ON) "?(\w+)"?/i.exec(
      flat,
    );
  if (write) return `${write[1]!.split(" ")[0]!.toLowerCase()} ${write[2]}`;
  return flat.slice(0, 40);
}

async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  try {
    return await fn();
  } finally {
    const used = process.cpuUsage(cpu);
    const phase = phases.get(name) ?? { wall: 0, cpu: 0, statements: 0 };
    phase.wall += performance.now() - wall;
    phase.cpu += (used.user + used.system) / 1000;
    phase.statements++;
    phases.set(name, phase);
  }
}

/** `db` whose writes time each statement under its phase (`prefix` + phaseOf). */
function timing(db: Db, prefix: string): Db {
  const wrap = (tx: Tx): Tx =>
    new Proxy(tx, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key !== "execute" || typeof value !== "function") return value;
        return (query: SQL) => timed(prefix + phaseOf(textOf(query)), () => value.call(target, query));
      },
    });
  return new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key !== "write" || typeof value !== "function") return value;
      return (fn: (tx: Tx) => Promise<unknown>, options?: unknown) =>
        value.call(target, (tx: Tx) => fn(wrap(tx)), options);
    },
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atlas-generation-"));
  let stopPg: (() => Promise<void>) | undefined;
  try {
    if (usePg) {
      const { adminQuery, startThrowawayPostgres } = await import("@/scripts/pg/throwaway");
      const server = await startThrowawayPostgres();
      stopPg = server.stop;
      await adminQuery(server.url, "CREATE DATABASE atlas_generation");
      process.env.DATABASE_URL = server.urlFor("atlas_generation");
    } else {
      delete process.env.DATABASE_URL;
      process.env.DATABASE_PATH = path.join(dir, "generation.db");
    }
    const { openDatabase } = await import("@/db/core/connection");
    const { migrateDatabase } = await import("@/db/core/migrate");
    const { generateDemoDeals } = await import("@/db/ops/seed");
    const { writeAllCsvLines } = await import("@/db/deals/csv-lines");
    const db = openDatabase();
    await migrateDatabase(db);
    for (const pragma of args.flatMap((a, i) => (args[i - 1] === "--pragma" ? [a] : [])))
      if (db.internals.engine === "sqlite") db.internals.writer.pragma(pragma);
    const total = { wall: performance.now(), cpu: process.cpuUsage() };
    const generation = await timed("(generateDemoDeals)", () => generateDemoDeals(timing(db, ""), N));
    await timed("(kept CSV lines)", () => writeAllCsvLines(timing(db, "csv: "), { batch: 5000 }));
    await timed("(ANALYZE)", async () => {
      const internals = db.internals;
      if (internals.engine === "pg") await internals.primary.query("ANALYZE");
      else internals.writer.exec("ANALYZE");
    });
    const cpu = process.cpuUsage(total.cpu);
    const wall = performance.now() - total.wall;
    await db.close();

    const rows = [...phases].sort((a, b) => b[1].wall - a[1].wall);
    const statementsWall = rows.filter(([k]) => !k.startsWith("(")).reduce((s, [, p]) => s + p.wall, 0);
    console.log(
      `${usePg ? "PostgreSQL" : "SQLite"} · ${generation.deals.toLocaleString("en")} deals · ` +
        `${os.cpus().length} cores · load average ${os.loadavg()[0]!.toFixed(1)}`,
    );
    console.log(`${"phase".padEnd(46)} ${"wall s".padStart(8)} ${"cpu s".padStart(8)} statements`);
    for (const [name, p] of rows)
      console.log(
        `${name.padEnd(46)} ${(p.wall / 1000).toFixed(2).padStart(8)} ${(p.cpu / 1000).toFixed(2).padStart(8)} ${p.statements}`,
      );
    console.log(
      `total ${(wall / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU; ` +
        `statements ${(statementsWall / 1000).toFixed(1)} s (the rest: drawing the rows in JavaScript)`,
    );
  } finally {
    await stopPg?.();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
