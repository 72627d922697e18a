import "server-only";
import { getDb } from "./index";

// Dashboard aggregates over 100,000 deals cost 10–600 ms cold; analysts reload the same views far
// more often than the data changes. Results are kept per query until the database changes:
// `data_version` moves when another connection commits, `total_changes()` when this one writes,
// so a cached answer is never older than the data.

const MAX_ENTRIES = 500;
const entries = new Map<string, { version: string; value: unknown }>();

function dataVersion(): string {
  const client = getDb().$client;
  const external = client.pragma("data_version", { simple: true });
  const local = (client.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
  return `${external}:${local}`;
}

export function memoStats<T>(key: string, compute: () => T): T {
  const version = dataVersion();
  const hit = entries.get(key);
  if (hit && hit.version === version) {
    entries.delete(key); // keep recently used entries last, so the oldest go first
    entries.set(key, hit);
    return hit.value as T;
  }
  const value = compute();
  entries.set(key, { version, value });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  return value;
}
