import "server-only";
import { SqliteError } from "better-sqlite3";
import { reopenDbOnNextUse } from "./index";

// A write that fails because of the disk — read-only file, full disk, I/O error, a file that cannot
// be opened for writing — is not the client's fault and not a bug: it is answered 503 with the
// reason, reads go on working, and writes work again as soon as the disk does.

const REASONS: [prefix: string, reason: string][] = [
  ["SQLITE_READONLY", "the database file is read-only"],
  ["SQLITE_FULL", "the disk is full"],
  ["SQLITE_IOERR", "the disk reported an input/output error"],
  ["SQLITE_CANTOPEN", "the database file cannot be opened for writing"],
  // A large import holds the write lock in steps (db/deals/import.ts); other writes are refused at once.
  ["SQLITE_BUSY", "another write (a large import) is in progress"],
];

// PostgreSQL's equivalents, by SQLSTATE: a read-only transaction (a standby after failover, or
// default_transaction_read_only) and a full disk.
const PG_REASONS: Record<string, string> = {
  "25006": "the database is read-only",
  "53100": "the disk is full",
};

/**
 * "The database cannot be written: …" when `error` (or its cause, as libraries wrap it) is such a
 * failure, else null. A connection that turned out read-only is reopened on the next use, so a
 * server that started on a read-only file writes again once the file is writable.
 */
export function unwritableDatabaseMessage(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const sqlstate = pgCode(e);
    if (sqlstate && PG_REASONS[sqlstate]) {
      return `The database cannot be written: ${PG_REASONS[sqlstate]} (SQLSTATE ${sqlstate}). Reading still works; try again once the database accepts writes.`;
    }
    const code = e instanceof SqliteError ? e.code : undefined;
    const match = code && REASONS.find(([prefix]) => code.startsWith(prefix));
    if (!match) continue;
    if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN")) reopenDbOnNextUse();
    const retry = code.startsWith("SQLITE_BUSY")
      ? "try again in a moment"
      : "try again once the disk is fixed";
    return `The database cannot be written: ${match[1]} (${code}). Reading still works; ${retry}.`;
  }
  return null;
}

/** The SQLSTATE of a node-postgres error (a DatabaseError has a five-character `code`), else undefined. */
function pgCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === "string"
    ? e.code
    : undefined;
}
