/**
 * Counts failures per key in a sliding window (sign-in: per account and per client). In memory,
 * which fits the one-process app this is; a restart forgets the counts.
 */
export class FailureLimiter {
  private failures = new Map<string, number[]>();

  constructor(private readonly options: { limit: number; windowMs: number; now?: () => number }) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before trying again; 0 when a try is allowed. */
  retryAfter(key: string): number {
    const list = this.recent(key);
    if (list.length < this.options.limit) return 0;
    const oldest = list[list.length - this.options.limit]!;
    return Math.max(1, Math.ceil((oldest + this.options.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    this.recent(key);
    this.failures.set(key, [...(this.failures.get(key) ?? []), this.now()]);
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
