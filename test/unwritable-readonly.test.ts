import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import { createApiToken } from "@/db/accounts/auth";
import { isPg } from "@/db/core/dialect";
import { closeDb } from "@/db/core/index";
import { createDeal } from "@/db/deals/deal-writes";
import { dealFixture, testDb, unique } from "./db";

// A server that starts on a read-only database file, and the file becomes writable later. Made for
// real: file modes do not stop root, so when the tests run as root this test file's process (its
// own, as Vitest runs each file in a fork) first gives its files to "nobody" and becomes nobody.

const file = process.env.DATABASE_PATH!;
const files = () => ["", "-wal", "-shm"].map((s) => file + s).filter((f) => fs.existsSync(f));
let token = "";

const post = () =>
  dealsRoute.POST(
    new Request("http://localhost/api/deals", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...dealFixture(), title: unique("Read-only test") }),
    }),
  );
const list = () =>
  dealsRoute.GET(
    new Request("http://localhost/api/deals", { headers: { authorization: `Bearer ${token}` } }),
  );

// A SQLite file's mode; on PostgreSQL see test/accounts.test.ts.
beforeAll(async () => {
  if (isPg) return;
  testDb();
  token = (await createApiToken({ name: "read-only tests", role: "editor" })).secret;
  await createDeal(dealFixture(), { actor: "test" });
  await closeDb(); // the "server" stops…
  if (process.getuid?.() === 0) {
    const nobody = 65534;
    for (const f of [path.dirname(file), ...files()]) fs.chownSync(f, nobody, nobody);
    process.setgid!(nobody);
    process.setuid!(nobody);
  }
  // …its file is made read-only, and it starts again.
  for (const f of files()) fs.chmodSync(f, 0o444);
});

describe.skipIf(isPg)("a server started on a read-only database file", () => {
  it("reads, answers writes 503, and writes as soon as the file is writable again", async () => {
    expect(() => fs.accessSync(file, fs.constants.W_OK)).toThrow(); // really not writable
    const read = await list();
    expect(read.status).toBe(200);
    expect((await read.json()).total).toBe(1);
    for (let i = 0; i < 2; i++) {
      const refused = await post();
      expect(refused.status).toBe(503);
      expect((await refused.json()).error).toMatch(
        /^The database cannot be written: the database file is read-only \(SQLITE_READONLY/,
      );
    }
    for (const f of files()) fs.chmodSync(f, 0o644);
    // No restart: the next write reopens the connection.
    expect((await post()).status).toBe(201);
    expect((await (await list()).json()).total).toBe(2);
  });
});
