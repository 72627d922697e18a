// Admission for the production server (scripts/serve.mjs). Node takes every request at once, and with
// SQLite all of them share one JS thread: under 50 clients each render was interleaved with 49 others,
// so a page waited on every list and export in flight, and 50 answers' buffers were held at once
// (docs/performance.md, "Where the server's time goes"). So at most `active` requests are worked on
// together and the others wait their turn, pages and writes (someone waits on the screen) before JSON
// reads; exports and imports (long, large, asked for in bulk) have `bulk` turns of their own, so they
// neither wait behind the reads nor hold the others' turns while a slow client reads them.

/** 0: a page or a write; 1: an API read; 2: an export or import; null: static files, never queued. */
export function requestPriority(req) {
  const url = req.url ?? "/";
  if (url.startsWith("/_next/static/") || url === "/favicon.ico" || url === "/icon.svg") return null;
  if (/^\/api\/(export|import)(\/|\?|$)/.test(url)) return 2;
  const reading = req.method === "GET" || req.method === "HEAD";
  if (reading && (url.startsWith("/api/") || url.startsWith("/feeds/"))) return 1;
  return 0;
}

/**
 * A queue of requests: `admit(req, res, run)` calls `run()` now or when a turn frees, which is when
 * a started request's response closes (finished, or its client gone). A client that leaves while
 * waiting gives up its place. An API read that has waited `readWaitMs` goes before the pages, so a
 * stream of pages cannot starve the reads. `active: Infinity` admits everything at once (the server
 * before).
 */
export function createRequestQueue({ active = 6, bulk = 2, readWaitMs = 10_000 } = {}) {
  // Priorities 0 and 1 share the `active` turns; priority 2 has its own.
  const waiting = [[], [], []];
  const running = [0, 0];
  const pool = (priority) => (priority === 2 ? 1 : 0);
  const limit = [active, bulk];

  function next(p) {
    while (running[p] < limit[p]) {
      const overdue = waiting[1].length && performance.now() - waiting[1][0].since >= readWaitMs;
      const job =
        p === 1
          ? waiting[2].shift()
          : overdue
            ? waiting[1].shift()
            : (waiting[0].shift() ?? waiting[1].shift());
      if (!job) return;
      running[p]++;
      job.res.once("close", () => {
        running[p]--;
        next(p);
      });
      job.run();
    }
  }

  return {
    admit(req, res, run) {
      const priority = requestPriority(req);
      if (priority === null) return void run();
      const job = { res, run, since: performance.now() };
      waiting[priority].push(job);
      res.once("close", () => {
        const i = waiting[priority].indexOf(job);
        if (i >= 0) waiting[priority].splice(i, 1);
      });
      next(pool(priority));
    },
    /** How many run (pages and reads, bulk) and how many wait per priority. */
    state: () => ({ running: [...running], waiting: waiting.map((q) => q.length) }),
  };
}
