import "server-only";
import { and, eq, gt, inArray, lte, notLike, or, sql } from "drizzle-orm";
import { retryAfter, type Limit } from "@/lib/rate-limit";
import { isPg } from "../core/dialect";
import { getDb, type Db } from "../core/index";
import { signInFailures } from "../schema";

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

/** The longest a client's waits are remembered (Ceiling.windowMs must not exceed it). */
export const WAIT_WINDOW = 24 * 60 * 60_000;

const LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('atlas:sign-in-failures'))`;

/**
 * A limit that, once full, does not refuse outright but makes each client wait a delay that grows
 * with its own attempts: the per-account ceiling, which many clients together can fill. A client
 * that meets the full ceiling is told to wait `baseMs`, and is let through once it has; each attempt
 * it makes that way doubles its next wait (up to `maxMs`), for as long as `windowMs` remembers them.
 */
export type Ceiling = { bucket: Bucket; client: string; baseMs: number; maxMs: number; windowMs: number };

// A client's waits under a ceiling are remembered far longer than the one-minute buckets: they are
// pruned on their own window, so the busy buckets' rows do not pile up for as long.
const WAIT = "wait:";
const waitKey = (ceiling: Ceiling) => `${WAIT}${ceiling.bucket.key}\n${ceiling.client}`;

/**
 * Records an attempt in every bucket unless one of them is full; then nothing is recorded and the
 * answer is how many seconds to wait. A full `ceiling` instead lets the client through after its
 * growing delay (see Ceiling). Rows whose window has passed are pruned on the way.
 */
export async function recordSignInAttempt(
  buckets: Bucket[],
  ceiling?: Ceiling,
  db: Db = getDb(),
): Promise<Attempt> {
  const all = ceiling ? [...buckets, ceiling.bucket] : buckets;
  const window = Math.max(...all.map((b) => b.windowMs));
  const waiting = ceiling ? waitKey(ceiling) : null;
  return db.write(async (tx) => {
    if (isPg) await tx.execute(LOCK);
    const now = Date.now();
    const since = (ms: number) => new Date(now - ms);
    await tx
      .delete(signInFailures)
      .where(
        or(
          and(lte(signInFailures.at, since(window)), notLike(signInFailures.bucket, `${WAIT}%`)),
          lte(signInFailures.at, since(WAIT_WINDOW)),
        ),
      );
    const rows = await tx
      .select({ bucket: signInFailures.bucket, at: signInFailures.at })
      .from(signInFailures)
      .where(
        or(
          and(
            inArray(
              signInFailures.bucket,
              all.map((b) => b.key),
            ),
            gt(signInFailures.at, since(window)),
          ),
          waiting && ceiling
            ? and(eq(signInFailures.bucket, waiting), gt(signInFailures.at, since(ceiling.windowMs)))
            : undefined,
        ),
      );
    const times = (key: string) => rows.filter((r) => r.bucket === key).map((r) => r.at.getTime());
    const waitFor = (b: Bucket) => retryAfter(times(b.key), b, now);
    const wait = Math.max(...buckets.map(waitFor));
    if (wait > 0) return { ok: false, retryAfter: wait };
    const record = async (keys: string[]) => {
      const at = new Date(now);
      const inserted = await tx
        .insert(signInFailures)
        .values(keys.map((bucket) => ({ bucket, at })))
        .returning({ id: signInFailures.id });
      return inserted.map((r) => r.id);
    };
    const own = buckets.map((b) => b.key);
    if (!ceiling || !waiting || waitFor(ceiling.bucket) === 0)
      return { ok: true, ids: await record(all.map((b) => b.key)) };
    // The ceiling is full. The client's first meeting with it starts its wait; after that, each
    // attempt it is let through doubles the next wait.
    const waited = times(waiting);
    if (!waited.length) {
      await record([waiting]);
      return { ok: false, retryAfter: Math.ceil(ceiling.baseMs / 1000) };
    }
    const delay = Math.min(ceiling.baseMs * 2 ** (waited.length - 1), ceiling.maxMs);
    const due = Math.max(...waited) + delay;
    if (now < due) return { ok: false, retryAfter: Math.ceil((due - now) / 1000) };
    return { ok: true, ids: await record([...own, waiting]) };
  }, BOOKKEEPING);
}

/**
 * Takes back an attempt that turned out not to be a failure, and clears the buckets in `reset` and
 * the client's wait under `ceiling`.
 */
export async function forgiveSignInAttempt(
  ids: number[],
  reset: string[] = [],
  ceiling?: Ceiling,
  db: Db = getDb(),
) {
  if (ceiling) reset = [...reset, waitKey(ceiling)];
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
