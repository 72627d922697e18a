import "server-only";
import { type Db, openDatabase } from "./connection";

// One handle per process, opened on first use so `next build` never touches the database.
// The global survives Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { atlasDb?: Db; atlasDbReopen?: boolean };

export function getDb(): Db {
  if (globalForDb.atlasDbReopen && globalForDb.atlasDb) {
    // SQLite opens a file it may not write read-only, and stays so: a fresh connection sees a file
    // that became writable. The old one is closed a little later, as a request may still hold it.
    const old = globalForDb.atlasDb;
    globalForDb.atlasDb = undefined;
    globalForDb.atlasDbReopen = false;
    setTimeout(() => {
      old.close().catch(() => undefined); // still busy: the garbage collector closes it
    }, 30_000).unref();
  }
  globalForDb.atlasDb ??= openDatabase();
  return globalForDb.atlasDb;
}

/** After a write refused as read-only: the next getDb() opens a new connection. */
export function reopenDbOnNextUse(): void {
  globalForDb.atlasDbReopen = true;
}

/** Closes the process's connections (tests and CLI scripts). */
export async function closeDb(): Promise<void> {
  const db = globalForDb.atlasDb;
  globalForDb.atlasDb = undefined;
  globalForDb.atlasDbReopen = false;
  await db?.close();
}

export type { Db, Reader, Tx } from "./connection";
