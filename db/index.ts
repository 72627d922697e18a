import "server-only";
import { type Db, openDatabase } from "./connection";

// One connection per process, opened on first use so `next build` never touches the file.
// The global survives Next's dev-mode module reloads.
const globalForDb = globalThis as unknown as { atlasDb?: Db };

export function getDb(): Db {
  globalForDb.atlasDb ??= openDatabase();
  return globalForDb.atlasDb;
}

/** Closes the process's connection (tests and CLI scripts). */
export function closeDb(): void {
  globalForDb.atlasDb?.$client.close();
  globalForDb.atlasDb = undefined;
}

export type { Db };
