import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { databaseEnv, prepareDatabase, startServer, type Server } from "../scripts/server-harness";
import { adminQuery, startThrowawayPostgres, type Throwaway } from "../scripts/pg/throwaway";
import { PASSWORD } from "./accounts";
import { unique } from "./fixtures";

// Read replicas (issue 9), for real: a primary and a streaming replica made with pg_basebackup on
// loopback, and an app server with DATABASE_URL on the primary and DATABASE_READ_URL on the replica.
// Replay on the replica is paused to make the difference visible: reads that go to the replica do
// not see a new deal; the writer's own reads go to the primary and do. PostgreSQL only.

test.skip(!process.env.E2E_PG_ADMIN_URL, "read replicas are a PostgreSQL feature");
test.describe.configure({ mode: "serial" });

const port = Number(process.env.E2E_PORT ?? 3100) + 8;
const base = `http://127.0.0.1:${port}`;
let cluster: Throwaway;
let server: Server;
let token: string;
const email = "writer@replica.test";

const onReplica = async (query: string) => {
  const client = new pg.Client({ connectionString: cluster.replica!.urlFor("atlas") });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startThrowawayPostgres({ replica: true });
  await adminQuery(cluster.url, "CREATE DATABASE atlas");
  const primaryUrl = cluster.urlFor("atlas");
  token = prepareDatabase(primaryUrl);
  const user = spawnSync(
    path.join("node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/user-create.ts", "--email", email, "--password", PASSWORD, "--role", "editor"],
    { env: { ...process.env, ...databaseEnv(primaryUrl) }, encoding: "utf8" },
  );
  expect(user.status, user.stderr).toBe(0);
  server = await startServer({
    port,
    databasePath: primaryUrl,
    command: [process.execPath, path.join("scripts", "serve.mjs")],
    env: { DATABASE_READ_URL: cluster.replica!.urlFor("atlas") },
  });
});

test.afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  await cluster?.stop();
});

const api = (url: string, init: RequestInit = {}) =>
  fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

/** Pauses replay on the replica and waits until it has actually stopped (a pause is only a request). */
async function pauseReplay() {
  await onReplica("SELECT pg_wal_replay_pause()");
  await expect
    .poll(async () => (await onReplica("SELECT pg_get_wal_replay_pause_state() AS state"))[0].state, {
      timeout: 10_000,
    })
    .toBe("paused");
}

async function waitForReplay() {
  await onReplica("SELECT pg_wal_replay_resume()");
  await expect
    .poll(async () => (await onReplica("SELECT pg_last_wal_replay_lsn()::text AS lsn"))[0].lsn, { timeout: 10_000 })
    .not.toBeNull();
}

test("lists and deal pages read from the replica; the writer's own reads go to the primary", async () => {
  await pauseReplay();
  const title = unique("Replica");
  const created = await api("/api/deals", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      title,
      announcedOn: "2025-04-05",
      types: ["mou"],
      binding: "non_binding",
      parties: [
        { company: "Microsoft", role: "partner" },
        { company: "SK Telecom", role: "partner" },
      ],
      technologies: ["AI"],
      sources: [{ url: "https://example.org/replica" }],
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: number };
  const cookie = created.headers.get("set-cookie")?.match(/atlas_read_after=[^;]+/)?.[0];
  expect(cookie, "the write leaves its WAL position with the writer").toBeTruthy();

  // Anyone else reads the paused replica: the deal is not there yet…
  expect((await api(`/api/deals/${id}`)).status).toBe(404);
  const others = (await (await api(`/api/deals?q=${encodeURIComponent(title)}`)).json()) as { total: number };
  expect(others.total).toBe(0);
  // …the writer reads the primary, and finds it at once.
  expect((await api(`/api/deals/${id}`, { headers: { cookie: cookie! } })).status).toBe(200);
  const own = (await (await api(`/api/deals?q=${encodeURIComponent(title)}`, { headers: { cookie: cookie! } })).json()) as {
    total: number;
  };
  expect(own.total).toBe(1);
  // A position the client made up, or a signed one altered, is ignored: those reads stay on the replica.
  const forged = ["atlas_read_after=FFFFFFFF-FFFFFFFF", cookie!.replace(/=[^.]+/, "=FFFFFFFF-FFFFFFFF")];
  for (const header of forged) expect((await api(`/api/deals/${id}`, { headers: { cookie: header } })).status).toBe(404);

  // The app's read connections are on the replica.
  const connections = await onReplica(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'atlas-replica'",
  );
  expect(connections[0].n).toBeGreaterThan(0);

  // Once the replica replays, everyone sees it there.
  await waitForReplay();
  await expect.poll(async () => (await api(`/api/deals/${id}`)).status, { timeout: 10_000 }).toBe(200);
});

test("an analyst who saves a deal sees it on the next page, however far the replica lags", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  const list = (await (await api("/api/deals?pageSize=1")).json()) as { items: { id: number }[] };
  const id = list.items[0]!.id;
  await pauseReplay();
  try {
    const renamed = unique("Renamed while the replica lags");
    await page.goto(`${base}/deals/${id}/edit`);
    await page.getByLabel("Title", { exact: true }).fill(renamed);
    await page.getByRole("button", { name: "Save deal" }).click();
    await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
    await page.goto(`${base}/deals?q=${encodeURIComponent(renamed)}`);
    await expect(page.getByRole("link", { name: renamed, exact: true })).toBeVisible();
    // A reader without that write still sees the replica's older title.
    const stale = (await (await api(`/api/deals/${id}`)).json()) as { title: string };
    expect(stale.title).not.toBe(renamed);
  } finally {
    await waitForReplay();
    await context.close();
  }
});
