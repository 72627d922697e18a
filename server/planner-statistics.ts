import "server-only";
import { getDb } from "@/db/core/index";
import { refreshPlannerStatistics } from "@/db/core/planner-statistics";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import { startWorkerLoop } from "./worker-loop";

/**
 * Keeps SQLite's planner statistics current while the server runs (db/core/planner-statistics.ts):
 * an hourly pass costs nothing unless a table grew or shrank tenfold. A database this server cannot
 * write is left alone.
 */
export function startPlannerStatisticsWorker(intervalMs = 3_600_000): void {
  startWorkerLoop("Planner statistics", intervalMs, async () => {
    try {
      await refreshPlannerStatistics(getDb());
    } catch (error) {
      if (!unwritableDatabaseMessage(error)) throw error;
    }
  });
}
