import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { draftArticleAction } from "@/app/(dashboard)/deals/actions";
import * as dealsRoute from "@/app/api/deals/route";
import { POST } from "@/app/api/extract/route";
import { createApiToken } from "@/db/accounts/auth";
import { seedRealDeals } from "@/db/ops/seed";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { extractJobsRunning } from "@/server/extract-pool";
import { nestedDivs, ordinaryArticle } from "./fixtures/hostile-articles";
import { testDb } from "./db";

// Issue 19: one request must not freeze the server. Pages are measured before they are parsed,
// extraction runs in a worker thread with a hard time limit, and each caller drafts one article at
// a time — through the API and through the "Add from article" form alike.

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

let token = "";
let otherToken = "";
let sessionCookie = "";
let site: http.Server;
let siteBase = "";
const article = ordinaryArticle(); // about 1 MB: some seconds of reading, within every limit

const extract = (body: unknown, bearer = token) =>
  POST(
    new Request("http://localhost/api/extract", {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
const listDeals = () =>
  dealsRoute.GET(
    new Request("http://localhost/api/deals?pageSize=5", { headers: { authorization: `Bearer ${token}` } }),
  );
/** How long a call takes to answer, with its answer. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await call();
  return { ms: performance.now() - started, value };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Until an extraction holds a worker (its caller is then marked as drafting). */
async function holdsWorker() {
  while (extractJobsRunning() === 0) await sleep(5);
}

function setEnv(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
const saved = {
  limit: process.env.EXTRACT_TIME_LIMIT_MS,
  allow: process.env.ALLOW_PRIVATE_URLS,
  workers: process.env.EXTRACT_WORKERS,
};
afterEach(() => {
  setEnv("EXTRACT_TIME_LIMIT_MS", saved.limit);
  setEnv("ALLOW_PRIVATE_URLS", saved.allow);
  setEnv("EXTRACT_WORKERS", saved.workers);
});

beforeAll(async () => {
  await seedRealDeals(testDb());
  token = (await createApiToken({ name: "guard tests", role: "editor" })).secret;
  otherToken = (await createApiToken({ name: "guard tests, another caller", role: "editor" })).secret;
  const email = `guard-${process.pid}@example.org`;
  await createUserAccount({ name: "Guard", email, password: "password for tests", role: "editor" });
  const { headers } = await getAuth().api.signInEmail({
    body: { email, password: "password for tests" },
    returnHeaders: true,
  });
  sessionCookie = headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  site = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(nestedDivs(5000));
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteBase = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  // Start the worker now, so the tests time extraction, not the worker's first start.
  expect((await extract({ text: "Microsoft and SK Telecom sign an MoU." })).status).toBe(200);
}, 60_000);
afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));

describe("POST /api/extract under hostile input", () => {
  it("answers 5,000 nested <div>s with a 4xx within 5 s while a parallel GET /api/deals answers within 1 s", async () => {
    const [refused, listed] = await Promise.all([
      timed(() => extract({ html: nestedDivs(5000) })),
      timed(listDeals),
    ]);
    expect(refused.value.status).toBe(400);
    expect(refused.ms).toBeLessThan(5000);
    const body = await refused.value.json();
    expect(body.fieldErrors.html[0]).toMatch(/more than 200 levels deep/);
    expect(listed.value.status).toBe(200);
    expect(listed.ms).toBeLessThan(1000);
  });

  it("reads a 1 MB ordinary article off the event loop: GET /api/deals answers within 1 s meanwhile", async () => {
    let settled = false;
    const drafting = timed(() => extract({ html: article })).finally(() => (settled = true));
    // The list is asked for again and again while the article is read (a warm worker reads it in
    // 0.2–0.7 s): a blocked event loop would hold every one of these answers up.
    const lists: { status: number; ms: number }[] = [];
    while (!settled) {
      // A list answered from the page cache never leaves the microtask queue: let the worker's answer in.
      await new Promise((resolve) => setImmediate(resolve));
      const listed = await timed(listDeals);
      lists.push({ status: listed.value.status, ms: listed.ms });
    }
    const drafted = await drafting;
    expect(drafted.value.status).toBe(200);
    expect((await drafted.value.json()).draft.parties.map((p: { company: string }) => p.company)).toContain(
      "Microsoft",
    );
    expect(lists.length).toBeGreaterThan(0);
    for (const listed of lists) {
      expect(listed.status).toBe(200);
      expect(listed.ms).toBeLessThan(1000);
    }
  });

  it("stops an article past the time limit with a 422, and the next one is read by a fresh worker", async () => {
    process.env.EXTRACT_TIME_LIMIT_MS = "10"; // far below the warm worker's time for 1 MB (0.2–0.7 s)
    const stopped = await timed(() => extract({ html: article }));
    expect(stopped.value.status).toBe(422);
    expect(stopped.ms).toBeLessThan(2000);
    const body = await stopped.value.json();
    expect(body.error).toMatch(/took longer than 0\.01 s, so it was stopped/);
    expect(body.fieldErrors.html).toEqual([body.error]);
    delete process.env.EXTRACT_TIME_LIMIT_MS;
    const next = await extract({ text: "Microsoft and SK Telecom sign an MoU." });
    expect(next.status).toBe(200);
  });

  it("refuses a fetched page beyond the depth budget with a 422 on the url, before parsing it", async () => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    const refused = await timed(() => extract({ url: `${siteBase}/deep` }));
    expect(refused.value.status).toBe(422);
    expect(refused.ms).toBeLessThan(5000);
    expect((await refused.value.json()).fieldErrors.url[0]).toMatch(/more than 200 levels deep/);
  });

  it("lets each caller draft one article at a time: a second one meanwhile is a 429 with Retry-After", async () => {
    // The second is sent once the first holds a worker: sent together, either may be authorized
    // first (the token lookup is asynchronous on PostgreSQL), and then the article was the one refused.
    const reading = extract({ html: article });
    await holdsWorker();
    const [first, second, other] = await Promise.all([
      reading,
      extract({ text: "Microsoft and SK Telecom sign an MoU." }),
      extract({ text: "Microsoft and SK Telecom sign an MoU." }, otherToken),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = await second.json();
    expect(body.error).toMatch(/already drafting an article/);
    expect(body.fieldErrors.text).toEqual([body.error]);
    expect(other.status).toBe(200); // another caller is not held up by the limit
    // Once the first is done, the same caller may draft again.
    expect((await extract({ text: "Microsoft and SK Telecom sign an MoU." })).status).toBe(200);
  });
  it("keeps at most 8 articles waiting for a worker: more callers meanwhile get a 429", async () => {
    const callers = await Promise.all(
      Array.from(
        { length: 10 },
        async (_, i) => (await createApiToken({ name: `queue ${i}`, role: "editor" })).secret,
      ),
    );
    process.env.EXTRACT_WORKERS = "1"; // as on two cores, whatever this machine has
    const reading = extract({ html: article }); // holds the one worker for a few seconds
    // Only once it holds the worker (a fixed pause let a caller take the worker first on a fast machine).
    await holdsWorker();
    const waiting = await Promise.all(
      callers.map((bearer) => extract({ text: "Microsoft and SK Telecom sign an MoU." }, bearer)),
    );
    expect((await reading).status).toBe(200);
    const statuses = waiting.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(8).fill(200), 429, 429]);
    const busy = waiting.find((r) => r.status === 429)!;
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await busy.json()).error).toMatch(/busy reading other articles/);
  });
});

describe("the Add from article form", () => {
  const draft = (raw: unknown) => {
    requestHeaders = new Headers({ cookie: sessionCookie });
    return draftArticleAction({ status: "idle" }, raw);
  };

  it("shows the same refusals as the API, as errors of the article box", async () => {
    const deep = await draft({ html: nestedDivs(5000) });
    expect(deep).toEqual({
      status: "invalid",
      fieldErrors: { html: [expect.stringMatching(/200 levels deep/)] },
    });

    const reading = draft({ html: article });
    await holdsWorker(); // as above: only then is it sure which of the two came first
    const [first, second] = await Promise.all([reading, draft({ text: "A second article." })]);
    expect(first.status).toBe("drafted");
    expect(second).toEqual({
      status: "invalid",
      fieldErrors: { text: [expect.stringMatching(/already drafting an article/)] },
    });

    process.env.EXTRACT_TIME_LIMIT_MS = "10"; // far below the warm worker's time for 1 MB (0.2–0.7 s)
    const slow = await draft({ html: article });
    expect(slow).toEqual({
      status: "invalid",
      fieldErrors: { html: [expect.stringMatching(/took longer than 0\.01 s, so it was stopped/)] },
    });
  });
});
