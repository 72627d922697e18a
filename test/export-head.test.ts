import { beforeAll, describe, expect, it, vi } from "vitest";
import * as connection from "@/db/core/connection";
import { createApiToken } from "@/db/accounts/auth";
import { createDeal } from "@/db/deals/deal-writes";
import { dealFixture, testDb } from "./db";

// HEAD on an export answers with GET's headers and opens nothing: no read-only connection is left
// behind waiting for a body nobody reads.

vi.mock("@/db/core/connection", async (original) => {
  const actual = await original<typeof import("@/db/core/connection")>();
  return { ...actual, openSqliteConnection: vi.fn(actual.openSqliteConnection) };
});

/** Counts what an export opens from now on: a read-only SQLite connection or a pooled PostgreSQL client. */
function exportConnections(): () => number {
  const internals = testDb().internals;
  if (internals.engine === "pg") {
    // The export checks a client out with connect(); the pool's own queries pass a callback.
    const spy = vi.spyOn(internals.replica ?? internals.reader, "connect");
    return () => spy.mock.calls.filter((args) => (args as unknown[]).length === 0).length;
  }
  const opened = vi.mocked(connection.openSqliteConnection);
  opened.mockClear();
  return () => opened.mock.calls.length;
}

let token = "";
beforeAll(async () => {
  testDb();
  await createDeal(dealFixture(), { actor: "test" });
  token = (await createApiToken({ name: "head", role: "viewer" })).secret;
});

const request = (method: string, path: string) =>
  new Request(`http://localhost/api${path}`, { method, headers: { authorization: `Bearer ${token}` } });

describe("HEAD on exports", () => {
  it("answers the deals export's headers without opening a connection", async () => {
    const route = await import("@/app/api/export/deals.csv/route");
    const opened = exportConnections();
    const head = await route.HEAD(request("HEAD", "/export/deals.csv?layout=parties"));
    expect(head.status).toBe(200);
    expect(opened()).toBe(0);
    const get = await route.GET(request("GET", "/export/deals.csv?layout=parties"));
    for (const name of ["content-type", "content-disposition", "cache-control"])
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    await get.text();
    expect(opened()).toBe(1);
    // Bad parameters are refused alike.
    expect((await route.HEAD(request("HEAD", "/export/deals.csv?layout=nope"))).status).toBe(400);
  });

  it("answers a chart export's headers", async () => {
    const route = await import("@/app/api/export/stats/[chart]/route");
    const ctx = { params: Promise.resolve({ chart: "summary.csv" }) };
    const head = await route.HEAD(request("HEAD", "/export/stats/summary.csv"), ctx);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/text\/csv/);
    expect(
      (
        await route.HEAD(request("HEAD", "/export/stats/nope.csv"), {
          params: Promise.resolve({ chart: "nope.csv" }),
        })
      ).status,
    ).toBe(404);
  });
});
