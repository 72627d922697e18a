import "server-only";
import { getDb } from "../core/index";

// Dashboard aggregates over 100,000 deals cost 10–600 ms cold; analysts reload the same views far
// more often than the data changes. Results are kept per query until the database changes: every
// `db.write` increments the `data_changes` counter in the database itself, so a write through any
// app server on the same database invalidates every server's cached answers.

const MAX_ENTRIES = 500;
type Entries = Map<string, { version: number; value: Promise<unknown> }>;
// One cache per process, on globalThis: Next bundles pages and route handlers separately, each with
// its own copy of this module, and the dashboard page and /api/stats/* must share their answers.
const shared = globalThis as typeof globalThis & { atlasStatsCache?: Entries };
const entries: Entries = (shared.atlasStatsCache ??= new Map());

/**
 * `compute()`'s answer for `key`, reused until the data changes. Concurrent cold requests for one
 * key share the same in-flight computation; a failed one is forgotten so the next request retries.
 */
export async function memoStats<T>(key: string, compute: () => T | Promise<T>): Promise<T> {
  const version = await getDb().dataVersion();
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    entries.delete(key); // keep recently used entries last, so the oldest go first
    entries.set(key, hit);
    return hit.value as Promise<T>;
  }
  const value = (async () => compute())();
  const entry = { version, value };
  entries.set(key, entry);
  value.catch(() => {
    if (entries.get(key) === entry) entries.delete(key);
  });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}
