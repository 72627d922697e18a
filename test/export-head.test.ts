import { beforeAll, describe, expect, it, vi } from "vitest";
import * as connection from "@/db/connection";
import { createApiToken } from "@/db/auth";
import { createDeal } from "@/db/deal-writes";
import { dealFixture, testDb } from "./db";

// HEAD on an export answers with GET's headers and opens nothing: no read-only connection is left
// behind waiting for a body nobody reads.

vi.mock("@/db/connection", async (original) => {
  const actual = await original<typeof import("@/db/connection")>();
  return { ...actual, openDatabase: vi.fn(actual.openDatabase) };
});

let token = "";
beforeAll(async () => {
  testDb();
  createDeal(dealFixture(), { actor: "test" });
  token = (await createApiToken({ name: "head", role: "viewer" })).secret;
});

const request = (method: string, path: string) =>
  new Request(`http://localhost/api${path}`, { method, headers: { authorization: `Bearer ${token}` } });

describe("HEAD on exports", () => {
  it("answers the deals export's headers without opening a connection", async () => {
    const route = await import("@/app/api/export/deals.csv/route");
    const opened = vi.mocked(connection.openDatabase);
    opened.mockClear();
    const head = await route.HEAD(request("HEAD", "/export/deals.csv?layout=parties"));
    expect(head.status).toBe(200);
    expect(opened).not.toHaveBeenCalled();
    const get = await route.GET(request("GET", "/export/deals.csv?layout=parties"));
    expect(opened).toHaveBeenCalledTimes(1);
    for (const name of ["content-type", "content-disposition", "cache-control"])
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    await get.text();
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
