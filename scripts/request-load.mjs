// Loaded by the server (scripts/serve.mjs) before it creates its HTTP server: counts the requests it
// is answering, so that background work done on the server (reading feed items, server/news/process.ts)
// can step aside while someone waits for an answer. server/request-load.ts reads what this keeps; a
// server started without this file (next dev, tests) keeps nothing and nothing waits.
import { AsyncLocalStorage } from "node:async_hooks";
import { onEveryRequest } from "./server-hooks.mjs";

const load = {
  /** Requests being answered that someone waits on. */
  open: 0,
  /** performance.now() when the last of them was answered. */
  settledAt: 0,
  /** The request the running code answers: `{ open, counted }`. */
  context: new AsyncLocalStorage(),
};

const requests = new WeakMap();

function track(req, res) {
  const request = { open: true, counted: true };
  requests.set(req, request);
  load.open++;
  res.once("close", () => {
    request.open = false;
    if (request.counted) load.open--;
    load.settledAt = performance.now();
  });
  // The work done for it runs with it as its context through asRequest (scripts/serve.mjs wraps every
  // request it admits): entering the context here would leak it into the rest of the emitting tick.
}

onEveryRequest(track);

/**
 * Runs `work` as `req`'s, so that work it starts (server/request-load.ts stepAside) knows its request:
 * also a request admitted later (scripts/request-queue.mjs), which starts in the callback of another
 * one's answer.
 */
export function asRequest(req, work) {
  const request = requests.get(req);
  return request ? load.context.run(request, work) : work();
}

globalThis[Symbol.for("atlas.requestLoad")] = load;
