// Sliding-window failure limits (sign-in: per account and per client). The failures themselves are
// rows in the database (db/accounts/sign-in-failures.ts), so every app server counts the same ones; this is
// the arithmetic on their time stamps.

export type Limit = { limit: number; windowMs: number };

/**
 * Seconds to wait before trying again, given the time stamps (ms) of a key's recorded failures;
 * 0 when a try is allowed. Failures older than the window do not count, so they stop counting one
 * by one as the window slides past them.
 */
export function retryAfter(failures: readonly number[], { limit, windowMs }: Limit, now: number): number {
  const recent = failures.filter((t) => t > now - windowMs).sort((a, b) => a - b);
  if (recent.length < limit) return 0;
  const oldest = recent[recent.length - limit]!;
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}
