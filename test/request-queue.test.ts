import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestQueue, requestPriority } from "@/scripts/request-queue.mjs";
import { serveLocally } from "./local-server";

// The production server's admission (scripts/request-queue.mjs, used by scripts/serve.mjs) in front of
// a real local HTTP server whose handler answers only when the test releases a path.

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (let close = closing.pop(); close; close = closing.pop()) await close();
});

/** A server behind the queue: `started` lists the paths whose handler ran, in order. */
async function queuedServer(options: { active: number; bulk: number; readWaitMs?: number }) {
  const queue = createRequestQueue(options);
  const started: string[] = [];
  const held = new Map<string, http.ServerResponse>();
  const server = await serveLocally((req, res) =>
    queue.admit(req, res, () => {
      started.push(`${req.method} ${req.url}`);
      held.set(req.url!, res);
    }),
  );
  closing.push(server.close);
  const base = `http://127.0.0.1:${server.port}`;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
  return {
    queue,
    started,
    settle,
    /** Sends a request without waiting for its answer. */
    send(path: string, init: RequestInit = {}) {
      const answer = fetch(base + path, init).then((r) => r.text());
      answer.catch(() => undefined);
      return answer;
    },
    release(path: string) {
      held.get(path)!.end(path);
    },
  };
}

describe("request queue", () => {
  it("classifies pages and writes, API reads, exports and imports, and static files", () => {
    expect(requestPriority({ method: "GET", url: "/?company=acme" })).toBe(0);
    expect(requestPriority({ method: "POST", url: "/api/deals" })).toBe(0);
    expect(requestPriority({ method: "GET", url: "/api/deals?q=robotics" })).toBe(1);
    expect(requestPriority({ method: "GET", url: "/api/stats/summary" })).toBe(1);
    expect(requestPriority({ method: "GET", url: "/api/export/deals.csv?company=acme" })).toBe(2);
    expect(requestPriority({ method: "POST", url: "/api/import" })).toBe(2);
    expect(requestPriority({ method: "GET", url: "/api/exports-of-something" })).toBe(1);
    expect(requestPriority({ method: "GET", url: "/_next/static/chunks/app.js" })).toBeNull();
  });

  it("works on at most `active` requests, and a page or a write goes before API reads that came first", async () => {
    const s = await queuedServer({ active: 2, bulk: 1 });
    const answers = [s.send("/api/deals?a"), s.send("/api/deals?b")];
    await s.settle();
    answers.push(s.send("/api/deals?c"));
    await s.settle();
    answers.push(s.send("/?page"), s.send("/api/deals?write", { method: "POST", body: "{}" }));
    await s.settle();
    expect(s.started).toEqual(["GET /api/deals?a", "GET /api/deals?b"]);
    expect(s.queue.state()).toEqual({ running: [2, 0], waiting: [2, 1, 0] });
    s.release("/api/deals?a");
    await s.settle();
    s.release("/api/deals?b");
    await s.settle();
    expect(s.started.slice(2)).toEqual(["GET /?page", "POST /api/deals?write"]);
    s.release("/?page");
    await s.settle();
    expect(s.started.at(-1)).toBe("GET /api/deals?c");
    s.release("/api/deals?write");
    s.release("/api/deals?c");
    expect(await Promise.all(answers)).toEqual([
      "/api/deals?a",
      "/api/deals?b",
      "/api/deals?c",
      "/?page",
      "/api/deals?write",
    ]);
    expect(s.queue.state()).toEqual({ running: [0, 0], waiting: [0, 0, 0] });
  });

  it("takes an API read that waited too long before the pages", async () => {
    const s = await queuedServer({ active: 1, bulk: 1, readWaitMs: 1500 });
    void s.send("/api/deals?first");
    await s.settle();
    void s.send("/api/stats/summary");
    await s.settle();
    void s.send("/?early");
    await s.settle();
    s.release("/api/deals?first");
    await s.settle();
    // Waited some 200 ms of its 1,500: the page still goes first.
    expect(s.started.at(-1)).toBe("GET /?early");
    void s.send("/?late");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    s.release("/?early");
    await s.settle();
    expect(s.started.at(-1)).toBe("GET /api/stats/summary");
    s.release("/api/stats/summary");
    await s.settle();
    expect(s.started.at(-1)).toBe("GET /?late");
  });

  it("gives exports turns of their own: they wait neither behind reads nor hold them up", async () => {
    const s = await queuedServer({ active: 1, bulk: 1 });
    void s.send("/api/deals?a");
    void s.send("/api/export/deals.csv?one");
    void s.send("/api/export/deals.csv?two");
    void s.send("/api/stats/summary");
    void s.send("/_next/static/app.js");
    await s.settle();
    expect(s.started).toEqual([
      "GET /api/deals?a",
      "GET /api/export/deals.csv?one",
      "GET /_next/static/app.js",
    ]);
    s.release("/api/export/deals.csv?one");
    await s.settle();
    expect(s.started.at(-1)).toBe("GET /api/export/deals.csv?two");
    expect(s.queue.state().waiting).toEqual([0, 1, 0]);
  });

  it("frees a turn when the client of a started request leaves, and forgets one that left while waiting", async () => {
    const s = await queuedServer({ active: 1, bulk: 1 });
    const leaving = new AbortController();
    const gone = new AbortController();
    void s.send("/api/deals?first", { signal: leaving.signal });
    await s.settle();
    void s.send("/api/deals?never", { signal: gone.signal });
    await s.settle();
    const last = s.send("/api/deals?last");
    await s.settle();
    gone.abort();
    await s.settle();
    expect(s.queue.state()).toEqual({ running: [1, 0], waiting: [0, 1, 0] });
    leaving.abort();
    await s.settle();
    expect(s.started).toEqual(["GET /api/deals?first", "GET /api/deals?last"]);
    s.release("/api/deals?last");
    expect(await last).toBe("/api/deals?last");
  });
});
