import net from "node:net";
import path from "node:path";
import { tempDir } from "../scripts/temp-dir";
import { expect, test } from "@playwright/test";
import { prepareDatabase, startServer, type Server } from "../scripts/server-harness";
import { nestedDivs, ordinaryArticle } from "../test/fixtures/hostile-articles";

// Issue 19 on the production server (`node scripts/serve.mjs` over the `next build` output): the
// extraction worker is loaded by path beside Next's bundles, so only the built server proves it
// starts there and keeps the event loop free. Its own server, database and a free port; no browser.

test.describe.configure({ mode: "serial" });

let server: Server;
let token = "";
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const extract = (body: unknown) =>
  fetch(`${base}/api/extract`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const listDeals = () =>
  fetch(`${base}/api/deals?pageSize=5`, { headers: { authorization: `Bearer ${token}` } });
type Answer = {
  error?: string;
  fieldErrors?: Record<string, string[]>;
  draft?: { parties: { company: string }[] };
};
async function timed(call: () => Promise<Response>): Promise<{ ms: number; status: number; body: Answer }> {
  const started = performance.now();
  const response = await call();
  const body = (await response.json()) as Answer;
  return { ms: performance.now() - started, status: response.status, body };
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const file = path.join(tempDir("extract-guard"), "atlas.db");
  token = prepareDatabase(file);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer({ port, databasePath: file });
  // Loads both routes and starts the worker, so the tests time requests, not first starts.
  expect((await timed(listDeals)).status).toBe(200);
  const first = await timed(() => extract({ text: "Microsoft and SK Telecom sign an MoU." }));
  expect(first.status, server.output()).toBe(200);
});

test.afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
});

test("the nested document answers a 4xx within 5 s while a parallel GET /api/deals answers within 1 s", async () => {
  const [refused, listed] = await Promise.all([
    timed(() => extract({ html: nestedDivs(5000) })),
    timed(listDeals),
  ]);
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.status).toBeLessThan(500);
  expect(refused.ms).toBeLessThan(5000);
  expect(refused.body.fieldErrors?.html?.[0]).toMatch(/more than 200 levels deep/);
  expect(listed.status).toBe(200);
  expect(listed.ms).toBeLessThan(1000);
});

test("a 1 MB article is read in the worker: GET /api/deals answers within 1 s meanwhile", async () => {
  let draftedAt = Infinity;
  let settled = false;
  const drafting = timed(() => extract({ html: ordinaryArticle() })).then((answer) => {
    draftedAt = performance.now();
    settled = true;
    return answer;
  });
  await new Promise((r) => setTimeout(r, 300)); // the article is being read by now (0.7 s idle)
  const listed = await timed(listDeals);
  const listedAt = performance.now();
  // The same caller asking again while its article is read is refused. Asked in a loop until the
  // first one is done: how long reading takes depends on the machine (0.7 s idle, seconds loaded).
  let refusedAgain = false;
  while (!settled && !refusedAgain)
    refusedAgain =
      (await timed(() => extract({ text: "A second article from the same caller." }))).status === 429;
  const drafted = await drafting;
  expect(listed.status).toBe(200);
  expect(listed.ms).toBeLessThan(1000);
  expect(listedAt).toBeLessThan(draftedAt); // the list answered while the article was being read
  expect(refusedAgain).toBe(true); // one draft per caller at a time
  expect(drafted.status, server.output()).toBe(200);
  expect(drafted.body.draft?.parties.map((p) => p.company)).toContain("Microsoft");
});
