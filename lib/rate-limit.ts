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

  /** Records a failure (or an attempt counted as one until it succeeds); returns its time stamp. */
  fail(key: string): number {
    this.recent(key);
    const at = this.now();
    this.failures.set(key, [...(this.failures.get(key) ?? []), at]);
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k);
    return at;
  }

  /** Takes back one recorded attempt (the one stamped `at`): it turned out not to be a failure. */
  forgive(key: string, at: number): void {
    const list = this.failures.get(key);
    const index = list?.indexOf(at) ?? -1;
    if (!list || index < 0) return;
    list.splice(index, 1);
    if (!list.length) this.failures.delete(key);
  }

  /** For tests: forget everything. */
  clear(): void {
    this.failures.clear();
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
