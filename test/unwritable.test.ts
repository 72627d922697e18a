import { execFileSync } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import Database from "better-sqlite3";
import { createApiToken } from "@/db/accounts/auth";
import { isPg } from "@/db/core/dialect";
import { getDb } from "@/db/core/index";
import { createUserAccount } from "@/server/auth/principal";
import { resetSignInLimits } from "@/server/auth/sign-in";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// A disk that refuses writes, made for real even as root: RLIMIT_FSIZE of this test process is
// lowered so that SQLite's next write to its WAL file fails in the kernel (EFBIG: SQLITE_IOERR_WRITE).
// A full disk (ENOSPC) cannot be made without a small file system to fill; SQLite's own page limit
// (max_page_count) raises the very same SQLITE_FULL through the same write path, so it stands in.

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

let token = "";
const email = `writer-${process.pid}@example.org`;
const password = "password for tests";

const postDeal = () =>
  dealsRoute.POST(
    new Request("http://localhost/api/deals", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        title: unique("Disk test deal"),
        announcedOn: "2024-01-02",
        types: ["mou"],
        binding: "non_binding",
        // Long enough to need new pages of the file.
        summary: "A long summary. ".repeat(600),
        parties: [
          { company: unique("Disk Alpha"), role: "partner" },
          { company: unique("Disk Beta"), role: "partner" },
        ],
        sources: [{ url: "https://example.org/disk" }],
      }),
    }),
  );
const listDeals = () =>
  dealsRoute.GET(
    new Request("http://localhost/api/deals?pageSize=1", { headers: { authorization: `Bearer ${token}` } }),
  );
const signIn = async () => {
  const { POST } = await import("@/app/api/session/route");
  return POST(
    new Request("http://localhost/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", host: "localhost", origin: "http://localhost" },
      body: JSON.stringify({ email, password }),
    }),
  );
};

/** Makes the disk refuse writes ("io": EFBIG from the kernel; "full": SQLITE_FULL), or not ("ok"). */
let pageLimit = 0;
function disk(state: "io" | "full" | "ok") {
  const { internals } = getDb();
  if (internals.engine !== "sqlite") throw new Error("SQLite only");
  const client = internals.writer;
  if (state === "io") client.pragma("wal_checkpoint(TRUNCATE)"); // the next write starts the WAL
  // Soft limit only, so the test can lift it again.
  execFileSync("prlimit", [`--pid=${process.pid}`, `--fsize=${state === "io" ? 0 : "unlimited"}:`]);
  if (state === "full") {
    pageLimit = client.pragma("max_page_count", { simple: true }) as number;
    client.pragma(`max_page_count = ${client.pragma("page_count", { simple: true })}`);
  } else if (pageLimit) {
    client.pragma(`max_page_count = ${pageLimit}`);
    pageLimit = 0;
  }
}

// A SQLite file under a process file-size limit; PostgreSQL's own refusals (read-only transaction,
// disk full) are mapped by the same function and proven in test/accounts.test.ts.
beforeAll(async () => {
  if (isPg) return;
  // Exceeding the limit sends SIGXFSZ, which would end the process; with a handler the write fails.
  process.on("SIGXFSZ", () => {});
  testDb();
  token = (await createApiToken({ name: "disk tests", role: "editor" })).secret;
  await createUserAccount({ name: "Writer", email, password, role: "editor" });
});
afterEach(() => {
  if (!isPg) disk("ok");
});

describe.skipIf(isPg)("a disk that refuses writes", () => {
  for (const [state, code] of [
    ["io", "SQLITE_IOERR"],
    ["full", "SQLITE_FULL"],
  ] as const) {
    it(`answers writes 503 (${code}), keeps reads working, and writes again once the disk does`, async () => {
      const before = await tableCounts();
      disk(state);
      const refused = await postDeal();
      expect(refused.status).toBe(503);
      const body = await refused.json();
      expect(body.error).toMatch(/^The database cannot be written: /);
      expect(body.error).toContain(code);
      expect((await listDeals()).status).toBe(200);
      disk("ok");
      expect(await tableCounts()).toEqual(before);
      expect((await postDeal()).status).toBe(201);
      // Checked on a fresh connection: FTS5's integrity check trusts a connection's cached index
      // structure, so a reader that has not searched since another connection wrote reports a
      // checksum mismatch (SQLite 3.53) although every search on it is right.
      const check = new Database((getDb().internals as { file: string }).file, { readonly: true });
      expect(check.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
      check.close();
    });
  }

  it("sign-in says so (503) instead of 'wrong password', and does not count it as a failure", async () => {
    await resetSignInLimits();
    disk("io");
    for (let i = 0; i < 6; i++) {
      const response = await signIn();
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatch(/^The database cannot be written/);
    }
    disk("ok");
    // Six refusals would have locked the account for a minute had they counted.
    expect((await signIn()).status).toBe(200);
  });

  it("the deal form shows the message instead of failing", async () => {
    const { saveDeal } = await import("@/app/(dashboard)/deals/actions");
    const cookie = (await signIn()).headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    requestHeaders = new Headers({ cookie });
    disk("io");
    const state = await saveDeal({ status: "idle" }, { values: dealFixture() });
    expect(state).toMatchObject({
      status: "error",
      message: expect.stringMatching(/^The database cannot be written/),
    });
  });
});
