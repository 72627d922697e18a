import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTeam } from "@/db/accounts/teams";
import { seedRealDeals } from "@/db/ops/seed";
import { createCompany, createTechnology } from "@/db/directory/directory";
import { companyInput } from "@/lib/validation";
import { rebuildStatCounts, STAT_TABLES } from "@/db/stats/stat-counts";
import { WIDGET_NAMES, WIDGETS } from "@/lib/widgets";
import type { DealRecord } from "@/db/types";
import { dealFixture, tableCounts, testDb, unique } from "./db";
import { signedInAccount, type SignedIn } from "./signed-in";

// Confidential deals (issue 25) on the surfaces of the deals themselves: a deal kept by a team is,
// for anyone outside it, absent from the deal API, the list, search, every chart (the per-bucket
// counts' path and the base tables' alike), the timeline, the network, compare and the exports —
// and there for the team's members and admins. The strongest form of "absent": an outsider's answer
// is byte for byte the same before the deal exists and after. Both engines:
// `npm run test:pg -- unit test/confidential.test.ts`.

const root = path.resolve(__dirname, "..");
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls the app's route handler for `url` (its file found from the path) as `who`. */
async function call(who: SignedIn, method: string, url: string, body?: unknown): Promise<Response> {
  const { pathname } = new URL(url, "http://localhost");
  const parts = pathname.split("/").filter(Boolean);
  const params: Record<string, string> = {};
  let dir = path.join(root, "app");
  for (const part of parts) {
    const literal = path.join(dir, part);
    if (fs.existsSync(literal)) {
      dir = literal;
      continue;
    }
    const dynamic = fs.readdirSync(dir).find((d) => /^\[\w+\]$/.test(d));
    if (!dynamic) throw new Error(`No route for ${pathname}`);
    params[dynamic.slice(1, -1)] = part;
    dir = path.join(dir, dynamic);
  }
  const handler = (await import(/* @vite-ignore */ path.join(dir, "route.ts")))[method] as Handler;
  const headers: Record<string, string> = { cookie: who.cookie, origin: "http://localhost" };
  if (body !== undefined) headers["content-type"] = "application/json";
  return handler(
    new Request(`http://localhost${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
}

async function text(who: SignedIn, url: string): Promise<string> {
  const response = await call(who, "GET", url);
  expect(response.status, url).toBe(200);
  return response.text();
}

let member: SignedIn;
let outsider: SignedIn;
let admin: SignedIn;
let slug = "";
const word = `zephyrine${process.pid}`;
const nimbus = unique("Nimbus Robotics");

/** Every widget's JSON, over all deals (the counts' path) and filters that read the base tables. */
const FILTERS = [
  "",
  "?company=SKT",
  "?technology=5G",
  // One country and cross-border: their keyed counts (db/stats/key-counts.ts), as one area's.
  "?country=KR",
  "?crossBorder=0&rollup=1",
  "?q=partnership",
  "?rollup=1&type=mou",
  "?from=2019-01-01",
];
function widgetUrls(): string[] {
  return WIDGET_NAMES.flatMap((name) =>
    name.startsWith("compare-")
      ? [`/api/${WIDGETS[name].endpoint}?company=SKT&company=Microsoft`]
      : FILTERS.map((f) => `/api/${WIDGETS[name].endpoint}${f}`),
  );
}
const OTHER_URLS = [
  "/api/companies?q=SK%20Telecom",
  "/api/companies/sk-telecom",
  "/api/technologies",
  "/api/deals",
  "/api/deals?company=SKT",
  `/api/deals?q=${word}`,
  "/api/deals?q=partnership",
  "/api/compare?company=SKT&company=Microsoft",
  "/api/export/deals.csv",
  "/api/export/deals.csv?company=SKT&layout=parties",
  "/api/export/stats/top-companies.csv",
  "/api/export/compare.csv?company=SKT&company=Microsoft",
];

/** What `who` reads on every URL, as text (exports' dates are the day's, so stable in a test). */
async function everything(who: SignedIn): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const url of [...widgetUrls(), ...OTHER_URLS]) answers.set(url, await text(who, url));
  return answers;
}

let before: Map<string, string>;
let secret: DealRecord;

beforeAll(async () => {
  await seedRealDeals(testDb());
  [member, outsider, admin] = await Promise.all([
    signedInAccount("editor"),
    signedInAccount("editor"),
    signedInAccount("admin"),
  ]);
  slug = (await createTeam({ name: unique("M&A"), members: [member.email] }, "test")).slug;
  // Its companies and areas may be public (the issue): made beforehand, only the deal is the secret.
  await createCompany(companyInput.parse({ name: nimbus }));
  await createTechnology("Robotics");
  before = await everything(outsider);
  const created = await call(
    member,
    "POST",
    "/api/deals",
    dealFixture({
      title: `SK Telecom and Nimbus ${word} joint venture`,
      types: ["joint_venture", "mou"],
      binding: "binding",
      announcedOn: "2024-06-03",
      parties: [
        { company: "SK Telecom", role: "partner" },
        { company: nimbus, role: "partner" },
      ],
      technologies: ["5G", "Robotics"],
      summary: "A partnership nobody outside the team may know of.",
      visibility: { team: slug },
    }),
  );
  expect(created.status).toBe(201);
  secret = await created.json();
}, 120_000);

describe("confidential deals", () => {
  it("are created with the team's visibility in the API shape", () => {
    expect(secret.visibility).toEqual({ team: slug });
  });

  it("do not change one byte of what an outsider reads: every chart, timeline, network, compare, list, search, export and company or area count", async () => {
    const after = await everything(outsider);
    for (const [url, answer] of before) expect(after.get(url), url).toBe(answer);
  }, 120_000);

  it("are in the team member's and the admin's lists, search, counts, timeline, network and exports", async () => {
    for (const who of [member, admin]) {
      const found = await (await call(who, "GET", `/api/deals?q=${word}`)).json();
      expect(found.items.map((d: DealRecord) => d.id)).toEqual([secret.id]);
      const all = await (await call(who, "GET", "/api/stats/summary")).json();
      const outside = await (await call(outsider, "GET", "/api/stats/summary")).json();
      expect(all.deals).toBe(outside.deals + 1);
      const types = await (await call(who, "GET", "/api/stats/deal-types?company=SKT")).json();
      const outsideTypes = await (await call(outsider, "GET", "/api/stats/deal-types?company=SKT")).json();
      const jv = (t: { types: { type: string; deals: number }[] }) =>
        t.types.find((x) => x.type === "joint_venture")?.deals ?? 0;
      expect(jv(types)).toBe(jv(outsideTypes) + 1);
      const timeline = await (await call(who, "GET", "/api/timeline?company=SKT")).json();
      expect(JSON.stringify(timeline)).toContain(word);
      const network = await (await call(who, "GET", "/api/network?company=SKT")).json();
      expect(
        network.nodes.map((n: { name: string }) => n.name).some((n: string) => n.includes("Nimbus")),
      ).toBe(true);
      expect(await text(who, "/api/export/deals.csv")).toContain(word);
      // One area's and one country's widgets (their keyed counts) with the team's deal added.
      const areas = async (as: SignedIn) =>
        (await (await call(as, "GET", "/api/stats/technologies?country=KR")).json()) as {
          slug: string;
          deals: number;
        }[];
      const robotics = (rows: { slug: string; deals: number }[]) =>
        rows.find((r) => r.slug === "robotics")?.deals ?? 0;
      expect(robotics(await areas(who))).toBe(robotics(await areas(outsider)) + 1);
      const top = await (await call(who, "GET", "/api/stats/top-companies?technology=Robotics")).json();
      expect(top.map((c: { name: string }) => c.name)).toContain(nimbus);
    }
  });

  it("are a 404 by id for an outsider — read, edit, delete, restore — and change nothing", async () => {
    const counts = await tableCounts();
    const url = `/api/deals/${secret.id}`;
    expect((await call(outsider, "GET", url)).status).toBe(404);
    expect((await call(outsider, "GET", `${url}?includeDeleted=1`)).status).toBe(404);
    expect((await call(outsider, "PATCH", url, { version: secret.version, title: "Leaked" })).status).toBe(
      404,
    );
    expect((await call(outsider, "DELETE", url)).status).toBe(404);
    expect((await call(outsider, "POST", `${url}/restore`)).status).toBe(404);
    // A new deal may not name it as the deal it expands: it does not exist for them.
    const expanding = await call(outsider, "POST", "/api/deals", dealFixture({ expandsDealId: secret.id }));
    expect(expanding.status).toBe(400);
    expect((await expanding.json()).fieldErrors.expandsDealId).toBeDefined();
    expect(await tableCounts()).toEqual(counts);
    for (const who of [member, admin]) expect((await call(who, "GET", url)).status).toBe(200);
  });

  it("are made only by the team's members and admins: anyone else gets a field error on visibility", async () => {
    const counts = await tableCounts();
    for (const visibility of [{ team: slug }, { team: "no-such-team" }]) {
      const refused = await call(outsider, "POST", "/api/deals", dealFixture({ visibility }));
      expect(refused.status).toBe(400);
      expect((await refused.json()).fieldErrors.visibility).toEqual([
        `You are not a member of a team "${visibility.team}"`,
      ]);
    }
    const bad = await call(member, "POST", "/api/deals", { ...dealFixture(), visibility: "team" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors.visibility).toBeDefined();
    expect(await tableCounts()).toEqual(counts);
    const byAdmin = await call(admin, "POST", "/api/deals", dealFixture({ visibility: { team: slug } }));
    expect(byAdmin.status).toBe(201);
    expect((await byAdmin.json()).visibility).toEqual({ team: slug });
  });

  it("keep their visibility when an edit does not send it, and leave the outsider's view when made confidential", async () => {
    const made = await (
      await call(member, "POST", "/api/deals", dealFixture({ title: `${word} public first` }))
    ).json();
    expect(made.visibility).toBe("everyone");
    expect((await call(outsider, "GET", `/api/deals/${made.id}`)).status).toBe(200);
    const hidden = await call(member, "PATCH", `/api/deals/${made.id}`, {
      version: made.version,
      visibility: { team: slug },
    });
    expect(hidden.status).toBe(200);
    const edited = await call(member, "PATCH", `/api/deals/${made.id}`, {
      version: made.version + 1,
      summary: "Edited without naming the visibility",
    });
    expect((await edited.json()).visibility).toEqual({ team: slug });
    expect((await call(outsider, "GET", `/api/deals/${made.id}`)).status).toBe(404);
    const outsiderList = await (await call(outsider, "GET", `/api/deals?q=${word}`)).json();
    expect(outsiderList.total).toBe(0);
    const shown = await call(member, "PATCH", `/api/deals/${made.id}`, {
      version: made.version + 2,
      visibility: "everyone",
    });
    expect(shown.status).toBe(200);
    expect((await call(outsider, "GET", `/api/deals/${made.id}`)).status).toBe(200);
  });

  it("are not in the per-bucket counts, which still equal a rebuild", async () => {
    const db = testDb();
    const read = async () => {
      const out: Record<string, unknown> = {};
      for (const table of STAT_TABLES) {
        const { rows } = await db.execute(sql`SELECT * FROM ${sql.identifier(table)} WHERE deals <> 0`);
        out[table] = rows.map((r) => JSON.stringify(r)).sort();
      }
      // The filter keys hold public deals only (db/stats/deal-keys.ts).
      const { rows } = await db.execute(sql`SELECT kind, key_id, deal_id FROM stat_deal_keys`);
      out.stat_deal_keys = rows.map((r) => JSON.stringify(r)).sort();
      return out;
    };
    const kept = await read();
    await db.write((tx) => rebuildStatCounts(tx));
    expect(await read()).toEqual(kept);
  });
});
