import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { createApiToken, revokeApiToken, setUserActive, setUserRole } from "@/db/accounts/auth";
import { listAuditEvents, recordAudit } from "@/db/audit/events";
import { createDeal } from "@/db/deals/deal-writes";
import { createShareLink } from "@/db/follow/share-links";
import { createView } from "@/db/follow/views";
import { apiTokens, auditEvents } from "@/db/schema";
import { API_SCOPES, type ApiScope, type AuditKind } from "@/lib/enums";
import { auditQuery } from "@/lib/audit-query";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { resetSignInLimits } from "@/server/auth/sign-in";
import { pruneWhenDue } from "@/server/webhooks";
import { dealFixture, testDb, unique } from "./db";

// Issue 25, parts 3 and 4: scoped API tokens and the security audit log, on the real route
// handlers and a real database (both engines: `npm run test:pg -- unit test/audit-and-tokens.test.ts`).

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const PASSWORD = "password for tests";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(
  route: string,
  method: string,
  url: string,
  init: { token?: string; body?: string; contentType?: string; headers?: Record<string, string> } = {},
  params: Record<string, string> = {},
) {
  const handler = (await import(/* @vite-ignore */ path.join(root, "app/api", route, "route.ts")))[
    method
  ] as Handler;
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body) headers["content-type"] = init.contentType ?? "application/json";
  return handler(new Request(`http://localhost${url}`, { method, headers, body: init.body }), {
    params: Promise.resolve(params),
  });
}

async function events(kind: AuditKind) {
  return (await listAuditEvents(auditQuery.parse({ kind, pageSize: 500 }))).items;
}
const latest = async (kind: AuditKind) => (await events(kind))[0];

let admin: { id: string; email: string };
let editor: { id: string; email: string };
const adminActor = () => ({ name: "Admin <admin>", userId: admin.id });

beforeAll(async () => {
  testDb();
  for (const role of ["admin", "editor"] as const) {
    const email = `${role}-${process.pid}@example.org`;
    const user = await createUserAccount({ name: role, email, password: PASSWORD, role });
    if (role === "admin") admin = { id: user.id, email };
    else editor = { id: user.id, email };
  }
});

// ---------------------------------------------------------------------------------------------
// Scopes: one representative call per scope.

const scopeCall = (scope: ApiScope, token: string): Promise<Response> => {
  switch (scope) {
    case "deals:read":
      return call("deals", "GET", "/api/deals?pageSize=1", { token });
    case "stats:read":
      return call("stats/summary", "GET", "/api/stats/summary", { token });
    case "export":
      return call("export/deals.csv", "GET", "/api/export/deals.csv", { token });
    case "deals:write":
      return call("deals", "POST", "/api/deals", {
        token,
        body: JSON.stringify({
          title: unique("Scoped deal"),
          announcedOn: "2024-01-01",
          types: ["mou"],
          parties: [{ company: unique("S1") }, { company: unique("S2") }],
          sources: [{ url: "https://example.org/s" }],
        }),
      });
    case "companies:write":
      return call("technologies", "POST", "/api/technologies", {
        token,
        body: JSON.stringify({ name: unique("Scoped area") }),
      });
    case "import":
      return call("import", "POST", "/api/import?dryRun=1", {
        token,
        body: "title,announced\nImported,2024-01-01\n",
        contentType: "text/csv",
      });
    case "admin":
      return call("audit", "GET", "/api/audit", { token });
  }
};

describe("scoped API tokens", () => {
  for (const scope of API_SCOPES) {
    it(`${scope}: a token holding it may; one holding every other scope gets 403 naming it`, async () => {
      const only = await createApiToken({ name: unique(`only ${scope}`), scopes: [scope] });
      const response = await scopeCall(scope, only.secret);
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      await response.body?.cancel();
      const others = await createApiToken({
        name: unique(`all but ${scope}`),
        role: "admin",
        scopes: API_SCOPES.filter((s) => s !== scope),
      });
      const refused = await scopeCall(scope, others.secret);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: `This token lacks the scope ${scope}`, scope });
    });
  }

  it("a token with scopes gets the least role that holds them, and no scope beyond its role", async () => {
    expect((await createApiToken({ name: unique("r"), scopes: ["deals:read"] })).role).toBe("viewer");
    expect((await createApiToken({ name: unique("w"), scopes: ["deals:read", "import"] })).role).toBe(
      "editor",
    );
    expect((await createApiToken({ name: unique("a"), scopes: ["admin"] })).role).toBe("admin");
    await expect(
      createApiToken({ name: unique("too much"), role: "viewer", scopes: ["deals:write"] }),
    ).rejects.toMatchObject({ fieldErrors: { scopes: ["A viewer token cannot hold deals:write"] } });
  });

  it("an expired token is a 401; before its expiry it works", async () => {
    const token = await createApiToken({
      name: unique("expiring"),
      scopes: ["deals:read"],
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect((await scopeCall("deals:read", token.secret)).status).toBe(200);
    await testDb().write((tx) =>
      tx
        .update(apiTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(apiTokens.id, token.id)),
    );
    const expired = await scopeCall("deals:read", token.secret);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error).toMatch(/expired/);
    await expect(
      createApiToken({ name: unique("past"), role: "viewer", expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toMatchObject({ fieldErrors: { expiresAt: expect.any(Array) } });
  });

  it("tokens made before scopes keep their role's meaning", async () => {
    const viewer = await createApiToken({ name: unique("legacy viewer"), role: "viewer" });
    const legacyEditor = await createApiToken({ name: unique("legacy editor"), role: "editor" });
    const legacyAdmin = await createApiToken({ name: unique("legacy admin"), role: "admin" });
    const [row] = await testDb().select().from(apiTokens).where(eq(apiTokens.id, viewer.id));
    expect(row!.scopes).toBeNull();
    for (const scope of ["deals:read", "stats:read", "export"] as const) {
      const answer = await scopeCall(scope, viewer.secret);
      expect(answer.status).toBe(200);
      await answer.body?.cancel();
    }
    expect(await (await scopeCall("deals:write", viewer.secret)).json()).toMatchObject({
      scope: "deals:write",
    });
    for (const scope of ["deals:write", "companies:write", "import"] as const)
      expect((await scopeCall(scope, legacyEditor.secret)).status).toBeLessThan(300);
    expect((await scopeCall("admin", legacyEditor.secret)).status).toBe(403);
    expect((await scopeCall("admin", legacyAdmin.secret)).status).toBe(200);
  });

  it("a scoped token made by a user loses the scopes its creator's role no longer holds", async () => {
    const maker = await createUserAccount({
      name: "Maker",
      email: `${unique("maker").replace(/\W/g, "")}@example.org`,
      password: PASSWORD,
      role: "editor",
    });
    const token = await createApiToken({
      name: unique("made"),
      scopes: ["deals:read", "deals:write"],
      createdByUserId: maker.id,
    });
    expect((await scopeCall("deals:write", token.secret)).status).toBe(201);
    await setUserRole(maker.id, "viewer", adminActor());
    expect(await (await scopeCall("deals:write", token.secret)).json()).toMatchObject({
      scope: "deals:write",
    });
    expect((await scopeCall("deals:read", token.secret)).status).toBe(200);
  });

  it("npm run token:create takes --scope (repeatable) and --expires, and refuses unknown scopes", async () => {
    const run = (args: string[]) =>
      spawnSync(tsx, ["--conditions=react-server", "scripts/token-create.ts", ...args], {
        cwd: root,
        env: process.env,
        encoding: "utf8",
      });
    const name = unique("cli");
    const made = run([
      "--name",
      name,
      "--scope",
      "deals:read",
      "--scope",
      "export",
      "--expires",
      "2099-06-30",
    ]);
    expect(made.status, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    expect(secret).toMatch(/^pat_/);
    const [row] = await testDb().select().from(apiTokens).where(eq(apiTokens.name, name));
    expect(row).toMatchObject({ role: "viewer", scopes: ["deals:read", "export"] });
    // The token works through its last day, UTC.
    expect(row!.expiresAt!.toISOString()).toBe("2099-07-01T00:00:00.000Z");
    expect((await scopeCall("deals:read", secret)).status).toBe(200);
    expect((await scopeCall("stats:read", secret)).status).toBe(403);
    expect(await latest("token-created")).toMatchObject({
      actor: "command line",
      detail: { name, scopes: ["deals:read", "export"] },
    });

    const bad = run(["--name", unique("bad"), "--scope", "deals:delete", "--expires", "someday"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--scope: Use scopes from/);
    expect(bad.stderr).toMatch(/--expires: Use a date like 2027-06-30/);
  });
});

// ---------------------------------------------------------------------------------------------

function sessionRequest(method: string, body?: unknown, cookie?: string) {
  return new Request("http://localhost/api/session", {
    method,
    headers: {
      "content-type": "application/json",
      host: "localhost",
      origin: "http://localhost",
      "x-forwarded-for": "198.51.100.23",
      ...(cookie && { cookie }),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

describe("the security audit log records", () => {
  it("sign-ins, failed sign-ins and sign-outs, with the client's address", async () => {
    process.env.TRUST_PROXY = "1";
    onTestFinished(() => {
      delete process.env.TRUST_PROXY;
    });
    await resetSignInLimits();
    const { POST, DELETE } = await import("@/app/api/session/route");
    expect(
      (await POST(sessionRequest("POST", { email: editor.email, password: "wrong password" }))).status,
    ).toBe(401);
    expect(await latest("sign-in-failed")).toMatchObject({
      actor: editor.email,
      kind: "sign-in-failed",
      detail: { email: editor.email, reason: "wrong email or password" },
      ip: "198.51.100.23",
    });
    const ok = await POST(sessionRequest("POST", { email: editor.email, password: PASSWORD }));
    expect(ok.status).toBe(200);
    expect(await latest("sign-in")).toMatchObject({
      actor: `editor <${editor.email}>`,
      detail: { method: "password" },
      ip: "198.51.100.23",
    });
    const cookie = ok.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect((await DELETE(sessionRequest("DELETE", undefined, cookie))).status).toBe(204);
    expect(await latest("sign-out")).toMatchObject({
      actor: `editor <${editor.email}>`,
      ip: "198.51.100.23",
    });
  });

  it("a sign-in made without our sign-in path (as single sign-on does) through better-auth's session hook", async () => {
    const before = (await events("sign-in")).length;
    await getAuth().api.signInEmail({ body: { email: admin.email, password: PASSWORD } });
    const after = await events("sign-in");
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ actor: `admin <${admin.email}>` });
  });

  it("a deactivated user's sign-in as a failure, not a sign-in", async () => {
    await resetSignInLimits();
    const email = `${unique("gone").replace(/\W/g, "")}@example.org`;
    const user = await createUserAccount({ name: "Gone", email, password: PASSWORD, role: "viewer" });
    await setUserActive(user.id, false, adminActor());
    const signIns = (await events("sign-in")).length;
    const { POST } = await import("@/app/api/session/route");
    expect((await POST(sessionRequest("POST", { email, password: PASSWORD }))).status).toBe(401);
    expect((await events("sign-in")).length).toBe(signIns);
    expect(await latest("sign-in-failed")).toMatchObject({ detail: { email, reason: "deactivated" } });
  });

  it("role changes, deactivation and reactivation, by whom and for whom", async () => {
    const email = `${unique("subject").replace(/\W/g, "")}@example.org`;
    const user = await createUserAccount({ name: "Subject", email, password: PASSWORD, role: "viewer" });
    await setUserRole(user.id, "editor", adminActor());
    expect(await latest("role-changed")).toMatchObject({
      actor: "Admin <admin>",
      detail: { userId: user.id, email, from: "viewer", to: "editor" },
    });
    const count = (await events("role-changed")).length;
    await setUserRole(user.id, "editor", adminActor()); // no change: nothing to record
    expect((await events("role-changed")).length).toBe(count);
    await setUserActive(user.id, false, adminActor());
    expect(await latest("user-deactivated")).toMatchObject({
      actor: "Admin <admin>",
      detail: { userId: user.id },
    });
    await setUserActive(user.id, true, adminActor());
    expect(await latest("user-reactivated")).toMatchObject({ detail: { userId: user.id, email } });
  });

  it("token creation and revocation", async () => {
    const name = unique("audited");
    const token = await createApiToken({
      name,
      scopes: ["deals:read"],
      expiresAt: new Date("2099-01-01T00:00:00Z"),
      createdByUserId: admin.id,
      by: adminActor(),
    });
    expect(await latest("token-created")).toMatchObject({
      actor: "Admin <admin>",
      detail: {
        tokenId: token.id,
        name,
        role: "viewer",
        scopes: ["deals:read"],
        expiresAt: "2099-01-01T00:00:00.000Z",
      },
    });
    await revokeApiToken(token.id, adminActor());
    expect(await latest("token-revoked")).toMatchObject({
      actor: "Admin <admin>",
      detail: { tokenId: token.id, name },
    });
  });

  it("share-link creation", async () => {
    const user = { id: admin.id, role: "admin" as const, actor: adminActor() };
    const view = await createView(user, { name: unique("Shared"), path: "/deals?type=mou", shared: false });
    const link = await createShareLink(view.id, user, { allowExport: true });
    expect(await latest("share-link-created")).toMatchObject({
      actor: "Admin <admin>",
      detail: { linkId: link.id, viewId: view.id, allowExport: true, expiresAt: null },
    });
  });

  it("exports: who, which filters and how many rows were sent", async () => {
    for (let i = 0; i < 3; i++) await createDeal(dealFixture({ types: ["licensing"] }), { actor: "test" });
    await createDeal(dealFixture({ types: ["acquisition"] }), { actor: "test" });
    const token = await createApiToken({ name: unique("exporter"), scopes: ["export"] });
    const response = await call(
      "export/deals.csv",
      "GET",
      "/api/export/deals.csv?type=licensing&layout=deals",
      {
        token: token.secret,
      },
    );
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { columns: true }) as unknown[];
    expect(rows).toHaveLength(3);
    await vi.waitFor(async () =>
      expect(await latest("export")).toMatchObject({
        actor: `token "${token.name}"`,
        detail: { file: expect.stringMatching(/\.csv$/), filters: "?type=licensing", rows: 3 },
      }),
    );
    const chart = await call(
      "export/stats/[chart]",
      "GET",
      "/api/export/stats/deal-types.csv?type=licensing",
      { token: token.secret },
      { chart: "deal-types.csv" },
    );
    const chartRows = (parse(await chart.text()) as unknown[]).length - 1;
    expect(await latest("export")).toMatchObject({ detail: { filters: "?type=licensing", rows: chartRows } });
  });

  it.skipIf(Boolean(process.env.TEST_PG_URL))(
    "backups made with npm run db:backup (SQLite only: PostgreSQL is backed up with pg_dump)",
    async () => {
      const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "atlas-audit-")), "backup.db");
      onTestFinished(() => fs.rmSync(path.dirname(target), { recursive: true, force: true }));
      const result = spawnSync(tsx, ["--conditions=react-server", "scripts/db-backup.ts", "--to", target], {
        cwd: root,
        env: process.env,
        encoding: "utf8",
      });
      expect(result.status, result.stderr).toBe(0);
      expect(await latest("backup")).toMatchObject({ actor: "command line", detail: { to: target } });
    },
  );
});

describe("reading the audit log", () => {
  it("GET /api/audit filters by kind, user and date and pages like /api/deals; admins only", async () => {
    const admins = await createApiToken({ name: unique("auditor"), scopes: ["admin"] });
    for (let i = 0; i < 3; i++)
      await recordAudit("backup", { actor: { name: "Admin <admin>", userId: admin.id }, detail: { n: i } });
    const get = async (query: string, token = admins.secret) =>
      call("audit", "GET", `/api/audit${query}`, { token });
    const all = await (await get("?kind=backup&user=" + admin.id)).json();
    expect(all.total).toBe(3);
    const page = await (await get(`?kind=backup&user=${admin.id}&pageSize=2&page=2`)).json();
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items).toEqual([
      { at: expect.any(String), actor: "Admin <admin>", kind: "backup", detail: { n: 0 }, ip: null },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await (await get(`?kind=backup&user=${admin.id}&from=${today}&to=${today}`)).json()).total).toBe(
      3,
    );
    expect((await (await get(`?kind=backup&user=${admin.id}&to=2000-01-01`)).json()).total).toBe(0);

    const bad = await get("?kind=party&from=yesterday&colour=red");
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["colour", "from", "kind"]);
    const editorToken = await createApiToken({ name: unique("not admin"), role: "editor" });
    expect((await get("", editorToken.secret)).status).toBe(403);
  });

  it("the CSV export guards against formula injection", async () => {
    await recordAudit("sign-in-failed", { actor: '=HYPERLINK("http://evil")', detail: { reason: "x" } });
    const token = await createApiToken({ name: unique("csv auditor"), role: "admin" });
    const response = await call("export/audit.csv", "GET", "/api/export/audit.csv?kind=sign-in-failed", {
      token: token.secret,
    });
    expect(response.status).toBe(200);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ Actor: '\'=HYPERLINK("http://evil")', Kind: "sign-in-failed" });
  });

  it("events past AUDIT_RETENTION_DAYS are pruned by the webhook worker", async () => {
    process.env.AUDIT_RETENTION_DAYS = "30";
    onTestFinished(() => {
      delete process.env.AUDIT_RETENTION_DAYS;
    });
    await recordAudit("backup", { actor: "old", detail: { old: true } });
    await recordAudit("backup", { actor: "recent", detail: { old: false } });
    const day = 24 * 60 * 60_000;
    await testDb().write((tx) =>
      tx
        .update(auditEvents)
        .set({ at: new Date(Date.now() - 31 * day) })
        .where(eq(auditEvents.actor, "old")),
    );
    await pruneWhenDue(new Date(Date.now() + 2 * 60 * 60_000));
    const left = await testDb()
      .select({ actor: auditEvents.actor })
      .from(auditEvents)
      .where(sql`${auditEvents.actor} IN ('old', 'recent')`);
    expect(left).toEqual([{ actor: "recent" }]);
  });
});

describe("recording never fails the action it records", () => {
  it("with the audit table gone, role changes, tokens and exports still succeed", async () => {
    const db = testDb();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await db.write((tx) => tx.execute(sql`ALTER TABLE audit_events RENAME TO audit_events_away`));
    onTestFinished(async () => {
      logged.mockRestore();
      await db.write((tx) => tx.execute(sql`ALTER TABLE audit_events_away RENAME TO audit_events`));
    });
    const user = await createUserAccount({
      name: "Unlogged",
      email: `${unique("unlogged").replace(/\W/g, "")}@example.org`,
      password: PASSWORD,
      role: "viewer",
    });
    expect(await setUserRole(user.id, "editor", adminActor())).toMatchObject({ role: "editor" });
    const token = await createApiToken({ name: unique("unlogged"), role: "admin", by: adminActor() });
    expect(token.secret).toMatch(/^pat_/);
    const response = await call("export/deals.csv", "GET", "/api/export/deals.csv", { token: token.secret });
    expect(response.status).toBe(200);
    await response.text();
    expect(await revokeApiToken(token.id, adminActor())).toEqual({ id: token.id, name: token.name });
    await vi.waitFor(() =>
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(/Could not record the audit event export/),
        expect.anything(),
      ),
    );
    expect(logged).toHaveBeenCalledWith(
      expect.stringMatching(/Could not record the audit event role-changed/),
      expect.anything(),
    );
  });
});
