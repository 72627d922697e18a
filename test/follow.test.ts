import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { setUserActive } from "@/db/accounts/auth";
import { feedKeyCreatedAt, getInbox, markInboxRead, replaceFeedKey, unreadCount } from "@/db/follow/inbox";
import { migrateDatabase } from "@/db/core/migrate";
import { userFollow } from "@/db/schema";
import { createDeal, updateDeal } from "@/db/deals/deal-writes";
import { getCompanyBySlug } from "@/db/directory/directory";
import { createView, watch } from "@/db/follow/views";
import { createApiToken } from "@/db/accounts/auth";
import { dealFixture, tableCounts, testDb, unique } from "./db";
import { signedInAccount, type SignedIn } from "./signed-in";

// Saved views, watches and the inbox, and the Atom feeds, through their real routes and tables.

type Account = SignedIn;
const accounts: Record<"ann" | "ben" | "admin", Account> = {} as never;

const account = (role: "viewer" | "admin"): Promise<Account> => signedInAccount(role);

beforeAll(async () => {
  testDb();
  accounts.ann = await account("viewer");
  accounts.ben = await account("viewer");
  accounts.admin = await account("admin");
});

function call(
  // Each route types its own params; the test hands every one the params it names.
  handler: (r: Request, c: never) => Promise<Response>,
  who: Account,
  init: { method?: string; body?: unknown; params?: Record<string, string>; url?: string } = {},
) {
  return handler(
    new Request(`http://localhost${init.url ?? "/api/views"}`, {
      method: init.method ?? "GET",
      headers: {
        cookie: who.cookie,
        host: "localhost",
        origin: "http://localhost",
        "content-type": "application/json",
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    { params: Promise.resolve(init.params ?? {}) } as never,
  );
}

const viewsRoute = () => import("@/app/api/views/route");
const viewRoute = () => import("@/app/api/views/[id]/route");

describe("saved views API", () => {
  it("saves a valid path, normalised, and lists own and shared views", async () => {
    const { POST, GET } = await viewsRoute();
    const created = await call(POST, accounts.ann, {
      method: "POST",
      body: { name: "6G MoUs", path: "/deals?technology=6g&type=mou", shared: false },
    });
    expect(created.status).toBe(201);
    const view = await created.json();
    expect(view).toMatchObject({ name: "6G MoUs", path: "/deals?technology=6g&type=mou", mine: true });
    await createView(
      { id: accounts.ben.id, role: "viewer" },
      { name: unique("Ben shared"), path: "/timeline?groupBy=technology", shared: true },
    );
    await createView(
      { id: accounts.ben.id, role: "viewer" },
      { name: unique("Ben private"), path: "/network", shared: false },
    );
    const list = await (await call(GET, accounts.ann)).json();
    const names = list.items.map((v: { name: string }) => v.name);
    expect(names).toContain("6G MoUs");
    expect(names.some((n: string) => n.startsWith("Ben shared"))).toBe(true);
    expect(names.some((n: string) => n.startsWith("Ben private"))).toBe(false);
  });

  it("refuses bad filters, unknown pages and unknown parameters with field errors, writing nothing", async () => {
    const { POST } = await viewsRoute();
    const before = await tableCounts();
    const bad = async (path: string) => {
      const response = await call(POST, accounts.ann, { method: "POST", body: { name: "x", path } });
      expect(response.status, path).toBe(400);
      return (await response.json()).fieldErrors;
    };
    expect(Object.keys(await bad("/deals?type=handshake"))).toEqual(["type"]);
    expect(Object.keys(await bad("/deals?from=2024-13-01&colour=red")).sort()).toEqual(["colour", "from"]);
    expect(Object.keys(await bad("/settings/users"))).toEqual(["path"]);
    expect(Object.keys(await bad("https://evil.example/deals"))).toEqual(["path"]);
    expect(Object.keys(await bad("/timeline?groupBy=planet"))).toEqual(["groupBy"]);
    const empty = await call(POST, accounts.ann, { method: "POST", body: { name: " ", path: 3 } });
    expect(Object.keys((await empty.json()).fieldErrors).sort()).toEqual(["name", "path"]);
    expect(await tableCounts()).toEqual(before);
  });

  it("someone else's private view is 404; a shared one is read-only to others; admins may delete it", async () => {
    const { GET, PATCH, DELETE } = await viewRoute();
    const ben = { id: accounts.ben.id, role: "viewer" as const };
    const secret = await createView(ben, { name: unique("Secret"), path: "/deals", shared: false });
    const shared = await createView(ben, { name: unique("Team"), path: "/deals?type=mou", shared: true });
    const at = (id: number) => ({ params: { id: String(id) } });
    expect((await call(GET, accounts.ann, at(secret.id))).status).toBe(404);
    expect(
      (await call(PATCH, accounts.ann, { ...at(secret.id), method: "PATCH", body: { name: "Mine" } })).status,
    ).toBe(404);
    expect((await call(DELETE, accounts.admin, { ...at(secret.id), method: "DELETE" })).status).toBe(404);
    expect((await call(GET, accounts.ann, at(shared.id))).status).toBe(200);
    expect(
      (await call(PATCH, accounts.ann, { ...at(shared.id), method: "PATCH", body: { name: "Mine" } })).status,
    ).toBe(403);
    expect((await call(DELETE, accounts.ann, { ...at(shared.id), method: "DELETE" })).status).toBe(403);
    const renamed = await call(PATCH, accounts.ben, {
      ...at(shared.id),
      method: "PATCH",
      body: { name: "Renamed", shared: false },
    });
    expect(await renamed.json()).toMatchObject({ name: "Renamed", shared: false });
    expect((await call(GET, accounts.ann, at(shared.id))).status).toBe(404);
    await call(PATCH, accounts.ben, { ...at(shared.id), method: "PATCH", body: { shared: true } });
    expect((await call(DELETE, accounts.admin, { ...at(shared.id), method: "DELETE" })).status).toBe(204);
    expect((await call(GET, accounts.ben, at(shared.id))).status).toBe(404);
    const badPatch = await call(PATCH, accounts.ben, {
      ...at(secret.id),
      method: "PATCH",
      body: { colour: "red" },
    });
    expect(badPatch.status).toBe(400);
    expect((await call(GET, accounts.ben, { params: { id: "abc" } })).status).toBe(404);
  });

  it("an API token cannot own views (403)", async () => {
    const { GET } = await viewsRoute();
    const token = await createApiToken({ name: unique("script"), role: "admin" });
    const response = await GET(
      new Request("http://localhost/api/views", { headers: { authorization: `Bearer ${token.secret}` } }),
    );
    expect(response.status).toBe(403);
  });
});

describe("watches and the inbox", () => {
  it("shows changes to watched deals after the watch began, grouped, newest first, until marked read", async () => {
    const user = await account("viewer");
    const early = await createDeal(dealFixture(), { actor: "test" });
    const company = early.parties[0]!.company;
    await watch(user.id, { kind: "company", id: company.id });
    const view = await createView(
      { id: user.id, role: "viewer" },
      { name: "MoUs", path: "/deals?type=mou", shared: false },
    );
    await watch(user.id, { kind: "view", id: view.id });
    expect((await getInbox(user.id)).unread).toBe(0);

    const added = await createDeal(
      dealFixture({ parties: [{ company: company.name }, { company: unique("Gamma") }] }),
      {
        actor: "Eddie Editor",
      },
    );
    const changed = await updateDeal(
      early.id,
      {
        ...dealFixture(),
        title: unique("Renamed deal"),
        parties: early.parties.map((p) => ({ company: p.company.name, role: p.role })),
      },
      early.version,
      { actor: "Eddie Editor" },
    );
    const elsewhere = await createDeal(dealFixture({ types: ["licensing"] }), { actor: "test" });

    const inbox = await getInbox(user.id);
    const byCompany = inbox.groups.find((g) => g.watch.kind === "company")!;
    expect(byCompany.watch.label).toBe(company.name);
    expect(byCompany.items.map((i) => i.dealId)).toEqual([changed.id, added.id]);
    expect(byCompany.items[0]!.changedFields).toEqual(expect.arrayContaining(["title"]));
    const byView = inbox.groups.find((g) => g.watch.kind === "view")!;
    expect(byView.items.map((i) => i.dealId)).not.toContain(elsewhere.id);
    // The same change under two watches counts once.
    expect(inbox.unread).toBe(2);
    // The navigation's cached count agrees, and follows every write below.
    expect(await unreadCount(user.id)).toBe(2);

    await markInboxRead(user.id, inbox.newestRevisionId);
    expect((await getInbox(user.id)).unread).toBe(0);
    expect(await unreadCount(user.id)).toBe(0);
    await createDeal(dealFixture({ parties: [{ company: company.name }, { company: unique("Delta") }] }), {
      actor: "x",
    });
    expect((await getInbox(user.id)).unread).toBe(1);
    expect(await unreadCount(user.id)).toBe(1);
    expect(await getCompanyBySlug(company.slug)).toBeTruthy();
  });
});

describe("Atom feeds", () => {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => ["entry", "link", "category"].includes(name),
  });
  const feed = async (route: string, url: string, file: string, headers: Record<string, string> = {}) => {
    const mod = await import(route);
    return (mod.GET as (r: Request, c: unknown) => Promise<Response>)(
      new Request(`http://localhost${url}`, { headers }),
      {
        params: Promise.resolve({ file }),
      },
    );
  };

  it("a company feed is valid Atom with the RFC 4287 required elements, and answers 304 to its ETag", async () => {
    const user = await account("viewer");
    const key = await replaceFeedKey(user.id);
    const deal = await createDeal(dealFixture({ summary: "Five <G> & more" }), { actor: "test" });
    const slug = deal.parties[0]!.company.slug;
    const response = await feed(
      "@/app/feeds/companies/[file]/route",
      `/feeds/companies/${slug}.atom?key=${key}`,
      `${slug}.atom`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const xml = await response.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml).feed;
    expect(doc["@_xmlns"]).toBe("http://www.w3.org/2005/Atom");
    for (const required of ["id", "title", "updated", "author"]) expect(doc[required], required).toBeTruthy();
    expect(Number.isNaN(Date.parse(doc.updated))).toBe(false);
    expect(doc.entry).toHaveLength(1);
    const entry = doc.entry[0];
    for (const required of ["id", "title", "updated"]) expect(entry[required], required).toBeTruthy();
    expect(entry.title).toBe(deal.title);
    expect(entry.link[0]["@_href"]).toBe(`http://localhost/deals/${deal.id}`);
    expect(entry.summary["#text"]).toContain("Five <G> & more");

    const etag = response.headers.get("etag")!;
    const again = await feed(
      "@/app/feeds/companies/[file]/route",
      `/feeds/companies/${slug}.atom?key=${key}`,
      `${slug}.atom`,
      { "if-none-match": etag },
    );
    expect(again.status).toBe(304);
    const since = await feed(
      "@/app/feeds/companies/[file]/route",
      `/feeds/companies/${slug}.atom?key=${key}`,
      `${slug}.atom`,
      { "if-modified-since": response.headers.get("last-modified")! },
    );
    expect(since.status).toBe(304);
  });

  it("view and technology feeds list matching deals; a private view of someone else is 404", async () => {
    const user = await account("viewer");
    const other = await account("viewer");
    const key = await replaceFeedKey(user.id);
    const deal = await createDeal(dealFixture({ technologies: [unique("Quantum")] }), { actor: "test" });
    const area = deal.technologies[0]!.slug;
    const tech = await feed(
      "@/app/feeds/technologies/[file]/route",
      `/feeds/technologies/${area}.atom?key=${key}`,
      `${area}.atom`,
    );
    expect(tech.status).toBe(200);
    expect(await tech.text()).toContain(`/deals/${deal.id}`);
    const mine = await createView(
      { id: user.id, role: "viewer" },
      { name: "Quantum", path: `/technologies/${area}`, shared: false },
    );
    const view = await feed(
      "@/app/feeds/views/[file]/route",
      `/feeds/views/${mine.id}.atom?key=${key}`,
      `${mine.id}.atom`,
    );
    expect(await view.text()).toContain(`/deals/${deal.id}`);
    const theirs = await createView(
      { id: other.id, role: "viewer" },
      { name: "Theirs", path: "/deals", shared: false },
    );
    expect(
      (
        await feed(
          "@/app/feeds/views/[file]/route",
          `/feeds/views/${theirs.id}.atom?key=${key}`,
          `${theirs.id}.atom`,
        )
      ).status,
    ).toBe(404);
  });

  it("a wrong or replaced key, a missing key and a deactivated user are all 404", async () => {
    const user = await account("viewer");
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const slug = deal.parties[0]!.company.slug;
    const get = (key: string) =>
      feed(
        "@/app/feeds/companies/[file]/route",
        `/feeds/companies/${slug}.atom?key=${encodeURIComponent(key)}`,
        `${slug}.atom`,
      );
    const old = await replaceFeedKey(user.id);
    expect((await get(old)).status).toBe(200);
    expect((await get("af_wrongwrongwrongwrongwrong")).status).toBe(404);
    const fresh = await replaceFeedKey(user.id);
    expect((await get(old)).status).toBe(404);
    expect((await get(fresh)).status).toBe(200);
    expect(
      (await feed("@/app/feeds/companies/[file]/route", `/feeds/companies/${slug}.atom`, `${slug}.atom`))
        .status,
    ).toBe(400);
    await setUserActive(user.id, false);
    expect((await get(fresh)).status).toBe(404);
  });

  it("the feed-key API says whether there is a key; POST makes one and answers it once", async () => {
    const user = await account("viewer");
    const { GET, POST } = await import("@/app/api/me/feed-key/route");
    expect(await (await call(GET, user, { url: "/api/me/feed-key" })).json()).toEqual({ createdAt: null });
    const first = (await (await call(POST, user, { url: "/api/me/feed-key", method: "POST" })).json()).key;
    expect(first).toMatch(/^af_/);
    const status = await (await call(GET, user, { url: "/api/me/feed-key" })).json();
    expect(status).toEqual({ createdAt: expect.any(String) });
    expect(JSON.stringify(status)).not.toContain(first);
    const second = (await (await call(POST, user, { url: "/api/me/feed-key", method: "POST" })).json()).key;
    expect(second).not.toBe(first);
  });

  const storedKey = async (userId: string) =>
    (
      await testDb().select({ key: userFollow.feedKey }).from(userFollow).where(eq(userFollow.userId, userId))
    )[0]?.key;

  it("the database holds only a hash of the feed key", async () => {
    const user = await account("viewer");
    const key = await replaceFeedKey(user.id);
    const stored = await storedKey(user.id);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(key.slice(3));
    expect(await feedKeyCreatedAt(user.id)).toBeInstanceOf(Date);
  });

  it("a key stored in plaintext by an older version keeps working after the migration step hashes it", async () => {
    const user = await account("viewer");
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const slug = deal.parties[0]!.company.slug;
    const old = "af_plaintextkeyfromanolderversion0001";
    await testDb().write((tx) =>
      tx.insert(userFollow).values({ userId: user.id, feedKey: old, feedKeyCreatedAt: new Date() }),
    );
    await migrateDatabase(testDb());
    expect(await storedKey(user.id)).toMatch(/^[0-9a-f]{64}$/);
    const response = await feed(
      "@/app/feeds/companies/[file]/route",
      `/feeds/companies/${slug}.atom?key=${old}`,
      `${slug}.atom`,
    );
    expect(response.status).toBe(200);
  });

  it("deactivating a user clears their feed key: it does not come back with reactivation", async () => {
    const user = await account("viewer");
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const slug = deal.parties[0]!.company.slug;
    const key = await replaceFeedKey(user.id);
    const get = () =>
      feed("@/app/feeds/companies/[file]/route", `/feeds/companies/${slug}.atom?key=${key}`, `${slug}.atom`);
    expect((await get()).status).toBe(200);
    await setUserActive(user.id, false);
    await setUserActive(user.id, true);
    expect((await get()).status).toBe(404);
    expect(await feedKeyCreatedAt(user.id)).toBeNull();
  });
});
