import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzleSqlite, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { ENGINE, type Engine } from "./engine";
import * as pgSchema from "../schema/pg";
import * as sqliteSchema from "../schema/sqlite";
import { createPrivateFile } from "./private-file";

// The one place that knows how each engine is opened and how a transaction is run on it.
//
// The rest of the data layer sees one asynchronous API, typed as Drizzle's PostgreSQL builders
// (which have no synchronous `.all()/.get()/.run()`), and two handles:
//   - `Db` reads. It cannot write: the type has no insert/update/delete, and the connection behind
//     it refuses writes (SQLite `query_only`, PostgreSQL `default_transaction_read_only` or a
//     replica), so a write outside a transaction fails in the type checker and at run time.
//   - `Tx`, given only inside `db.write(async (tx) => …)`, reads and writes. Everything the callback
//     does through `tx` commits together or not at all, on both engines.
// On better-sqlite3 a Drizzle transaction must stay synchronous; here SQLite writes instead go to a
// dedicated writer connection, one `write` at a time (a queue), between BEGIN IMMEDIATE and COMMIT, so
// an awaited callback is as atomic as a synchronous one and readers, on their own connection, never
// see uncommitted rows. On PostgreSQL `write` is a node-postgres transaction on the primary.

export type Schema = typeof pgSchema;
type Full = NodePgDatabase<Schema>;

/** What every handle can do: read. */
export type Reader = Pick<Full, "select" | "selectDistinct" | "$with" | "execute" | "$count">;
/** Inside `write`: read and write, atomically. */
export type Tx = Reader & Pick<Full, "insert" | "update" | "delete">;

export interface Db extends Reader {
  readonly engine: Engine;
  /**
   * Runs `fn` in one transaction and commits when its promise resolves; a throw rolls everything
   * back. A `write` inside another (same handle, same async context) runs in a savepoint of the
   * outer transaction: it can fail on its own, and commits only with the outer one.
   */
  write<T>(fn: (tx: Tx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** The change counter every transaction that changed rows increments: caches compare it (db/stats/stats-cache.ts). */
  dataVersion(): Promise<number>;
  close(): Promise<void>;
  /** Engine internals, for migrations, backups, copies and tests only. */
  readonly internals: Internals;
}

export type WriteOptions = {
  /**
   * Bookkeeping no view shows (a token's last use, sign-in attempts): it does not move the change
   * counter, so cached dashboards stay valid, and with a replica it does not send the writer's
   * reads to the primary.
   */
  bookkeeping?: boolean;
};

export type Internals =
  | {
      engine: "sqlite";
      file: string;
      writer: Database.Database;
      reader: Database.Database;
      /** Runs `fn` in the write queue, between two writes (for another connection's writes). */
      serialize<T>(fn: () => Promise<T>): Promise<T>;
    }
  | {
      engine: "pg";
      url: string;
      primary: pg.Pool;
      reader: pg.Pool;
      replica?: pg.Pool;
      /** The pool this request's reads go to: the replica, unless it has not replayed the caller's last write. */
      readPool(): Promise<pg.Pool>;
    };

/** Rows changed by an update or delete without `returning()`, on either engine. */
export function affectedRows(result: unknown): number {
  const r = result as { rowCount?: number | null; changes?: number };
  return r.rowCount ?? r.changes ?? 0;
}

export function databasePath(): string {
  return process.env.DATABASE_PATH || path.join(/*turbopackIgnore: true*/ process.cwd(), "data", "atlas.db");
}

export function databaseUrl(): string | undefined {
  return ENGINE === "pg" ? process.env.DATABASE_URL : undefined;
}

const IN_TRANSACTION = Symbol("atlas transaction");

/** Whether a handle is a transaction's (reads on it share one connection, one at a time). */
export function isTransaction(db: Reader): boolean {
  return (db as { [IN_TRANSACTION]?: boolean })[IN_TRANSACTION] === true;
}

/**
 * The handle a `write` callback gets, valid only until its transaction ends: a `tx` kept in a
 * closure and used later would write outside any transaction (SQLite) or on a connection already
 * back in the pool (PostgreSQL), so it throws instead.
 */
function scoped(tx: Tx): { tx: Tx; end(): void } {
  let open = true;
  const proxy = new Proxy(tx, {
    get(target, key) {
      if (key === IN_TRANSACTION) return true;
      if (!open) throw new Error("This transaction has ended: start another with db.write()");
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { tx: proxy, end: () => (open = false) };
}

/**
 * Transactions of one handle, per async context: a `write` inside another joins it, in a savepoint,
 * so the inner one can still fail (or throw to undo a save that changed nothing) on its own while
 * the outer one goes on. Same SQL on both engines.
 */
function nesting() {
  const store = new AsyncLocalStorage<{ tx: Tx }>();
  let savepoints = 0;
  return {
    run<T>(tx: Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
      return store.run({ tx }, () => fn(tx));
    },
    /** Runs `fn` in a savepoint of the surrounding transaction, or returns undefined when there is none. */
    inner<T>(fn: (tx: Tx) => Promise<T>): Promise<T> | undefined {
      const outer = store.getStore();
      if (!outer) return undefined;
      const name = sql.raw(`atlas_${++savepoints}`);
      return (async () => {
        await outer.tx.execute(sql`SAVEPOINT ${name}`);
        try {
          const result = await fn(outer.tx);
          await outer.tx.execute(sql`RELEASE SAVEPOINT ${name}`);
          return result;
        } catch (error) {
          await outer.tx.execute(sql`ROLLBACK TO SAVEPOINT ${name}`);
          await outer.tx.execute(sql`RELEASE SAVEPOINT ${name}`);
          throw error;
        }
      })();
    },
  };
}

// The change counter moves only when the transaction changed rows (the webhook worker's idle
// checks, for one, write nothing), so cached answers stay valid as long as the data does.
const BUMP_IF_WRITTEN = sql`UPDATE data_changes SET version = version + 1
  WHERE id = 1 AND txid_current_if_assigned() IS NOT NULL`;

// ---------------------------------------------------------------------------------------------
// SQLite

/** Opens one better-sqlite3 connection with the pragmas every connection in this project relies on. */
export function openSqliteConnection(file: string, options: { readonly?: boolean } = {}): Database.Database {
  if (!options.readonly) {
    fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
    if (file !== ":memory:") createPrivateFile(file);
  }
  const conn = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  conn.pragma("busy_timeout = 5000");
  if (!options.readonly) {
    conn.pragma("journal_mode = WAL");
    conn.pragma("synchronous = FULL");
  }
  conn.pragma("foreign_keys = ON");
  return conn;
}

type SqliteDrizzle = BetterSQLite3Database<typeof sqliteSchema>;

/**
 * PostgreSQL's `execute` (rows + rowCount) on a better-sqlite3 Drizzle instance. Statements are kept
 * prepared by their text: Drizzle prepares one on every call, and compiling a count upkeep statement
 * (unions of joins, issue 26) cost up to a millisecond — about a third of saving a deal.
 */
function withExecute(d: SqliteDrizzle, conn: Database.Database) {
  const dialect = (d as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } })
    .dialect;
  const prepared = new Map<string, Database.Statement>();
  // Drizzle tells its logger of every query it runs; these run past it, so they tell it too (the
  // bench's bare-statement figures and tests that read plans listen there, whatever is cached).
  const session = (d as unknown as { session: { logger: { logQuery(q: string, p: unknown[]): void } } })
    .session;
  return Object.assign(d, {
    async execute(query: SQL) {
      const { sql: text, params } = dialect.sqlToQuery(query);
      session.logger.logQuery(text, params);
      let statement = prepared.get(text);
      if (!statement) {
        statement = conn.prepare(text);
        // Texts with values written in (ids of a save's key rows) never repeat: bounded, not LRU.
        if (prepared.size >= PREPARED_LIMIT) prepared.clear();
        prepared.set(text, statement);
      }
      if (statement.reader) {
        const rows = statement.all(...params) as Record<string, unknown>[];
        return { rows, rowCount: rows.length };
      }
      const result = statement.run(...params);
      return { rows: [], rowCount: result.changes };
    },
  });
}
const PREPARED_LIMIT = 500;

function openSqlite(file: string, options: { readonly?: boolean }): Db {
  const writer = openSqliteConnection(file, options);
  // Readers get their own connection, so a transaction waiting on an await is invisible to them.
  const reader = openSqliteConnection(file, { readonly: options.readonly });
  if (!options.readonly) reader.pragma("query_only = ON");
  const writerDb = withExecute(drizzleSqlite(writer, { schema: sqliteSchema }), writer);
  const readerDb = withExecute(drizzleSqlite(reader, { schema: sqliteSchema }), reader);
  // Prepared on first use: the database may not be migrated yet when it is opened.
  type Name = "begin" | "bump" | "commit" | "rollback" | "changes" | "version";
  let prepared: Record<Name, Database.Statement> | undefined;
  const statements = () =>
    (prepared ??= {
      begin: writer.prepare("BEGIN IMMEDIATE"),
      bump: writer.prepare("UPDATE data_changes SET version = version + 1 WHERE id = 1"),
      commit: writer.prepare("COMMIT"),
      rollback: writer.prepare("ROLLBACK"),
      changes: writer.prepare("SELECT total_changes()").pluck(),
      version: reader.prepare("SELECT version FROM data_changes WHERE id = 1"),
    });
  const transactions = nesting();

  // One write at a time on the writer connection, in order; also used by better-auth's own
  // connection (server/auth/principal.ts) so that it never waits on the file lock, which would
  // block the whole process.
  let queue: Promise<unknown> = Promise.resolve();
  function serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  }

  async function runWrite<T>(fn: (tx: Tx) => Promise<T>, options: WriteOptions): Promise<T> {
    const { tx, end } = scoped(writerDb as unknown as Tx);
    const s = statements();
    s.begin.run();
    try {
      const before = s.changes.get() as number;
      const result = await transactions.run(tx, fn);
      if (!options.bookkeeping && s.changes.get() !== before) s.bump.run();
      s.commit.run();
      return result;
    } catch (error) {
      if (writer.inTransaction) s.rollback.run();
      throw error;
    } finally {
      end();
    }
  }

  return Object.assign(readerDb as unknown as Reader, {
    engine: "sqlite" as const,
    write<T>(fn: (tx: Tx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
      return transactions.inner(fn) ?? serialize(() => runWrite(fn, options));
    },
    async dataVersion() {
      return (statements().version.get() as { version: number } | undefined)?.version ?? 0;
    },
    async close() {
      reader.close();
      writer.close();
    },
    internals: { engine: "sqlite" as const, file, writer, reader, serialize },
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

let parsersSet = false;
function setTypeParsers() {
  if (parsersSet) return;
  parsersSet = true;
  // Counts and sums come back as int8/numeric: numbers here (ids and counts stay far below 2^53).
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
  // Calendar dates stay "YYYY-MM-DD" strings, as in SQLite: no time zone ever touches them.
  pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
}

// Read-your-writes with a replica. The server (server/read-routing.ts) registers two hooks, kept on
// globalThis because Next.js may load this module more than once per process:
//  - after each committed write, `onWrite` receives the primary's WAL position (the server keeps it
//    in the writer's cookie);
//  - before each read, `mustSee` returns the position this request's reads must include (from that
//    cookie), and the read goes to the primary until the replica has replayed that far.
type Consistency = {
  onWrite?: (lsn: string) => void | Promise<void>;
  mustSee?: () => string | undefined | Promise<string | undefined>;
};
const consistency = ((globalThis as { atlasConsistency?: Consistency }).atlasConsistency ??= {});

export function setReadYourWrites(hooks: Consistency): void {
  Object.assign(consistency, hooks);
}

/**
 * A transaction is one connection, which runs one query at a time: node-postgres queues overlapping
 * ones itself but deprecates it (pg 9 will refuse). Reads inside a transaction may be started
 * together (`Promise.all`), so they are queued here, in order, for its duration.
 */
function queueQueries(client: pg.PoolClient): () => void {
  const query = client.query;
  let last: Promise<unknown> = Promise.resolve();
  client.query = ((...args: unknown[]) => {
    const run = () => (query as (...a: unknown[]) => Promise<unknown>).apply(client, args);
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  }) as typeof client.query;
  return () => {
    client.query = query;
  };
}

/** Errors that mean the server could not be reached at all, not that the query failed. */
function unreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P02", "57P03"].includes(code);
}

function openPg(url: string, readUrl: string | undefined): Db {
  setTypeParsers();
  const max = Number(process.env.DATABASE_POOL_SIZE) || 10;
  const primary = new pg.Pool({ connectionString: url, max, application_name: "atlas" });
  // Reads on the primary go through their own pool whose sessions refuse writes.
  const reader = new pg.Pool({
    connectionString: url,
    max,
    application_name: "atlas-read",
    options: "-c default_transaction_read_only=on",
  });
  const replica = readUrl
    ? new pg.Pool({ connectionString: readUrl, max, application_name: "atlas-replica" })
    : undefined;
  for (const pool of [primary, reader, replica]) pool?.on("error", () => undefined); // idle client lost: the pool replaces it

  // Positions the replica is known to have replayed (they only grow: one check per position).
  const replayed = new Set<string>();
  async function readPool(): Promise<pg.Pool> {
    const lsn = await consistency.mustSee?.();
    if (!replica || !lsn || replayed.has(lsn)) return replica ?? reader;
    const { rows } = await replica.query<{ ok: boolean }>(
      "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS ok",
      [lsn],
    );
    if (!rows[0]?.ok) return reader;
    if (replayed.size > 10_000) replayed.clear();
    replayed.add(lsn);
    return replica;
  }
  const routed = replica
    ? {
        async query(...args: unknown[]) {
          const pool = await readPool().catch(() => reader);
          const run = (p: pg.Pool) => (p.query as (...a: unknown[]) => Promise<unknown>)(...args);
          // A replica that cannot be reached (down, restarting, still starting up) is skipped.
          return pool === replica
            ? run(pool).catch((e) => (unreachable(e) ? run(reader) : Promise.reject(e)))
            : run(pool);
        },
      }
    : reader;
  const transactions = nesting();
  const primaryDb = drizzlePg(primary, { schema: pgSchema });
  const readerDb = drizzlePg(routed as pg.Pool, { schema: pgSchema });

  return Object.assign(readerDb as unknown as Reader, {
    engine: "pg" as const,
    write<T>(fn: (tx: Tx) => Promise<T>, options: WriteOptions = {}): Promise<T> {
      const inner = transactions.inner(fn);
      if (inner) return inner;
      // node-postgres: an awaited callback is a real transaction (unlike better-sqlite3's, above).
      return primaryDb
        .transaction(async (pgTx) => {
          const { tx, end } = scoped(pgTx as unknown as Tx);
          const restore = queueQueries(
            (pgTx as unknown as { session: { client: pg.PoolClient } }).session.client,
          );
          try {
            const result = await transactions.run(tx, fn);
            if (!options.bookkeeping) await pgTx.execute(BUMP_IF_WRITTEN);
            return result;
          } finally {
            end();
            restore();
          }
        })
        .then(async (result) => {
          if (replica && consistency.onWrite && !options.bookkeeping) {
            // The write has committed: a failure to pass its position on must not report it failed.
            try {
              const { rows } = await primary.query<{ lsn: string }>(
                "SELECT pg_current_wal_lsn()::text AS lsn",
              );
              await consistency.onWrite(rows[0]!.lsn);
            } catch (error) {
              console.error("Could not pass the write's WAL position on:", error);
            }
          }
          return result;
        });
    },
    async dataVersion() {
      const { rows } = await (routed as pg.Pool).query<{ version: number }>(
        "SELECT version FROM data_changes WHERE id = 1",
      );
      return rows[0]?.version ?? 0;
    },
    async close() {
      await Promise.all([primary.end(), reader.end(), replica?.end()]);
    },
    internals: { engine: "pg" as const, url, primary, reader, replica, readPool },
  });
}

/** Opens the database this process is configured for (or a given SQLite file / PostgreSQL URL). */
export function openDatabase(target?: string, options: { readonly?: boolean } = {}): Db {
  const url = target ?? (ENGINE === "pg" ? process.env.DATABASE_URL! : databasePath());
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return openPg(url, target ? undefined : process.env.DATABASE_READ_URL || undefined);
  }
  return openSqlite(url, options);
}
