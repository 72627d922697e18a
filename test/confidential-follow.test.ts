import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as chartImage } from "@/app/api/charts/[file]/route";
import { PATCH as patchWebhook } from "@/app/api/webhooks/[id]/route";
import { GET as listWebhooksRoute, POST as postWebhook } from "@/app/api/webhooks/route";
import { DELETE as deleteTeamRoute } from "@/app/api/teams/[slug]/route";
import { GET as companyFeed } from "@/app/feeds/companies/[file]/route";
import { GET as shareChartImage } from "@/app/share/[token]/charts/[file]/route";
import { GET as shareExport } from "@/app/share/[token]/export/[file]/route";
import { createTeam } from "@/db/accounts/teams";
import { createDeal, updateDeal } from "@/db/deals/deal-writes";
import type { DealRecord } from "@/db/types";
import { queueTestDigest } from "@/db/follow/digests";
import { getInbox, replaceFeedKey, unreadCount } from "@/db/follow/inbox";
import { createShareLink, openShareLink } from "@/db/follow/share-links";
import { createView, watch } from "@/db/follow/views";
import { dealFilters } from "@/lib/filters";
import type { DealInputRaw } from "@/lib/validation";
import { renderChartPng } from "@/server/chart-image";
import { runDigests } from "@/server/digests";
import { sharedCharts, sharedDeals } from "@/server/share";
import { deliverDue } from "@/server/webhooks";
import { dealFixture, testDb, unique } from "./db";
import { startMailbox, type Mailbox } from "./mailbox";
import { signedInAccount, type SignedIn } from "./signed-in";

// Confidential deals (issue 25) on the surfaces that follow deals: webhooks, Atom feeds, the inbox,
// e-mail digests, share links and chart images. Each proves that someone outside the deal's team
// does not get it and that a member (and an admin) does, where the surface is theirs. Real local
// HTTP and SMTP servers; both engines: `npm run test:pg -- unit test/confidential-follow.test.ts`.

const AS_ADMIN = { admin: true, memberOf: [] };

let member: SignedIn;
let outsider: SignedIn;
let admin: SignedIn;
let slug = "";
let company = { id: 0, name: "", slug: "" };
let early: DealRecord;
let publicDeal: DealRecord;
let secretDeal: DealRecord;

type Received = { path: string; body: { event: string; data: { deal: Record<string, unknown> } } };
let received: Received[] = [];
let receiver: http.Server;
let base = "";
let mailbox: Mailbox;

/** A deal of the followed company; confidential to the team when `team` is given. */
const dealOf = (title: string, overrides: Partial<DealInputRaw> = {}) =>
  createDeal(
    dealFixture({
      title,
      parties: [{ company: company.name }, { company: unique("Partner") }],
      ...overrides,
    }),
    { actor: "test", viewer: AS_ADMIN },
  );

const headers = (who: SignedIn, body?: unknown): Record<string, string> => ({
  cookie: who.cookie,
  origin: "http://localhost",
  ...(body !== undefined && { "content-type": "application/json" }),
});
const request = (who: SignedIn, url: string, method = "GET", body?: unknown) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: headers(who, body),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const params = <T extends Record<string, string>>(p: T) => ({ params: Promise.resolve(p) });

beforeAll(async () => {
  testDb();
  process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
  process.env.WEBHOOK_ALLOW_HTTP_HOSTS = "127.0.0.1";
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ path: req.url!, body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  mailbox = await startMailbox();
  process.env.SMTP_URL = `smtp://127.0.0.1:${mailbox.port}`;
  process.env.APP_URL = "https://atlas.example.org";

  [member, outsider, admin] = [
    await signedInAccount("viewer"),
    await signedInAccount("viewer"),
    await signedInAccount("admin"),
  ];
  slug = (await createTeam({ name: unique("Mergers"), members: [member.email] }, "test")).slug;
  // Everyone watches a company before its two deals are made: one public, one the team's.
  early = await createDeal(dealFixture(), { actor: "test" });
  company = early.parties[0]!.company;
  for (const who of [member, outsider, admin]) await watch(who.id, { kind: "company", id: company.id });
  publicDeal = await dealOf(unique("Open alliance"));
  secretDeal = await dealOf(unique("Quiet takeover"), { visibility: { team: slug } });
});
afterAll(async () => {
  for (const name of ["ALLOW_PRIVATE_URLS", "WEBHOOK_ALLOW_HTTP_HOSTS", "SMTP_URL", "APP_URL"])
    delete process.env[name];
  receiver.close();
  await mailbox.close();
});

describe("confidential deals: webhooks", () => {
  const EVENTS = ["deal.created", "deal.updated", "deal.deleted"];

  /** Registers an endpoint through POST /api/webhooks; its deliveries arrive at `path`. */
  async function endpoint(path: string, team?: string | null) {
    const response = await postWebhook(
      request(admin, "/api/webhooks", "POST", { url: `${base}${path}`, events: EVENTS, team }),
    );
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: number; team: string | null };
  }
  const to = (path: string) => received.filter((r) => r.path === path).map((r) => r.body);

  it("confidential deals: webhooks — a public endpoint never receives a team's deal; the team's endpoint receives it and public deals", async () => {
    const open = `/open-${unique("e").replace(/\W/g, "")}`;
    const team = `/team-${unique("e").replace(/\W/g, "")}`;
    expect((await endpoint(open)).team).toBeNull();
    expect((await endpoint(team, slug)).team).toBe(slug);
    received = [];
    const pub = await createDeal(dealFixture(), { actor: "test" });
    const secret = await createDeal(dealFixture({ visibility: { team: slug } }), {
      actor: "test",
      viewer: AS_ADMIN,
    });
    await updateDeal(secret.id, dealFixture({ title: secret.title, visibility: { team: slug } }), 1, {
      actor: "test",
      viewer: AS_ADMIN,
    });
    while ((await deliverDue()) > 0);

    expect(to(open).map((b) => [b.event, b.data.deal.id])).toEqual([["deal.created", pub.id]]);
    expect(JSON.stringify(to(open))).not.toContain(secret.title);
    expect(to(team).map((b) => [b.event, b.data.deal.id])).toEqual(
      expect.arrayContaining([
        ["deal.created", pub.id],
        ["deal.created", secret.id],
        ["deal.updated", secret.id],
      ]),
    );
    expect(to(team)).toHaveLength(3);
    expect(to(team).find((b) => b.data.deal.id === secret.id)!.data.deal.visibility).toEqual({ team: slug });
  });

  it("confidential deals: webhooks — made confidential, a public endpoint gets deal.deleted with the id only; made public again, deal.created", async () => {
    const open = `/open-${unique("e").replace(/\W/g, "")}`;
    const team = `/team-${unique("e").replace(/\W/g, "")}`;
    await endpoint(open, null);
    await endpoint(team, slug);
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const hidden = unique("Now secret");
    const parties = deal.parties.map((p) => ({ company: p.company.name, role: p.role }));
    await updateDeal(deal.id, dealFixture({ title: hidden, parties, visibility: { team: slug } }), 1, {
      actor: "test",
      viewer: AS_ADMIN,
    });
    received = [];
    while ((await deliverDue()) > 0);
    expect(to(open).map((b) => b.event)).toEqual(["deal.created", "deal.deleted"]);
    expect(to(open)[1]!.data).toEqual({ deal: { id: deal.id } });
    expect(JSON.stringify(to(open))).not.toContain(hidden);
    expect(to(team).at(-1)).toMatchObject({ event: "deal.updated", data: { deal: { title: hidden } } });

    received = [];
    const shown = unique("Public again");
    await updateDeal(deal.id, dealFixture({ title: shown, parties, visibility: "everyone" }), 2, {
      actor: "test",
      viewer: AS_ADMIN,
    });
    while ((await deliverDue()) > 0);
    expect(to(open)).toMatchObject([
      { event: "deal.created", data: { deal: { id: deal.id, title: shown } } },
    ]);
    expect(to(team)).toMatchObject([
      { event: "deal.updated", data: { deal: { id: deal.id, title: shown } } },
    ]);
  });

  it("confidential deals: webhooks — the API: team in the answer and the list, PATCH changes it, an unknown team is a 400 on team, a team with endpoints is not deleted", async () => {
    const unknown = await postWebhook(
      request(admin, "/api/webhooks", "POST", { url: `${base}/x`, events: EVENTS, team: "no-such-team" }),
    );
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).fieldErrors.team).toEqual(['There is no team "no-such-team"']);

    const { id } = await endpoint("/patched");
    const patch = (body: unknown) =>
      patchWebhook(request(admin, `/api/webhooks/${id}`, "PATCH", body), params({ id: String(id) }));
    const patched = await patch({ team: slug });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, team: slug, events: EVENTS });
    const listed = (await (await listWebhooksRoute(request(admin, "/api/webhooks"))).json()).items;
    expect(listed.find((w: { id: number }) => w.id === id).team).toBe(slug);
    const bad = await patch({ team: "no-such-team" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).fieldErrors.team).toBeDefined();
    expect((await patch({})).status).toBe(400);

    const other = await createTeam({ name: unique("Listeners"), members: [] }, "test");
    await patch({ team: other.slug });
    const refused = await deleteTeamRoute(
      request(admin, `/api/teams/${other.slug}`, "DELETE"),
      params({ slug: other.slug }),
    );
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain("1 webhook endpoint is registered for");
    expect(await (await patch({ team: null })).json()).toMatchObject({ team: null });
    const deleted = await deleteTeamRoute(
      request(admin, `/api/teams/${other.slug}`, "DELETE"),
      params({ slug: other.slug }),
    );
    expect(deleted.status).toBe(204);
  });
});

describe("confidential deals: feeds", () => {
  async function feed(who: SignedIn) {
    const key = await replaceFeedKey(who.id);
    const file = `${company.slug}.atom`;
    const response = await companyFeed(
      new Request(`http://localhost/feeds/companies/${file}?key=${key}`),
      params({ file }),
    );
    expect(response.status).toBe(200);
    return response.text();
  }

  it("confidential deals: feeds — a user's feed lists the team's deal for its members and admins only", async () => {
    const [asMember, asOutsider, asAdmin] = [await feed(member), await feed(outsider), await feed(admin)];
    for (const xml of [asMember, asOutsider, asAdmin]) expect(xml).toContain(publicDeal.title);
    expect(asMember).toContain(secretDeal.title);
    expect(asAdmin).toContain(secretDeal.title);
    expect(asOutsider).not.toContain(secretDeal.title);
    expect(asOutsider).not.toContain(`/deals/${secretDeal.id}`);
  });

  it("confidential deals: feeds — without a key there is no feed at all", async () => {
    const file = `${company.slug}.atom`;
    const response = await companyFeed(
      new Request(`http://localhost/feeds/companies/${file}`),
      params({ file }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain(secretDeal.title);
  });
});

describe("confidential deals: inbox", () => {
  it("confidential deals: inbox — the team's deal is in its members' and admins' inboxes and unread counts only", async () => {
    const titles = async (userId: string) =>
      (await getInbox(userId)).groups.flatMap((g) => g.items.map((i) => i.dealTitle));
    expect(await titles(outsider.id)).toEqual([publicDeal.title]);
    expect((await titles(member.id)).sort()).toEqual([publicDeal.title, secretDeal.title].sort());
    expect((await titles(admin.id)).sort()).toEqual([publicDeal.title, secretDeal.title].sort());
    expect(await unreadCount(outsider.id)).toBe(1);
    expect(await unreadCount(member.id)).toBe(2);
    expect(await unreadCount(admin.id)).toBe(2);
  });
});

describe("confidential deals: digests", { timeout: 30_000 }, () => {
  it("confidential deals: digests — the recipient's digest and its chart hold the team's deal for members only", async () => {
    const now = () => new Date();
    for (const who of [member, outsider]) await queueTestDigest(who.id, now());
    while ((await runDigests(now)) > 0);
    const mailTo = (who: SignedIn) =>
      mailbox.received.find((m) => m.to && !Array.isArray(m.to) && m.to.text.includes(who.email))!;
    const [toMember, toOutsider] = [mailTo(member), mailTo(outsider)];
    for (const mail of [toMember, toOutsider]) {
      expect(mail.text).toContain(publicDeal.title);
      expect(mail.html).toContain(publicDeal.title);
    }
    expect(toMember.text).toContain(secretDeal.title);
    expect(toOutsider.text).not.toContain(secretDeal.title);
    expect(toOutsider.html).not.toContain(secretDeal.title);

    // The chart (the first watch's deals over time) counts what each may see: the member's is drawn
    // with the team's deal, the outsider's is the public one.
    const chart = (mail: typeof toMember) =>
      mail.attachments.find((a) => a.filename === "chart.png")!.content;
    const publicChart = await renderChartPng(
      {
        widget: "deals-over-time",
        filters: { ...dealFilters.parse({}), company: [company.slug] },
        options: { interval: "auto" },
        width: 600,
        height: 300,
        scale: 2,
      },
      null,
    );
    expect(chart(toOutsider).equals(publicChart)).toBe(true);
    expect(chart(toMember).equals(publicChart)).toBe(false);
  });
});

describe("confidential deals: share links and chart images", () => {
  /** A link to `path` made by `who` (a member of the team, or an admin). */
  async function link(who: SignedIn, path: string) {
    const view = await createView(who, { name: unique("Shared"), path, shared: false });
    const { token } = await createShareLink(view.id, who, { allowExport: true });
    return token;
  }

  it("confidential deals: share links — anyone with the link sees public deals only, though a member or an admin made it", async () => {
    for (const who of [member, admin]) {
      const token = await link(who, `/deals?company=${company.slug}`);
      const share = (await openShareLink(token))!;
      const page = await sharedDeals(share, "1");
      expect(page.items.map((d) => d.id).sort()).toEqual([early.id, publicDeal.id].sort());
      const csv = await (
        await shareExport(
          new Request(`http://localhost/share/${token}/export/deals.csv`),
          params({ token, file: "deals.csv" }),
        )
      ).text();
      expect(csv).toContain(publicDeal.title);
      expect(csv).not.toContain(secretDeal.title);

      const dashboard = (await openShareLink(await link(who, `/?company=${company.slug}`)))!;
      const { summary } = await sharedCharts(dashboard);
      expect(JSON.stringify(summary)).not.toContain(secretDeal.title);
      expect(summary!.rows[0]).toEqual(["deals", 2]); // the company's public deals
    }
  });

  it("confidential deals: chart images — a share link's image counts public deals; /api/charts counts the team's deal for members and admins only", async () => {
    const token = await link(member, `/?company=${company.slug}`);
    const file = "deals-over-time.svg";
    const shared = await (
      await shareChartImage(
        new Request(`http://localhost/share/${token}/charts/${file}`),
        params({ token, file }),
      )
    ).text();
    expect(shared).toContain("2 deals ·"); // the company's public deals

    const image = async (who: SignedIn) => {
      const response = await chartImage(
        request(who, `/api/charts/${file}?company=${encodeURIComponent(company.slug)}`),
        params({ file }),
      );
      expect(response.status).toBe(200);
      return response.text();
    };
    expect(await image(outsider)).toContain("2 deals ·");
    expect(await image(member)).toContain("3 deals ·");
    expect(await image(admin)).toContain("3 deals ·");
  });
});
