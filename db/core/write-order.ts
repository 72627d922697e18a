import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "./connection";
import { isPg } from "./dialect";

/**
 * On PostgreSQL, transactions that change deals take turns from this call to their commit (SQLite's
 * write queue already runs one write at a time). Two reasons, one lock so they cannot deadlock
 * against each other:
 * - revision ids are drawn when a revision is inserted but become visible at commit: without turns
 *   one transaction could draw 10 and 11 commit first, and an inbox watermark taken in between would
 *   skip 10 for ever;
 * - the per-bucket counts (db/stats/stat-counts.ts) lock the rows they change until commit, a deal's old
 *   buckets first and its new ones after: two writers moving deals between the same buckets in
 *   opposite directions would each wait for the other.
 * It is re-entrant within a transaction.
 */
export async function takeDealWriteTurn(tx: Tx): Promise<void> {
  if (!isPg || hasTurn.has(tx)) return;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('atlas:revisions'))`);
  hasTurn.add(tx);
}

/** Transactions that hold their turn already: asking again would be one more round trip. */
const hasTurn = new WeakSet<Tx>();
