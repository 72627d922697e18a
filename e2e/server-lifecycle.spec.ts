import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { tempDir } from "../scripts/temp-dir";
import { expect, test } from "@playwright/test";
import {
  crashCycles,
  portIsFree,
  prepareDatabase,
  processAlive,
  startServer,
} from "../scripts/server-harness";

// The production server's own life: stopping on SIGTERM to the one PID a supervisor knows, and
// SIGKILL during writes. Each test runs its own server on its own database and port (beside the
// suite's), so it needs no browser and leaves nothing behind.

const basePort = Number(process.env.E2E_PORT ?? 3100);
const newDatabase = () => path.join(tempDir("lifecycle"), "atlas.db");

test.describe.configure({ mode: "serial" });

test("SIGTERM to `npm start` stops everything within the grace period, even with a stalled export", async () => {
  test.setTimeout(120_000);
  const port = basePort + 1;
  const file = newDatabase();
  const token = prepareDatabase(file, { demo: 8000 });
  // The PID a supervisor gets is npm's; npm hands the signal on to the server it exec'd.
  const server = await startServer({
    port,
    databasePath: file,
    command: ["npm", "start", "--silent"],
    env: { SKIP_BUILD: "1", SHUTDOWN_GRACE_MS: "10000" },
  });

  // A client that asks for the full export, reads the first bytes, then stops reading.
  const reader = net.connect(port, "127.0.0.1");
  let received = 0;
  await new Promise<void>((resolve) => {
    reader.on("connect", () =>
      reader.write(
        `GET /api/export/deals.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      ),
    );
    reader.on("data", (chunk) => {
      received += chunk.length;
      reader.pause();
      resolve();
    });
  });
  reader.on("error", () => {});
  await new Promise((r) => setTimeout(r, 500));

  const stoppedAt = Date.now();
  process.kill(server.pid, "SIGTERM");
  const code = await server.exited;
  const took = Date.now() - stoppedAt;
  expect(took).toBeGreaterThan(9_000); // it waited for the reader…
  expect(took).toBeLessThan(12_500); // …but not for ever
  expect(code, server.output()).toBe(1); // a connection had to be cut
  expect(server.output()).toContain("were cut");
  expect(received).toBeGreaterThan(0);
  expect(await portIsFree(port)).toBe(true);
  expect(fs.existsSync(`${file}-server.pid`)).toBe(false);
  for (const line of server.output().matchAll(/\(pid (\d+)\)/g))
    expect(processAlive(Number(line[1]))).toBe(false);
  reader.destroy();

  // The next start on the same port works, and a stop without open connections is clean (exit 0),
  // with the WAL checkpointed into the database file.
  const again = await startServer({ port, databasePath: file, env: { SHUTDOWN_GRACE_MS: "10000" } });
  const list = await fetch(`http://127.0.0.1:${port}/api/deals?pageSize=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(list.status).toBe(200);
  expect((await list.json()).total).toBeGreaterThan(8000);
  // Right after listening it warmed its hot routes, and each answered from its own code: the API's
  // 401, a page's own redirect (to /setup here, as no one has an account; the proxy's would go to
  // /sign-in?next=…).
  await expect.poll(() => again.output(), { timeout: 30_000 }).toMatch(/Warmed \d+ routes/);
  expect(again.output()).toContain("/api/stats/summary 401");
  expect(again.output()).toContain("/deals 307 → /setup,");
  process.kill(again.pid, "SIGTERM");
  expect(await again.exited).toBe(0);
  expect(await portIsFree(port)).toBe(true);
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
});

test("SIGKILL during concurrent writes loses no acknowledged write (3 cycles)", async () => {
  test.setTimeout(120_000);
  const file = newDatabase();
  const token = prepareDatabase(file);
  const figures = await crashCycles({ databasePath: file, token, port: basePort + 2, cycles: 3, clients: 4 });
  console.log(JSON.stringify(figures));
  expect(figures.acknowledged).toBeGreaterThan(10);
  expect(figures).toMatchObject({ lost: 0, wrong: 0, duplicated: 0, integrity: "ok", foreignKeyProblems: 0 });
});
