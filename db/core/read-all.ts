import { isTransaction, type Reader } from "./connection";

/**
 * Runs independent reads together: at once on a pool (PostgreSQL spreads them over connections),
 * one after another inside a transaction, whose single connection takes one query at a time.
 * Drizzle's queries are lazy, so passing them unawaited starts nothing before this decides.
 */
export async function readAll<T extends unknown[]>(
  db: Reader,
  queries: [...{ [K in keyof T]: PromiseLike<T[K]> }],
): Promise<T> {
  if (!isTransaction(db)) return Promise.all(queries as PromiseLike<unknown>[]) as Promise<T>;
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results as T;
}
