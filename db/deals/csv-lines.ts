import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Reader, Tx } from "../core/connection";
import { inIds, isPg } from "../core/dialect";
import { takeDealWriteTurn } from "../core/write-order";
import { dealLine, dealRowsQuery, type DealRow } from "./export";

// Each deal's line of the deals CSV layout, kept ready in deal_cells.csv_line so a full export reads
// and sends one string per deal instead of formatting two dozen cells (about five times faster at
// 100,000 deals; docs/performance.md). A write never waits for it: whatever rewrites a deal's cells
// (db/deals/deal-writes.ts refreshDealCells), its row, or what its cells show of a company clears
// the line, and a background pass (server/csv-lines.ts) writes it again. An export formats every deal
// without a line itself, so a line not yet written again costs time, never a wrong cell; a write that
// changed a deal and left its line would be a wrong cell, which test/csv-lines.test.ts looks for after
// every kind of write.

/** Deals per pass: a short write (tens of milliseconds) that a save may wait behind. */
const BATCH = 1000;

/** Clears the kept lines of the deal_cells rows matching `condition` (on deal_cells' columns). */
export async function clearCsvLines(tx: Tx, condition: SQL): Promise<void> {
  await tx.execute(sql`UPDATE deal_cells SET csv_line = NULL WHERE ${condition}`);
}

/** Clears the kept lines of every deal these companies are parties to (a new country or sector). */
export async function clearCompanyCsvLines(tx: Tx, companyIds: number[]): Promise<void> {
  if (!companyIds.length) return;
  // The ids as one parameter: the reference migration may change more companies than a statement binds.
  await clearCsvLines(
    tx,
    sql`deal_id IN (SELECT deal_id FROM deal_parties WHERE ${inIds(sql`company_id`, companyIds)})`,
  );
}

/**
 * Writes the lines of up to `limit` live deals that have none; how many it wrote. Runs in the deal
 * writers' turn, so no save changes a deal between the read of its row and the write of its line.
 */
export async function writeCsvLines(tx: Tx, limit = BATCH): Promise<number> {
  await takeDealWriteTurn(tx);
  const query = dealRowsQuery(
    isPg ? "pg" : "sqlite",
    sql`cells.csv_line IS NULL AND "deals"."deleted_at" IS NULL`,
    "-updatedAt",
    { limit, named: true, unordered: true },
  );
  const { rows } = await tx.execute<Record<string, unknown>>(query);
  if (!rows.length) return 0;
  const lines = JSON.stringify(
    rows.map((row) => {
      const d = Object.values(row) as DealRow;
      return [d[0], dealLine(d)];
    }),
  );
  // One statement per batch: the lines as one JSON parameter (as db/core/dialect.ts insertJsonRows).
  await tx.execute(
    isPg
      ? sql`UPDATE deal_cells SET csv_line = e.r ->> 1 FROM jsonb_array_elements(${lines}::jsonb) AS e(r)
          WHERE deal_cells.deal_id = (e.r ->> 0)::int`
      : sql`UPDATE deal_cells SET csv_line = j.value ->> 1 FROM json_each(${lines}) AS j
          WHERE deal_cells.deal_id = j.value ->> 0`,
  );
  return rows.length;
}

/**
 * Writes every missing line, a batch per write so saves take their turns in between. Bookkeeping: a
 * kept line changes no answer (an export formats a deal without one itself), so the pass leaves every
 * cached dashboard valid instead of making the next one recompute a few seconds after each save.
 */
export async function writeAllCsvLines(db: Db, options: { batch?: number } = {}): Promise<number> {
  let written = 0;
  for (;;) {
    const n = await db.write((tx) => writeCsvLines(tx, options.batch), { bookkeeping: true });
    written += n;
    if (n < (options.batch ?? BATCH)) return written;
  }
}

/** Whether a live deal has no kept line (one read of the partial index). */
export async function csvLinesMissing(db: Reader): Promise<boolean> {
  const { rows } = await db.execute<{ one: number }>(
    sql`SELECT 1 AS one FROM deal_cells c JOIN deals d ON d.id = c.deal_id
      WHERE c.csv_line IS NULL AND d.deleted_at IS NULL LIMIT 1`,
  );
  return rows.length > 0;
}
