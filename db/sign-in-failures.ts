import "server-only";
import { and, gt, inArray, lte, or, sql } from "drizzle-orm";
import { retryAfter, type Limit } from "@/lib/rate-limit";
import { isPg } from "./dialect";
import { getDb, type Db } from "./index";
import { signInFailures } from "./schema";

// Sign-in attempts counted in the database, so the limits hold across every app server on it. An
// attempt is recorded before the password is checked (and deleted again if it succeeds), and the
// count and the insert are one write: SQLite's writes are serial, and on PostgreSQL the write first
// takes a transaction-level advisory lock, so of many parallel attempts only as many as the limit
// allows get a row — and with it the right to check the password.

export type Bucket = Limit & { key: string };

export type Attempt = { ok: true; ids: number[] } | { ok: false; retryAfter: number };

// One lock for all buckets: the transaction is three short statements, sign-ins are rare, and one
// lock cannot deadlock with another attempt locking the same buckets in a different order.
// No view shows these rows: recording them leaves cached dashboards valid.
const BOOKKEEPING = { bookkeeping: true };

const LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('atlas:sign-in-failures'))`;

/**
 * Records an attempt in every bucket unless one of them is full; then nothing is recorded and the
 * answer is how many seconds to wait. Rows older than the longest window are pruned on the way.
 */
export async function recordSignInAttempt(buckets: Bucket[], db: Db = getDb()): Promise<Attempt> {
  const window = Math.max(...buckets.map((b) => b.windowMs));
  return db.write(async (tx) => {
    if (isPg) await tx.execute(LOCK);
    const now = Date.now();
    await tx.delete(signInFailures).where(lte(signInFailures.at, new Date(now - window)));
    const rows = await tx
      .select({ bucket: signInFailures.bucket, at: signInFailures.at })
      .from(signInFailures)
      .where(
        and(
          inArray(
            signInFailures.bucket,
            buckets.map((b) => b.key),
          ),
          gt(signInFailures.at, new Date(now - window)),
        ),
      );
    const wait = Math.max(
      ...buckets.map((b) =>
        retryAfter(
          rows.filter((r) => r.bucket === b.key).map((r) => r.at.getTime()),
          b,
          now,
        ),
      ),
    );
    if (wait > 0) return { ok: false, retryAfter: wait };
    const at = new Date(now);
    const inserted = await tx
      .insert(signInFailures)
      .values(buckets.map((b) => ({ bucket: b.key, at })))
      .returning({ id: signInFailures.id });
    return { ok: true, ids: inserted.map((r) => r.id) };
  }, BOOKKEEPING);
}

/** Takes back an attempt that turned out not to be a failure, and clears the buckets in `reset`. */
export async function forgiveSignInAttempt(ids: number[], reset: string[] = [], db: Db = getDb()) {
  await db.write(
    (tx) =>
      tx
        .delete(signInFailures)
        .where(
          reset.length
            ? or(inArray(signInFailures.id, ids), inArray(signInFailures.bucket, reset))
            : inArray(signInFailures.id, ids),
        ),
    BOOKKEEPING,
  );
}

/** For tests: forget all failures. */
export async function clearSignInFailures(db: Db = getDb()) {
  await db.write((tx) => tx.delete(signInFailures));
}
