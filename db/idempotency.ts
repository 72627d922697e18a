import "server-only";
import { and, eq, lt } from "drizzle-orm";
import { getDb, type Db } from "./index";
import { idempotencyKeys } from "./schema";

// Idempotent writes: the first answer to (principal, key) is stored in the same transaction as the
// write itself, so a retry — even after a crash or a client timeout — replays it instead of writing
// again, and two concurrent requests with one key write once (transactions are serial).

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export type StoredAnswer = { status: number; body: string; location: string | null };
export type IdempotencyScope = { principal: string; key: string; endpoint: string; requestHash: string };

/** The answer remembered for this key, "mismatch" when the key came with another request, or null. */
export function findIdempotentAnswer(
  scope: IdempotencyScope,
  db: Db = getDb(),
  now = Date.now(),
): StoredAnswer | "mismatch" | null {
  const row = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.principal, scope.principal), eq(idempotencyKeys.key, scope.key)))
    .get();
  if (!row || row.createdAt.getTime() <= now - IDEMPOTENCY_TTL_SECONDS * 1000) return null;
  if (row.endpoint !== scope.endpoint || row.requestHash !== scope.requestHash) return "mismatch";
  return { status: row.status, body: row.body, location: row.location };
}

/** Stores an answer under its key (inside the caller's transaction), dropping expired keys. */
export function storeIdempotentAnswer(
  scope: IdempotencyScope,
  stored: StoredAnswer,
  db: Db,
  now = Date.now(),
) {
  // Expired keys go as new ones come, so the table holds about one day of writes.
  db.delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_TTL_SECONDS * 1000)))
    .run();
  const row = { ...scope, ...stored, createdAt: new Date(now) };
  db.insert(idempotencyKeys)
    .values(row)
    .onConflictDoUpdate({ target: [idempotencyKeys.principal, idempotencyKeys.key], set: row })
    .run();
}

/**
 * Runs `write` and stores its answer under the key, all in one IMMEDIATE transaction (`write` must
 * be synchronous; its own transactions nest as savepoints). Inside the transaction the key is looked
 * up again, so of two concurrent requests the second replays the first's answer.
 */
export function writeOnce<T>(
  scope: IdempotencyScope,
  write: () => T,
  answer: (result: T) => StoredAnswer,
  db: Db = getDb(),
): { replayed: boolean; stored: StoredAnswer | "mismatch" } {
  return db.transaction(
    () => {
      const now = Date.now();
      const earlier = findIdempotentAnswer(scope, db, now);
      if (earlier) return { replayed: true, stored: earlier };
      const stored = answer(write());
      storeIdempotentAnswer(scope, stored, db, now);
      return { replayed: false, stored };
    },
    { behavior: "immediate" },
  );
}
