import path from "node:path";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createApiToken } from "@/db/accounts/auth";
import { listAuditEvents } from "@/db/audit/events";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { deals, teamMembers, teams } from "@/db/schema";
import { auditQuery } from "@/lib/audit-query";
import type { AuditKind } from "@/lib/enums";
import { emailList } from "@/lib/team-input";
import { createUserAccount } from "@/server/auth/principal";
import { dealFixture, tableCounts, testDb, unique } from "./db";
import { signedInAccount } from "./signed-in";

// Teams (issue 25): managed by admins through /api/teams on the real route handlers and a real
// database (both engines: `npm run test:pg -- unit test/teams.test.ts`).

// The page's Server Actions read the caller from next/headers: here the test supplies the request.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const root = path.resolve(__dirname, "..");
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let adminToken = "";
const people: string[] = [];

async function call(method: string, slug: string | null, body?: unknown, token = adminToken) {
  const route = slug === null ? "teams" : "teams/[slug]";
  const handler = (await import(/* @vite-ignore */ path.join(root, "app/api", route, "route.ts")))[
    method
  ] as Handler;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  const url = `http://localhost/api/teams${slug === null ? "" : `/${slug}`}`;
  return handler(
    new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve<Record<string, string>>(slug === null ? {} : { slug }) },
  );
}

async function latest(kind: AuditKind) {
  return (await listAuditEvents(auditQuery.parse({ kind, pageSize: 1 }))).items[0];
}

const teamCount = async () => (await testDb().select({ n: count() }).from(teams))[0]!.n;

beforeAll(async () => {
  testDb();
  adminToken = (await createApiToken({ name: "teams admin", role: "admin" })).secret;
  for (const name of ["ada", "bo", "cy"]) {
    const email = `${name}-${process.pid}@example.org`;
    await createUserAccount({ name, email, password: "password for tests", role: "viewer" });
    people.push(email);
  }
});

describe("teams through /api/teams", () => {
  it("POST creates a team (201 { id, slug, name, members }), GET lists it, both in the audit log", async () => {
    const [ada, bo] = people as [string, string];
    const name = unique("Research");
    const created = await call("POST", null, { name: `  ${name} `, members: [bo.toUpperCase(), ada, bo] });
    expect(created.status).toBe(201);
    const team = await created.json();
    expect(team).toEqual({
      id: expect.any(Number),
      slug: name.toLowerCase().replace(/\W+/g, "-"),
      name,
      members: [ada, bo].sort(),
    });

    const listed = await call("GET", null);
    expect(listed.status).toBe(200);
    expect((await listed.json()).items).toContainEqual(team);

    const event = await latest("team-created");
    expect(event).toMatchObject({
      actor: 'token "teams admin"',
      detail: { team: name, slug: team.slug, members: [ada, bo].sort() },
    });
  });

  it("a team without members is allowed; two names with one slug get -2", async () => {
    const first = await (await call("POST", null, { name: "R&D" })).json();
    const second = await (await call("POST", null, { name: "R and D" })).json();
    expect(first).toMatchObject({ slug: "r-and-d", members: [] });
    expect(second.slug).toBe("r-and-d-2");
  });

  it("bad input is a 400 naming each field, and writes nothing", async () => {
    const before = await tableCounts();
    const missing = await call("POST", null, { members: "ada" });
    expect(missing.status).toBe(400);
    expect(Object.keys((await missing.json()).fieldErrors).sort()).toEqual(["members", "name"]);

    const bad = await call("POST", null, { name: unique("Legal"), members: [people[0], "not-an-email"] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors).toEqual({ "members.1": ["Enter a valid e-mail address"] });

    const unknown = await call("POST", null, {
      name: unique("Legal"),
      members: [people[0], people[1], "nobody@example.org"],
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).fieldErrors).toEqual({
      "members.2": ["No user has the e-mail address nobody@example.org"],
    });

    const punctuation = await call("POST", null, { name: "—!" });
    expect((await punctuation.json()).fieldErrors.name).toEqual(["Use at least one letter or digit"]);
    expect(await tableCounts()).toEqual(before);
  });

  it("names are unique whatever their case", async () => {
    const name = unique("Sales");
    expect((await call("POST", null, { name })).status).toBe(201);
    const count = await teamCount();
    const again = await call("POST", null, { name: name.toUpperCase() });
    expect(again.status).toBe(400);
    expect((await again.json()).fieldErrors).toEqual({
      name: [`There is a team named “${name}” already`],
    });
    expect(await teamCount()).toBe(count);
  });

  it("PATCH renames (the slug follows) and replaces members; the audit log says who came and went", async () => {
    const [ada, bo, cy] = people as [string, string, string];
    const team = await (await call("POST", null, { name: unique("Ops"), members: [ada, bo] })).json();
    const name = unique("Operations");
    const patched = await call("PATCH", team.slug, { name, members: [bo, cy] });
    expect(patched.status).toBe(200);
    const after = await patched.json();
    expect(after).toEqual({
      id: team.id,
      slug: name.toLowerCase().replace(/\W+/g, "-"),
      name,
      members: [bo, cy].sort(),
    });
    expect(await latest("team-changed")).toMatchObject({
      detail: { team: name, slug: after.slug, renamedFrom: team.name, added: [cy], removed: [ada] },
    });

    // Members only: the name and slug stay.
    const membersOnly = await (await call("PATCH", after.slug, { members: [] })).json();
    expect(membersOnly).toEqual({ ...after, members: [] });
    const event = await latest("team-changed");
    expect(event?.detail).toEqual({ team: name, slug: after.slug, removed: [bo, cy].sort() });

    // Nothing changed: nothing recorded.
    expect((await call("PATCH", after.slug, { name })).status).toBe(200);
    expect(await latest("team-changed")).toEqual(event);
  });

  it("PATCH: 400 for an empty patch, a taken name or an unknown member; 404 for an unknown slug", async () => {
    const taken = await (await call("POST", null, { name: unique("Taken") })).json();
    const team = await (await call("POST", null, { name: unique("Mine") })).json();
    const before = await tableCounts();

    const empty = await call("PATCH", team.slug, {});
    expect(empty.status).toBe(400);
    expect((await empty.json()).fieldErrors).toEqual({ _form: ["Send a new name, new members or both"] });
    const clash = await call("PATCH", team.slug, { name: taken.name.toLowerCase() });
    expect(clash.status).toBe(400);
    expect(Object.keys((await clash.json()).fieldErrors)).toEqual(["name"]);
    const unknown = await call("PATCH", team.slug, { members: ["ghost@example.org"] });
    expect((await unknown.json()).fieldErrors).toEqual({
      "members.0": ["No user has the e-mail address ghost@example.org"],
    });
    const missing = await call("PATCH", "no-such-team", { name: unique("X") });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "Team not found" });
    expect(await tableCounts()).toEqual(before);
  });

  it("DELETE removes the team and its memberships and is audited; an unknown slug is 404", async () => {
    const team = await (await call("POST", null, { name: unique("Temp"), members: [people[0]] })).json();
    const deleted = await call("DELETE", team.slug);
    expect(deleted.status).toBe(204);
    expect(await testDb().select().from(teams).where(eq(teams.id, team.id))).toEqual([]);
    expect(await testDb().select().from(teamMembers).where(eq(teamMembers.teamId, team.id))).toEqual([]);
    expect(await latest("team-deleted")).toMatchObject({
      detail: { team: team.name, slug: team.slug, members: [people[0]] },
    });
    expect((await call("DELETE", team.slug)).status).toBe(404);
  });

  it("DELETE is refused with 409 while a deal, even a deleted one, belongs to the team", async () => {
    const team = await (await call("POST", null, { name: unique("Confidential") })).json();
    const deal = await createDeal(dealFixture(), { actor: "test" });
    await deleteDeal(deal.id, { actor: "test" });
    // Nothing sets a deal's team yet (confidential deals come next): set the column directly.
    const setTeam = (teamId: number | null) =>
      testDb().write((tx) => tx.update(deals).set({ teamId }).where(eq(deals.id, deal.id)));
    await setTeam(team.id);

    const before = await tableCounts();
    const refused = await call("DELETE", team.slug);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatch(/^.+ owns 1 deal \(deleted deals included\), so it cannot/);
    expect(await tableCounts()).toEqual(before);

    await setTeam(null);
    expect((await call("DELETE", team.slug)).status).toBe(204);
  });

  it("a deal's team is not part of the deal API yet", async () => {
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const handler = (await import("@/app/api/deals/[id]/route")).GET;
    const response = await handler(
      new Request(`http://localhost/api/deals/${deal.id}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      }),
      { params: Promise.resolve({ id: String(deal.id) }) },
    );
    expect(Object.keys(await response.json())).not.toContain("teamId");
  });
});

describe("only admins manage teams", () => {
  it("viewer and editor tokens, an admin token without the admin scope and nobody are refused", async () => {
    const team = await (await call("POST", null, { name: unique("Guarded") })).json();
    const viewer = (await createApiToken({ name: unique("viewer"), role: "viewer" })).secret;
    const editor = (await createApiToken({ name: unique("editor"), role: "editor" })).secret;
    const scoped = (
      await createApiToken({ name: unique("scoped"), role: "admin", scopes: ["deals:read", "import"] })
    ).secret;
    const { cookie } = await signedInAccount("editor");
    const before = await tableCounts();
    for (const token of [viewer, editor, scoped]) {
      expect((await call("GET", null, undefined, token)).status).toBe(403);
      expect((await call("POST", null, { name: unique("Nope") }, token)).status).toBe(403);
      expect((await call("PATCH", team.slug, { name: unique("Nope") }, token)).status).toBe(403);
      expect((await call("DELETE", team.slug, undefined, token)).status).toBe(403);
    }
    expect(await (await call("GET", null, undefined, scoped)).json()).toEqual({
      error: "This token lacks the scope admin",
      scope: "admin",
    });
    // A signed-in editor (a session, not a token) is refused by role.
    const { POST } = await import("@/app/api/teams/route");
    const bySession = await POST(
      new Request("http://localhost/api/teams", {
        method: "POST",
        headers: {
          cookie,
          host: "localhost",
          origin: "http://localhost",
          "content-type": "application/json",
        },
        body: JSON.stringify({ name: unique("Nope") }),
      }),
    );
    expect(bySession.status).toBe(403);
    expect(await bySession.json()).toEqual({ error: "This needs the admin role; you are editor" });
    expect((await call("POST", null, { name: unique("Nope") }, "")).status).toBe(401);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("the teams page's actions", () => {
  it("answer the form with each bad member by place, and a refused delete back on the page", async () => {
    const { createTeamAction, deleteTeamAction } = await import("@/app/(dashboard)/settings/team-actions");
    requestHeaders = new Headers({ cookie: (await signedInAccount("admin")).cookie });
    const name = unique("Page team");
    expect(
      await createTeamAction({ status: "idle" }, { name, members: [people[0], "x@nowhere.org"] }),
    ).toEqual({
      status: "invalid",
      fieldErrors: { "members.1": ["No user has the e-mail address x@nowhere.org"] },
    });
    expect(await createTeamAction({ status: "idle" }, { name, members: [people[0]] })).toEqual({
      status: "saved",
      name,
      created: true,
    });

    const [team] = await testDb().select().from(teams).where(eq(teams.name, name));
    const deal = await createDeal(dealFixture(), { actor: "test" });
    await testDb().write((tx) => tx.update(deals).set({ teamId: team!.id }).where(eq(deals.id, deal.id)));
    const form = new FormData();
    form.set("slug", team!.slug);
    const thrown = await deleteTeamAction(form).then(
      () => undefined,
      (error: { digest?: string }) => error.digest,
    );
    expect(decodeURIComponent(thrown ?? "")).toMatch(
      /^NEXT_REDIRECT;replace;\/settings\/teams\?refused=.+ owns 1 deal \(deleted deals included\)/,
    );
    expect(await testDb().select().from(teams).where(eq(teams.id, team!.id))).toHaveLength(1);
  });
});

describe("emailList", () => {
  it("reads one e-mail per line or comma-separated", () => {
    expect(emailList(" a@x.org,b@x.org\n\nc@x.org ;d@x.org,\n")).toEqual([
      "a@x.org",
      "b@x.org",
      "c@x.org",
      "d@x.org",
    ]);
  });
});
