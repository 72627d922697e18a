import "server-only";
import type { AsyncLocalStorage } from "node:async_hooks";

// Background work done on the server's own process (reading feed items) steps aside while requests
// are being answered: the work gets the machine when nobody waits. scripts/request-load.mjs, which
// scripts/serve.mjs loads, counts the open requests; without it (next dev, tests) nothing waits.

type Request = { open: boolean; counted: boolean };
type Load = { open: number; settledAt: number; context: AsyncLocalStorage<Request> };

const current = () =>
  (globalThis as Record<symbol, unknown>)[Symbol.for("atlas.requestLoad")] as Load | undefined;

/**
 * The request this code answers (if any) no longer counts as one someone waits on: it is itself the
 * background work (POST /api/sources processes the items it fetched), which must not wait for itself.
 */
export function stepAside(): void {
  const load = current();
  const request = load?.context.getStore();
  if (!load || !request?.open || !request.counted) return;
  request.counted = false;
  load.open--;
}

/** Requests being answered now that someone waits on (0 without the counter). */
export function requestsOpen(): number {
  return current()?.open ?? 0;
}

export interface Pace {
  /** How long no request must have been open before the work resumes: a page's requests come in bursts. */
  quietMs: number;
  /** The longest one wait lasts, so that a server that is never quiet still gets the work done. */
  maxWaitMs: number;
}

/** Waits until no request has been open for `quietMs`, or `maxWaitMs` at most; answers the ms waited. */
export async function whenRequestsQuiet({ quietMs, maxWaitMs }: Pace): Promise<number> {
  const load = current();
  if (!load) return 0;
  const started = performance.now();
  for (;;) {
    const now = performance.now();
    const quietFor = load.open > 0 ? 0 : now - load.settledAt;
    if (quietFor >= quietMs || now - started >= maxWaitMs) return now - started;
    // Polled: a timer every few ms costs nothing next to the work it holds back.
    const left = Math.min(quietMs - quietFor, maxWaitMs - (now - started));
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(left, 5))));
  }
}
