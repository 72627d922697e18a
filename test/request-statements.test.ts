import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listDealsRoute } from "@/app/api/deals/route";
import { createApiToken, setUserActive, setUserRole } from "@/db/accounts/auth";
import { getPrincipal } from "@/server/auth/principal";
import { testDb } from "./db";
import { signedInAccount, type SignedIn } from "./signed-in";

// Every API request first finds out who is asking (issue 26): a token or a session and, for a
// user, their role, status and teams. That work is paid on every request, so it is counted here in
// statements, and every change to who may do what must still apply to the very next request.

/**
 * The text of each statement the database receives while `fn` runs, on every connection a request
 * reads through: our reader and writer and better-auth's own (SQLite), or the pools (PostgreSQL).
 */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const internals = testDb().internals;
  const texts: string[] = [];
  const undo: (() => void)[] = [];
  if (internals.engine === "sqlite") {
    const auth = (globalThis as { atlasAuthConnection?: typeof internals.reader }).atlasAuthConnection;
    for (const conn of new Set([internals.reader, internals.writer, ...(auth ? [auth] : [])])) {
      const prepare = conn.prepare.bind(conn);
      conn.prepare = ((source: string) => {
        texts.push(source);
        return prepare(source);
      }) as typeof conn.prepare;
      undo.push(() => delete (conn as { prepare?: unknown }).prepare); // back to the prototype's
    }
  } else {
    for (const pool of new Set<pg.Pool>([internals.primary, internals.reader])) {
      const query = pool.query.bind(pool) as (...a: unknown[]) => unknown;
      pool.query = ((...args: unknown[]) => {
        const [first] = args as [string | { text: string }];
        texts.push(typeof first === "string" ? first : first.text);
        return query(...args);
      }) as typeof pool.query;
      undo.push(() => delete (pool as { query?: unknown }).query);
    }
  }
  try {
    await fn();
  } finally {
    for (const step of undo) step();
  }
  return texts;
}

const sessionHeaders = (account: SignedIn) => new Headers({ cookie: account.cookie });
const listAs = (headers: Record<string, string>) =>
  listDealsRoute(new Request("http://localhost/api/deals?pageSize=1", { headers }));

let viewer: SignedIn;

beforeAll(async () => {
  testDb();
  // Role changes are refused while no active admin would be left.
  await signedInAccount("admin");
  viewer = await signedInAccount("viewer");
  // Warm: the first request opens better-auth's connection and prepares its statements.
  await getPrincipal(sessionHeaders(viewer));
});

describe("who is asking, per request", { timeout: 60_000 }, () => {
  it("reads a signed-in user's session, user row and teams once each", async () => {
    const texts = await statementsDuring(async () => {
      const principal = await getPrincipal(sessionHeaders(viewer));
      expect(principal).toMatchObject({ kind: "user", id: viewer.id, role: "viewer" });
    });
    // The session, its user (role and status, fresh from the table) and the user's teams: no
    // statement twice.
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(3);
  });

  it("reads an API token in one statement", async () => {
    const { secret } = await createApiToken({ name: "statements", role: "viewer" });
    await getPrincipal(new Headers({ authorization: `Bearer ${secret}` })); // records its first use
    const texts = await statementsDuring(() =>
      getPrincipal(new Headers({ authorization: `Bearer ${secret}` })),
    );
    expect(texts).toHaveLength(1);
  });

  it("applies a role change and a deactivation to the signed-in user's very next request", async () => {
    const account = await signedInAccount("editor");
    const headers = sessionHeaders(account);
    expect(await getPrincipal(headers)).toMatchObject({ role: "editor" });
    await setUserRole(account.id, "viewer");
    expect(await getPrincipal(headers)).toMatchObject({ role: "viewer" });
    // Over HTTP too: the list answers a viewer, then nobody once the account is deactivated.
    expect((await listAs({ cookie: account.cookie })).status).toBe(200);
    await setUserActive(account.id, false);
    expect(await getPrincipal(headers)).toBeNull();
    expect((await listAs({ cookie: account.cookie })).status).toBe(401);
  });

  it("applies joining and leaving a team to the user's very next request", async () => {
    const { createTeam, updateTeam } = await import("@/db/accounts/teams");
    const account = await signedInAccount("viewer");
    const memberOf = async () => (await getPrincipal(sessionHeaders(account)))!.viewer.memberOf;
    expect(await memberOf()).toEqual([]);
    const team = await createTeam({ name: `Statements ${account.id}`, members: [account.email] }, "test");
    expect(await memberOf()).toEqual([team.id]);
    await updateTeam(team.slug, { members: [] }, "test");
    expect(await memberOf()).toEqual([]);
  });
});
