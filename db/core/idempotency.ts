import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { isPg } from "./dialect";
import { getDb, type Db, type Reader, type Tx } from "./index";
import { idempotencyKeys } from "../schema";

// Idempotent writes: the first answer to (principal, key) is stored in the same transaction as the
// write itself, so a retry — even after a crash or a client timeout — replays it instead of writing
// again, and two concurrent requests with one key write once: SQLite's writes are serial, and on
// PostgreSQL the key is locked (a transaction-level advisory lock) before it is looked up, so the
// second request waits for the first to commit and then finds its answer.

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export type StoredAnswer = { status: number; body: string; location: string | null };
export type IdempotencyScope = { principal: string; key: string; endpoint: string; requestHash: string };

/** The answer remembered for this key, "mismatch" when the key came with another request, or null. */
export async function findIdempotentAnswer(
  scope: IdempotencyScope,
  db: Reader = getDb(),
  now = Date.now(),
): Promise<StoredAnswer | "mismatch" | null> {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principal, scope.principal), eq(idempotencyKeys.key, scope.key)));
  if (!row || row.createdAt.getTime() <= now - IDEMPOTENCY_TTL_SECONDS * 1000) return null;
  if (row.endpoint !== scope.endpoint || row.requestHash !== scope.requestHash) return "mismatch";
  return { status: row.status, body: row.body, location: row.location };
}

/**
 * Holds the key until the transaction ends (PostgreSQL; SQLite's writes are serial already), so a
 * concurrent request with the same key waits here and then sees the first one's committed answer.
 */
export async function lockIdempotencyKey(scope: IdempotencyScope, tx: Tx): Promise<void> {
  if (isPg)
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtext(${`idempotency\n${scope.principal}\n${scope.key}`}))`,
    );
}

/** Stores an answer under its key (inside the caller's transaction), dropping expired keys. */
export async function storeIdempotentAnswer(
  scope: IdempotencyScope,
  stored: StoredAnswer,
  tx: Tx,
  now = Date.now(),
): Promise<void> {
  // Expired keys go as new ones come, so the table holds about one day of writes.
  await tx
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_SECONDS * 1000)));
  const row = { ...scope, ...stored, createdAt: new Date(now) };
  await tx
    .insert(idempotencyKeys)
    .values(row)
    .onConflictDoUpdate({ target: [idempotencyKeys.principal, idempotencyKeys.key], set: row });
}

/**
 * Runs `write` and stores its answer under the key, all in one transaction (the writes `write`
 * makes through `db.write` join it). Inside the transaction the key is locked and looked up again,
 * so of two concurrent requests the second replays the first's answer.
 */
export async function writeOnce<T>(
  scope: IdempotencyScope,
  write: () => Promise<T> | T,
  answer: (result: T) => StoredAnswer,
  db: Db = getDb(),
): Promise<{ replayed: boolean; stored: StoredAnswer | "mismatch" }> {
  return db.write(async (tx) => {
    const now = Date.now();
    await lockIdempotencyKey(scope, tx);
    const earlier = await findIdempotentAnswer(scope, tx, now);
    if (earlier) return { replayed: true, stored: earlier };
    const stored = answer(await write());
    await storeIdempotentAnswer(scope, stored, tx, now);
    return { replayed: false, stored };
  });
}
