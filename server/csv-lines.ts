import "server-only";
import type { Db } from "@/db/core/connection";
import { getDb } from "@/db/core/index";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import { csvLinesMissing, writeAllCsvLines } from "@/db/deals/csv-lines";
import { startWorkerLoop } from "./worker-loop";

/**
 * One pass of the background writer of the deals CSV's kept lines (db/deals/csv-lines.ts): writes
 * the lines that writes cleared. A database this server cannot write (a read-only file) is left alone
 * without a message every pass; how many lines it wrote.
 */
export async function csvLinePass(db: Db): Promise<number> {
  if (!(await csvLinesMissing(db))) return 0;
  try {
    return await writeAllCsvLines(db);
  } catch (error) {
    if (unwritableDatabaseMessage(error)) return 0;
    throw error;
  }
}

/** Starts the pass every few seconds (once per process); an export meanwhile formats those deals itself. */
export function startCsvLineWorker(intervalMs = 3000): void {
  startWorkerLoop("CSV line writer", intervalMs, () => csvLinePass(getDb()));
}
