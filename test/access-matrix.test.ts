import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { createApiToken, revokeApiToken } from "@/db/accounts/auth";
import { createTeam } from "@/db/accounts/teams";
import { mergeCompanies } from "@/db/directory/companies";
import { createCompany, createTechnology } from "@/db/directory/directory";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { createShareLink } from "@/db/follow/share-links";
import { createView } from "@/db/follow/views";
import { createWebhook } from "@/db/follow/webhooks";
import { createSource } from "@/db/news/sources";
import type { UserRole } from "@/lib/enums";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { resetSignInLimits } from "@/server/auth/sign-in";
import { eq, sql } from "drizzle-orm";
import { candidates, deals, newsItems, newsSources, revisions } from "@/db/schema";
import { API_SCOPES, type ApiScope } from "@/lib/enums";
import { SCOPE_ROLE } from "@/lib/scopes";
import { openApiDocument } from "@/server/openapi";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// Walks every route handler and every Server Action found in app/ as anonymous, viewer, editor,
// admin and a revoked token, and checks the status and that refused calls changed nothing. A new
// handler or action without an entry below fails the test, so none can be forgotten.

// Server Actions read the caller from next/headers; here the test supplies that request context.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => {},
    delete: () => {},
  }),
}));
// Pages call connection() to opt out of prerendering; outside Next there is no request scope.
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => {},
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const ROOT = path.resolve(__dirname, "..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
type Who = "anonymous" | "viewer" | "editor" | "admin" | "revoked";
const WHO: Who[] = ["anonymous", "viewer", "editor", "admin", "revoked"];
const RANK: Record<UserRole, number> = { viewer: 1, editor: 2, admin: 3 };

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}
const appFiles = walk(path.join(ROOT, "app"));

// ---------------------------------------------------------------------------------------------
// What each route needs, and a valid request for it (built fresh, with its own data, per call).

type RouteCase = {
  role: UserRole | "public";
  /** Routes for what belongs to a person: called with each role's session cookie, not a token. */
  session?: true;
  build: (userId: string) => RouteRequest | Promise<RouteRequest>;
};
type RouteRequest = { url: string; body?: unknown; params: Record<string, string>; contentType?: string };

const liveDeal = () => createDeal(dealFixture(), { actor: "matrix" });
const company = () =>
  createCompany({
    name: unique("Matrix firm"),
    aliases: [],
    country: null,
    sector: null,
    website: null,
    parent: null,
  });
const area = () => createTechnology(unique("Matrix tech"));
/** A merge of two fresh companies, for the undo cases. */
const mergedPair = async () =>
  (await mergeCompanies((await company()).slug, (await company()).slug, "matrix")).mergeId;
/** A webhook endpoint (that no event subscribes to, so it never adds outbox rows). */
const hook = async () =>
  (await createWebhook({ url: "https://93.184.215.14/matrix", events: ["import.completed"] }, null)).id;
/** A team without members, for the cases that change or delete one. */
const team = async () => (await createTeam({ name: unique("Matrix team"), members: [] }, "matrix")).slug;
/** A private view of `userId`'s, for the cases that change or delete one. */
const ownView = async (userId: string) =>
  String(
    (
      await createView(
        { id: userId, role: "viewer" },
        { name: unique("Matrix view"), path: "/deals?type=mou", shared: false },
      )
    ).id,
  );
/** A local, empty JSON Feed for the news-source cases; ALLOW_PRIVATE_URLS lets the guard reach it. */
let feedServer: Promise<string> | undefined;
const localFeed = async () => {
  feedServer ??= new Promise((resolve) => {
    process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    const feed = JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "Matrix", items: [] });
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { "content-type": "application/feed+json" }).end(feed),
    );
    server.listen(0, "127.0.0.1", () => {
      server.unref();
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
  return `${await feedServer}/${unique("feed").replace(/\W/g, "")}.json`;
};
const newsSource = async () =>
  (
    await createSource(
      { name: unique("Matrix source"), url: await localFeed(), pageUrl: null, format: "json" },
      null,
    )
  ).id;
/** A waiting candidate with one feed item, drafted as a valid deal, for the decision cases. */
const waitingCandidate = async () =>
  String(
    await testDb().write(async (tx) => {
      const name = unique("Matrix feed");
      const [source] = await tx
        .insert(newsSources)
        .values({
          name,
          url: `https://news.example/${name.replace(/\W/g, "-")}.xml`,
          nextFetchAt: new Date(),
        })
        .returning({ id: newsSources.id });
      const fixture = dealFixture();
      const [row] = await tx
        .insert(candidates)
        .values({
          kind: "deal",
          reason: "matrix",
          draft: { draft: { ...fixture, sources: [] }, passage: null, change: null },
        })
        .returning({ id: candidates.id });
      const link = `https://news.example/${name.replace(/\W/g, "-")}/item`;
      await tx.insert(newsItems).values({
        sourceId: source!.id,
        guid: link,
        canonicalUrl: link,
        contentHash: link,
        title: fixture.title,
        url: link,
        publishedAt: new Date(),
        content: "matrix",
        candidateId: row!.id,
        processedAt: new Date(),
      });
      return row!.id;
    }),
  );
const ROUTES: Record<string, RouteCase> = {
  "GET /api/candidates": { role: "editor", build: () => ({ url: "/api/candidates?pageSize=1", params: {} }) },
  "POST /api/candidates/[id]/accept": {
    role: "editor",
    build: async () => ({ url: "/api/candidates/x/accept", params: { id: await waitingCandidate() } }),
  },
  "POST /api/candidates/[id]/attach": {
    role: "editor",
    build: async () => ({
      url: "/api/candidates/x/attach",
      params: { id: await waitingCandidate() },
      body: { dealId: (await liveDeal()).id },
    }),
  },
  "POST /api/candidates/[id]/dismiss": {
    role: "editor",
    build: async () => ({
      url: "/api/candidates/x/dismiss",
      params: { id: await waitingCandidate() },
      body: { reason: "out_of_scope" },
    }),
  },
  "GET /api/deals": { role: "viewer", build: () => ({ url: "/api/deals?pageSize=1", params: {} }) },
  "POST /api/deals": {
    role: "editor",
    build: () => ({
      url: "/api/deals",
      params: {},
      body: {
        title: unique("Matrix deal"),
        announcedOn: "2024-01-01",
        types: ["mou"],
        parties: [{ company: unique("M1") }, { company: unique("M2") }],
        sources: [{ url: "https://example.org/m" }],
      },
    }),
  },
  "GET /api/deals/[id]": {
    role: "viewer",
    build: async () => ({ url: "/api/deals/x", params: { id: String((await liveDeal()).id) } }),
  },
  "PATCH /api/deals/[id]": {
    role: "editor",
    build: async () => {
      const deal = await liveDeal();
      return {
        url: "/api/deals/x",
        params: { id: String(deal.id) },
        body: { version: deal.version, status: "active" },
      };
    },
  },
  "DELETE /api/deals/[id]": {
    role: "editor",
    build: async () => ({ url: "/api/deals/x", params: { id: String((await liveDeal()).id) } }),
  },
  "POST /api/deals/[id]/restore": {
    role: "editor",
    build: async () => {
      const deal = await liveDeal();
      await deleteDeal(deal.id, { actor: "matrix" });
      return { url: "/api/deals/x/restore", params: { id: String(deal.id) } };
    },
  },
  "GET /api/companies": { role: "viewer", build: () => ({ url: "/api/companies?q=a", params: {} }) },
  "POST /api/companies": {
    role: "editor",
    build: () => ({ url: "/api/companies", params: {}, body: { name: unique("Matrix Co") } }),
  },
  "GET /api/companies/[slug]": {
    role: "viewer",
    build: async () => ({
      url: "/api/companies/x",
      params: { slug: (await liveDeal()).parties[0]!.company.slug },
    }),
  },
  "PATCH /api/companies/[slug]": {
    role: "editor",
    build: async () => ({
      url: "/api/companies/x",
      params: { slug: (await company()).slug },
      body: { version: 1, sector: "517" },
    }),
  },
  "POST /api/companies/[slug]/merge": {
    role: "editor",
    build: async () => ({
      url: "/api/companies/x/merge",
      params: { slug: (await company()).slug },
      body: { into: (await company()).slug, dryRun: false },
    }),
  },
  "POST /api/companies/import": {
    role: "editor",
    build: () => ({
      url: "/api/companies/import",
      params: {},
      contentType: "text/csv",
      body: `name,country,sector\r\n${unique("Matrix ref")},KR,517`,
    }),
  },
  "GET /api/companies/duplicates": {
    role: "viewer",
    build: () => ({ url: "/api/companies/duplicates?limit=5", params: {} }),
  },
  "POST /api/merges/[id]/undo": {
    role: "editor",
    build: async () => ({ url: "/api/merges/x/undo", params: { id: String(await mergedPair()) }, body: {} }),
  },
  "GET /api/technologies/[slug]": {
    role: "viewer",
    build: async () => ({ url: "/api/technologies/x", params: { slug: (await area()).slug } }),
  },
  "PATCH /api/technologies/[slug]": {
    role: "editor",
    build: async () => ({
      url: "/api/technologies/x",
      params: { slug: (await area()).slug },
      body: { version: 1, name: unique("Renamed tech") },
    }),
  },
  "POST /api/technologies/[slug]/merge": {
    role: "editor",
    build: async () => ({
      url: "/api/technologies/x/merge",
      params: { slug: (await area()).slug },
      body: { into: (await area()).slug, dryRun: false },
    }),
  },
  "GET /api/technologies": { role: "viewer", build: () => ({ url: "/api/technologies", params: {} }) },
  "POST /api/technologies": {
    role: "editor",
    build: () => ({ url: "/api/technologies", params: {}, body: { name: unique("Matrix area") } }),
  },
  "GET /api/stats/summary": {
    role: "viewer",
    build: () => ({ url: "/api/stats/summary?type=mou", params: {} }),
  },
  "GET /api/stats/deals-over-time": {
    role: "viewer",
    build: () => ({ url: "/api/stats/deals-over-time?interval=year", params: {} }),
  },
  "GET /api/stats/top-companies": {
    role: "viewer",
    build: () => ({ url: "/api/stats/top-companies?by=partners", params: {} }),
  },
  "GET /api/stats/technologies": {
    role: "viewer",
    build: () => ({ url: "/api/stats/technologies", params: {} }),
  },
  "GET /api/stats/technologies-over-time": {
    role: "viewer",
    build: () => ({ url: "/api/stats/technologies-over-time", params: {} }),
  },
  "GET /api/stats/deal-types": {
    role: "viewer",
    build: () => ({ url: "/api/stats/deal-types", params: {} }),
  },
  "GET /api/compare": { role: "viewer", build: compared("/api/compare?interval=year") },
  "GET /api/export/compare.csv": { role: "viewer", build: compared("/api/export/compare.csv") },
  "GET /api/compare/over-time": { role: "viewer", build: compared("/api/compare/over-time") },
  "GET /api/compare/types": { role: "viewer", build: compared("/api/compare/types") },
  "GET /api/compare/mix": { role: "viewer", build: compared("/api/compare/mix") },
  "GET /api/compare/countries": { role: "viewer", build: compared("/api/compare/countries") },
  "GET /api/compare/sectors": { role: "viewer", build: compared("/api/compare/sectors") },
  "GET /api/compare/partners": { role: "viewer", build: compared("/api/compare/partners") },
  "GET /api/compare/shared": { role: "viewer", build: compared("/api/compare/shared") },
  "GET /api/stats/countries": {
    role: "viewer",
    build: () => ({ url: "/api/stats/countries?type=mou", params: {} }),
  },
  "GET /api/stats/country-pairs": {
    role: "viewer",
    build: () => ({ url: "/api/stats/country-pairs?limit=5", params: {} }),
  },
  "GET /api/stats/sectors": {
    role: "viewer",
    build: () => ({ url: "/api/stats/sectors", params: {} }),
  },
  "GET /api/stats/sector-technologies": {
    role: "viewer",
    build: () => ({ url: "/api/stats/sector-technologies", params: {} }),
  },
  "GET /api/stats/partner-mix": {
    role: "viewer",
    build: () => ({ url: "/api/stats/partner-mix", params: {} }),
  },
  "GET /api/timeline": {
    role: "viewer",
    build: () => ({ url: "/api/timeline?groupBy=technology", params: {} }),
  },
  "GET /api/network": { role: "viewer", build: () => ({ url: "/api/network", params: {} }) },
  "GET /api/export/deals.csv": {
    role: "viewer",
    build: () => ({ url: "/api/export/deals.csv?layout=pairs", params: {} }),
  },
  "GET /api/export/stats/[chart]": {
    role: "viewer",
    build: () => ({ url: "/api/export/stats/summary.csv", params: { chart: "summary.csv" } }),
  },
  "GET /api/charts/[file]": {
    role: "viewer",
    build: () => ({
      url: "/api/charts/deals-over-time.svg?interval=year",
      params: { file: "deals-over-time.svg" },
    }),
  },
  "POST /api/extract": {
    role: "editor",
    build: () => ({
      url: "/api/extract",
      params: {},
      body: { text: "Nova Wireless and SK Telecom signed a memorandum of understanding on 6G on Monday." },
    }),
  },
  "HEAD /api/export/deals.csv": {
    role: "viewer",
    build: () => ({ url: "/api/export/deals.csv?layout=pairs", params: {} }),
  },
  "HEAD /api/export/stats/[chart]": {
    role: "viewer",
    build: () => ({ url: "/api/export/stats/summary.csv", params: { chart: "summary.csv" } }),
  },
  "POST /api/import": {
    role: "editor",
    build: () => ({
      url: "/api/import?dryRun=0",
      params: {},
      contentType: "text/csv",
      body: `title,announced_on,deal_types,parties,source_url\r\n${unique("Imported")},2024-03-03,mou,"${unique("I1")}; ${unique("I2")}",https://example.org/i`,
    }),
  },
  "GET /api/views": { role: "viewer", session: true, build: () => ({ url: "/api/views", params: {} }) },
  "POST /api/views": {
    role: "viewer",
    session: true,
    build: () => ({
      url: "/api/views",
      params: {},
      body: { name: unique("Matrix view"), path: "/deals?technology=5g&type=mou", shared: false },
    }),
  },
  "GET /api/views/[id]": {
    role: "viewer",
    session: true,
    build: async (userId) => ({ url: "/api/views/x", params: { id: await ownView(userId) } }),
  },
  "PATCH /api/views/[id]": {
    role: "viewer",
    session: true,
    build: async (userId) => ({
      url: "/api/views/x",
      params: { id: await ownView(userId) },
      body: { shared: true },
    }),
  },
  "DELETE /api/views/[id]": {
    role: "viewer",
    session: true,
    build: async (userId) => ({ url: "/api/views/x", params: { id: await ownView(userId) } }),
  },
  "GET /api/views/[id]/links": {
    role: "viewer",
    session: true,
    build: async (userId) => ({ url: "/api/views/x/links", params: { id: await ownView(userId) } }),
  },
  "POST /api/views/[id]/links": {
    role: "viewer",
    session: true,
    build: async (userId) => ({
      url: "/api/views/x/links",
      params: { id: await ownView(userId) },
      body: { allowExport: true },
    }),
  },
  "DELETE /api/views/[id]/links/[linkId]": {
    role: "viewer",
    session: true,
    build: async (userId) => {
      const id = await ownView(userId);
      const link = await createShareLink(Number(id), { id: userId, role: "viewer" }, { allowExport: false });
      return { url: "/api/views/x/links/y", params: { id, linkId: String(link.id) } };
    },
  },
  "GET /api/me/feed-key": {
    role: "viewer",
    session: true,
    build: () => ({ url: "/api/me/feed-key", params: {} }),
  },
  "POST /api/me/feed-key": {
    role: "viewer",
    session: true,
    build: () => ({ url: "/api/me/feed-key", params: {} }),
  },
  "POST /api/me/digest": {
    role: "viewer",
    session: true,
    // Queued only: no worker runs here, so the address is never dialled.
    build: () => {
      process.env.SMTP_URL ??= "smtp://127.0.0.1:9";
      return { url: "/api/me/digest", params: {} };
    },
  },
  // The signed token in the link is the credential (RFC 8058 one-click): test/digests.test.ts.
  "GET /api/digest/unsubscribe": {
    role: "public",
    build: () => ({ url: "/api/digest/unsubscribe?token=x", params: {} }),
  },
  "POST /api/digest/unsubscribe": {
    role: "public",
    build: () => ({ url: "/api/digest/unsubscribe?token=x", params: {} }),
  },
  "GET /api/webhooks": { role: "admin", build: () => ({ url: "/api/webhooks", params: {} }) },
  "GET /api/audit": { role: "admin", build: () => ({ url: "/api/audit?kind=export", params: {} }) },
  "GET /api/export/audit.csv": {
    role: "admin",
    build: () => ({ url: "/api/export/audit.csv?kind=sign-in", params: {} }),
  },
  "POST /api/webhooks": {
    role: "admin",
    build: () => ({
      url: "/api/webhooks",
      params: {},
      // An address literal: the private-address guard needs no DNS for it.
      body: { url: "https://93.184.215.14/hook", events: ["deal.created"] },
    }),
  },
  "DELETE /api/webhooks/[id]": {
    role: "admin",
    build: async () => ({ url: "/api/webhooks/x", params: { id: String(await hook()) } }),
  },
  "PATCH /api/webhooks/[id]": {
    role: "admin",
    build: async () => ({
      url: "/api/webhooks/x",
      params: { id: String(await hook()) },
      body: { team: null },
    }),
  },
  "POST /api/webhooks/[id]/test": {
    role: "admin",
    build: async () => ({ url: "/api/webhooks/x/test", params: { id: String(await hook()) } }),
  },
  "GET /api/teams": { role: "admin", build: () => ({ url: "/api/teams", params: {} }) },
  "POST /api/teams": {
    role: "admin",
    build: () => ({ url: "/api/teams", params: {}, body: { name: unique("Matrix team"), members: [] } }),
  },
  "PATCH /api/teams/[slug]": {
    role: "admin",
    build: async () => ({
      url: "/api/teams/x",
      params: { slug: await team() },
      body: { name: unique("Renamed") },
    }),
  },
  "DELETE /api/teams/[slug]": {
    role: "admin",
    build: async () => ({ url: "/api/teams/x", params: { slug: await team() } }),
  },
  "GET /api/sources": { role: "editor", build: () => ({ url: "/api/sources", params: {} }) },
  "POST /api/sources": {
    role: "editor",
    build: async () => ({
      url: "/api/sources",
      params: {},
      body: { name: "Matrix feed", url: await localFeed() },
    }),
  },
  "PATCH /api/sources/[id]": {
    role: "editor",
    build: async () => ({
      url: "/api/sources/x",
      params: { id: String(await newsSource()) },
      body: { active: false },
    }),
  },
  "DELETE /api/sources/[id]": {
    role: "editor",
    build: async () => ({ url: "/api/sources/x", params: { id: String(await newsSource()) } }),
  },
  "POST /api/sources/[id]/fetch": {
    role: "editor",
    build: async () => ({ url: "/api/sources/x/fetch", params: { id: String(await newsSource()) } }),
  },
  // Feeds are read with a feed key in the URL, not a session or token: test/follow.test.ts.
  "GET /feeds/views/[file]": { role: "public", build: () => ({ url: "/feeds/views/1.atom", params: {} }) },
  "GET /feeds/companies/[file]": {
    role: "public",
    build: () => ({ url: "/feeds/companies/x.atom", params: {} }),
  },
  "GET /feeds/technologies/[file]": {
    role: "public",
    build: () => ({ url: "/feeds/technologies/x.atom", params: {} }),
  },
  // A share link's token in the URL is its credential: test/share-links.test.ts.
  "GET /share/[token]/charts/[file]": {
    role: "public",
    build: () => ({ url: "/share/x/charts/deal-types.svg", params: {} }),
  },
  "GET /share/[token]/export/[file]": {
    role: "public",
    build: () => ({ url: "/share/x/export/deals.csv", params: {} }),
  },
  // Signing in and out is for everyone; it is tested on its own below.
  "GET /api/session": { role: "public", build: () => ({ url: "/api/session", params: {} }) },
  "POST /api/session": { role: "public", build: () => ({ url: "/api/session", params: {} }) },
  "DELETE /api/session": { role: "public", build: () => ({ url: "/api/session", params: {} }) },
  // Single sign-on's start and callback: test/sso.test.ts (against a real OpenID provider).
  "POST /api/session/sso": { role: "public", build: () => ({ url: "/api/session/sso", params: {} }) },
  "GET /api/auth/callback/oidc": {
    role: "public",
    build: () => ({ url: "/api/auth/callback/oidc?code=x&state=y", params: {} }),
  },
  // Public: shapes and rules, no data (test/openapi.test.ts reads it without credentials).
  "GET /api/openapi.json": { role: "public", build: () => ({ url: "/api/openapi.json", params: {} }) },
};

// ---------------------------------------------------------------------------------------------
// What each Server Action needs, and valid arguments for it.

type ActionCase = {
  role: UserRole | "setup";
  /** `userId` is the caller's, for actions on what a user owns (their saved views). */
  args: (userId: string) => unknown[] | Promise<unknown[]>;
};
const form = (values: Record<string, string | number>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, String(v));
  return data;
};
const usersNow = async () =>
  (await testDb().execute(sql`SELECT id, role, deactivated_at FROM users ORDER BY id`)).rows;
/** A throwaway account for the user-management actions to act on. */
const someone = async () =>
  (
    await createUserAccount({
      name: "Someone",
      email: `${unique("someone").replace(/\W/g, "")}@example.org`,
      password: "password for tests",
      role: "viewer",
    })
  ).id;
const ACTIONS: Record<string, ActionCase> = {
  "app/(dashboard)/deals/actions.ts#saveDeal": {
    role: "editor",
    args: () => [
      { status: "idle" },
      {
        values: {
          title: unique("Action deal"),
          announcedOn: "2024-02-02",
          types: ["licensing"],
          parties: [{ company: unique("A1") }, { company: unique("A2") }],
          sources: [{ url: "https://example.org/a" }],
        },
      },
    ],
  },
  "app/(dashboard)/deals/actions.ts#deleteDealAction": {
    role: "editor",
    args: async () => [form({ id: (await liveDeal()).id })],
  },
  "app/(dashboard)/deals/actions.ts#restoreDealAction": {
    role: "editor",
    args: async () => {
      const deal = await liveDeal();
      await deleteDeal(deal.id, { actor: "matrix" });
      return [form({ id: deal.id })];
    },
  },
  "app/(dashboard)/deals/actions.ts#draftArticleAction": {
    role: "editor",
    args: () => [
      { status: "idle" },
      { text: "Nova Wireless and SK Telecom sign a 6G memorandum of understanding." },
    ],
  },
  "app/(dashboard)/deals/actions.ts#addArticleToDealAction": {
    role: "editor",
    args: async () => [
      { status: "idle" },
      {
        dealId: (await liveDeal()).id,
        source: { url: `https://example.org/${unique("article").replace(/\W/g, "")}` },
        quotes: [{ text: unique("A new quote"), speaker: "Ada Park" }],
      },
    ],
  },
  "app/(dashboard)/candidates/actions.ts#acceptCandidateAction": {
    role: "editor",
    args: async () => {
      const { title, announcedOn, types, parties } = dealFixture();
      return [
        Number(await waitingCandidate()),
        { status: "idle" },
        { values: { title, announcedOn, types, parties } },
      ];
    },
  },
  "app/(dashboard)/candidates/actions.ts#decideCandidatesAction": {
    role: "editor",
    args: async () => [
      { status: "idle" },
      { intent: "dismiss", ids: [Number(await waitingCandidate())], reason: "out_of_scope" },
    ],
  },
  "app/(dashboard)/deals/actions.ts#restoreVersionAction": {
    role: "editor",
    args: async () => {
      const deal = await liveDeal();
      const [revision] = await testDb()
        .select({ id: revisions.id })
        .from(revisions)
        .where(eq(revisions.dealId, deal.id));
      // Change the deal first so restoring version 1 really writes something.
      await testDb().write((tx) =>
        tx
          .update(deals)
          .set({ title: sql`${deals.title} || ' x'`, version: 2 })
          .where(eq(deals.id, deal.id)),
      );
      return [form({ dealId: deal.id, revisionId: revision!.id, version: 2 })];
    },
  },
  "app/(dashboard)/companies/actions.ts#saveCompany": {
    role: "editor",
    args: async () => [
      { status: "idle" },
      { slug: (await company()).slug, values: { version: 1, sector: "517" } },
    ],
  },
  "app/(dashboard)/companies/actions.ts#mergeCompanyAction": {
    role: "editor",
    args: async () => [{ status: "idle" }, { slug: (await company()).slug, into: (await company()).slug }],
  },
  "app/(dashboard)/companies/actions.ts#undoMergeAction": {
    role: "editor",
    args: async () => [{ status: "idle" }, { mergeId: await mergedPair() }],
  },
  "app/(dashboard)/companies/actions.ts#dismissDuplicateAction": {
    role: "editor",
    args: async () => [form({ a: (await company()).slug, b: (await company()).slug })],
  },
  "app/(dashboard)/technologies/actions.ts#saveTechnology": {
    role: "editor",
    args: async () => [
      { status: "idle" },
      { slug: (await area()).slug, values: { version: 1, name: unique("Saved tech") } },
    ],
  },
  "app/(dashboard)/technologies/actions.ts#mergeTechnologyAction": {
    role: "editor",
    args: async () => [{ status: "idle" }, { slug: (await area()).slug, into: (await area()).slug }],
  },
  "app/(dashboard)/settings/actions.ts#createUserAction": {
    role: "admin",
    args: () => [
      { status: "idle" },
      {
        name: "New",
        email: `${unique("new").replace(/\W/g, "")}@example.org`,
        password: "long enough pw",
        role: "viewer",
      },
    ],
  },
  "app/(dashboard)/settings/actions.ts#setRoleAction": {
    role: "admin",
    args: async () => [form({ userId: await someone(), role: "editor" })],
  },
  "app/(dashboard)/settings/actions.ts#setActiveAction": {
    role: "admin",
    args: async () => [form({ userId: await someone(), active: "false" })],
  },
  "app/(dashboard)/settings/actions.ts#createTokenAction": {
    role: "admin",
    args: () => [{ status: "idle" }, { name: unique("t"), role: "viewer" }],
  },
  "app/(dashboard)/settings/actions.ts#revokeTokenAction": {
    role: "admin",
    args: async () => [
      form({ tokenId: (await createApiToken({ name: unique("victim"), role: "viewer" })).id }),
    ],
  },
  "app/(dashboard)/settings/team-actions.ts#createTeamAction": {
    role: "admin",
    args: () => [{ status: "idle" }, { name: unique("Action team"), members: [] }],
  },
  "app/(dashboard)/settings/team-actions.ts#updateTeamAction": {
    role: "admin",
    args: async () => [{ status: "idle" }, { slug: await team(), name: unique("Renamed team"), members: [] }],
  },
  "app/(dashboard)/settings/team-actions.ts#deleteTeamAction": {
    role: "admin",
    args: async () => [form({ slug: await team() })],
  },
  "app/(dashboard)/views/actions.ts#saveViewAction": {
    role: "viewer",
    args: () => [{ status: "idle" }, { name: unique("Action view"), path: "/?interval=year", shared: true }],
  },
  "app/(dashboard)/views/actions.ts#renameViewAction": {
    role: "viewer",
    args: async (userId) => [
      { status: "idle" },
      { id: Number(await ownView(userId)), name: unique("Renamed view") },
    ],
  },
  "app/(dashboard)/views/actions.ts#setViewSharedAction": {
    role: "viewer",
    args: async (userId) => [form({ id: await ownView(userId), shared: "true" })],
  },
  "app/(dashboard)/views/actions.ts#deleteViewAction": {
    role: "viewer",
    args: async (userId) => [form({ id: await ownView(userId) })],
  },
  "app/(dashboard)/views/actions.ts#watchAction": {
    role: "viewer",
    args: async () => [form({ kind: "company", id: (await company()).id, watch: "true" })],
  },
  "app/(dashboard)/views/actions.ts#markInboxReadAction": {
    role: "viewer",
    args: () => [form({ upTo: 1 })],
  },
  "app/(dashboard)/views/actions.ts#createShareLinkAction": {
    role: "viewer",
    args: async (userId) => [
      { status: "idle" },
      { viewId: Number(await ownView(userId)), allowExport: false },
    ],
  },
  "app/(dashboard)/views/actions.ts#deleteShareLinkAction": {
    role: "viewer",
    args: async (userId) => {
      const viewId = await ownView(userId);
      const link = await createShareLink(
        Number(viewId),
        { id: userId, role: "viewer" },
        { allowExport: false },
      );
      return [form({ viewId, linkId: link.id })];
    },
  },
  "app/(dashboard)/views/actions.ts#replaceFeedKeyAction": {
    role: "viewer",
    args: () => [{ status: "idle" }, {}],
  },
  "app/(dashboard)/settings/digest-actions.ts#saveDigestAction": {
    role: "viewer",
    args: () => [{ status: "idle" }, { frequency: "weekly", hour: 7, weekday: 2, timeZone: "Europe/Berlin" }],
  },
  "app/(dashboard)/settings/digest-actions.ts#sendTestDigestAction": {
    role: "viewer",
    args: () => {
      process.env.SMTP_URL ??= "smtp://127.0.0.1:9";
      return [{ status: "idle" }, {}];
    },
  },
  "app/(dashboard)/settings/webhook-actions.ts#createWebhookAction": {
    role: "admin",
    args: () => [{ status: "idle" }, { url: "https://93.184.215.14/hook", events: ["deal.updated"] }],
  },
  "app/(dashboard)/settings/webhook-actions.ts#sendTestWebhookAction": {
    role: "admin",
    args: async () => [form({ id: await hook() })],
  },
  "app/(dashboard)/settings/webhook-actions.ts#deleteWebhookAction": {
    role: "admin",
    args: async () => [form({ id: await hook() })],
  },
  "app/(dashboard)/sources/actions.ts#addSourceAction": {
    role: "editor",
    args: async () => [{ status: "idle" }, { name: "Matrix feed", url: await localFeed() }],
  },
  "app/(dashboard)/sources/actions.ts#sourceRowAction": {
    role: "editor",
    args: async () => [
      { status: "idle" },
      { do: "change", id: await newsSource(), patch: { active: false } },
    ],
  },
  // Only while no account exists; with accounts present it must refuse everyone.
  "app/(auth)/actions.ts#createOwnerAction": {
    role: "setup",
    args: () => [
      { status: "idle" },
      { name: "Intruder", email: "intruder@example.org", password: "long enough pw" },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

const bearer: Partial<Record<Who, string>> = {};
const cookie: Partial<Record<Who, string>> = {};
const userIds: Partial<Record<Who, string>> = {};

async function signInCookie(email: string, password: string) {
  const { headers } = await getAuth().api.signInEmail({ body: { email, password }, returnHeaders: true });
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

beforeAll(async () => {
  testDb();
  for (const role of ["viewer", "editor", "admin"] as const) {
    const email = `${role}-${process.pid}@example.org`;
    userIds[role] = (await createUserAccount({ name: role, email, password: "password for tests", role })).id;
    cookie[role] = await signInCookie(email, "password for tests");
    bearer[role] = (await createApiToken({ name: `matrix ${role}`, role })).secret;
  }
  const revoked = await createApiToken({ name: "matrix revoked", role: "admin" });
  await revokeApiToken(revoked.id);
  bearer.revoked = revoked.secret;
  // A second admin so deactivating or demoting someone never hits the last-admin guard.
  await createUserAccount({
    name: "admin2",
    email: `admin2-${process.pid}@example.org`,
    password: "password for tests",
    role: "admin",
  });
});

/** A compare request over two companies of its own (lib/compare.ts needs two to four). */
function compared(url: string) {
  return async () => {
    const query = `company=${(await company()).slug}&company=${(await company()).slug}`;
    return { url: `${url}${url.includes("?") ? "&" : "?"}${query}`, params: {} };
  };
}

function expectedStatus(role: UserRole, who: Who): "ok" | 401 | 403 {
  if (who === "anonymous" || who === "revoked") return 401;
  return RANK[who] >= RANK[role] ? "ok" : 403;
}

/** Every route handler under app/, by method. */
const discovered = appFiles
  .filter((f) => f.endsWith(`${path.sep}route.ts`))
  .flatMap((file) => {
    const route = `/${path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).join("/")}`;
    const source = fs.readFileSync(file, "utf8");
    return METHODS.filter((m) => new RegExp(`export (async function|const) ${m}\\b`).test(source)).map(
      (m) => ({
        file,
        route,
        key: `${m} ${route}`,
        method: m,
      }),
    );
  });

describe("route handlers", () => {
  it("every handler has an entry in the matrix", () => {
    expect(discovered.map((d) => d.key).sort()).toEqual(Object.keys(ROUTES).sort());
  });

  for (const { file, key, method } of discovered) {
    const spec = ROUTES[key];
    if (!spec || spec.role === "public") continue;
    for (const who of WHO) {
      const expected = expectedStatus(spec.role, who);
      it(`${key} as ${who} → ${expected}`, async () => {
        const handler = (await import(file))[method] as (r: Request, c: unknown) => Promise<Response>;
        const { url, body, params, contentType } = await spec.build(userIds[who] ?? userIds.admin!);
        const headers: Record<string, string> = { "content-type": contentType ?? "application/json" };
        if (spec.session && cookie[who])
          Object.assign(headers, { cookie: cookie[who], host: "localhost", origin: "http://localhost" });
        else if (bearer[who]) headers.authorization = `Bearer ${bearer[who]}`;
        const before = await tableCounts();
        const response = await handler(
          new Request(`http://localhost${url}`, {
            method,
            headers,
            body: typeof body === "string" ? body : body ? JSON.stringify(body) : undefined,
          }),
          { params: Promise.resolve(params) },
        );
        if (expected === "ok") {
          expect(response.status, await response.clone().text()).toBeLessThan(300);
        } else {
          expect(response.status).toBe(expected);
          expect((await response.json()).error).toEqual(expect.any(String));
          expect(await tableCounts()).toEqual(before);
        }
      });
    }
  }
});

describe("API token scopes on route handlers", () => {
  // Every route names one scope, in its `authorize` call; the OpenAPI document states the same
  // scope, and a token holding every scope but that one is refused with 403 naming it.
  const tokenWith = async (scopes: ApiScope[]) =>
    (await createApiToken({ name: unique("scoped"), role: "admin", scopes })).secret;
  /** Builds the route's request (and the data it needs) now; `send` calls the handler with it. */
  const prepare = async (key: string, file: string, method: string, token: string) => {
    const handler = (await import(file))[method] as (r: Request, c: unknown) => Promise<Response>;
    const { url, body, params, contentType } = await ROUTES[key]!.build(userIds.admin!);
    const request = new Request(`http://localhost${url}`, {
      method,
      headers: { "content-type": contentType ?? "application/json", authorization: `Bearer ${token}` },
      body: typeof body === "string" ? body : body ? JSON.stringify(body) : undefined,
    });
    return { send: () => handler(request, { params: Promise.resolve(params) }) };
  };

  for (const { file, route, key, method } of discovered) {
    const spec = ROUTES[key];
    if (!spec || spec.role === "public") continue;
    if (spec.session) {
      it(`${key}: a token, even with every scope, is refused`, async () => {
        const response = await (await prepare(key, file, method, await tokenWith([...API_SCOPES]))).send();
        expect(response.status).toBe(403);
      });
      continue;
    }
    it(`${key}: declares a scope, refuses a token without it and serves one with only it`, async () => {
      const operations = openApiDocument().paths?.[route.replace(/\[(\w+)\]/g, "{$1}")] as Record<
        string,
        { security?: Record<string, string[]>[] }
      >;
      const declared = operations?.[method.toLowerCase()]?.security?.find((s) => s.bearer)?.bearer?.[0];
      expect(API_SCOPES).toContain(declared);
      const scope = declared as ApiScope;
      expect(SCOPE_ROLE[scope]).toBe(spec.role);
      const without = await prepare(
        key,
        file,
        method,
        await tokenWith(API_SCOPES.filter((s) => s !== scope)),
      );
      const before = await tableCounts();
      const refused = await without.send();
      expect(refused.status).toBe(403);
      if (method !== "HEAD")
        expect(await refused.json()).toEqual({ error: `This token lacks the scope ${scope}`, scope });
      expect(await tableCounts()).toEqual(before);
      const allowed = await (await prepare(key, file, method, await tokenWith([scope]))).send();
      expect(allowed.status, await allowed.clone().text()).toBeLessThan(300);
    });
  }
});

describe("cookie sessions on route handlers", () => {
  it("work for reads, and for writes only from our own origin", async () => {
    const { GET, POST } = await import("@/app/api/technologies/route");
    const read = await GET(
      new Request("http://localhost/api/technologies", { headers: { cookie: cookie.editor! } }),
    );
    expect(read.status).toBe(200);
    const write = (headers: Record<string, string>) =>
      POST(
        new Request("http://localhost/api/technologies", {
          method: "POST",
          headers: {
            cookie: cookie.editor!,
            "content-type": "application/json",
            host: "localhost",
            ...headers,
          },
          body: JSON.stringify({ name: unique("Cookie area") }),
        }),
      );
    const before = await tableCounts();
    expect((await write({ origin: "https://evil.example" })).status).toBe(403);
    expect((await write({})).status).toBe(403);
    expect(await tableCounts()).toEqual(before);
    expect((await write({ origin: "http://localhost" })).status).toBe(201);
  });

  it("sign-in answers bad input with 400, wrong passwords with 401, then 429 with Retry-After", async () => {
    await resetSignInLimits();
    process.env.TRUST_PROXY = "1"; // the addresses below come from a proxy we trust
    onTestFinished(() => {
      delete process.env.TRUST_PROXY;
    });
    const { POST } = await import("@/app/api/session/route");
    const attempt = (body: unknown, ip = "198.51.100.7") =>
      POST(
        new Request("http://localhost/api/session", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            host: "localhost",
            origin: "http://localhost",
            "x-forwarded-for": ip,
          },
          body: JSON.stringify(body),
        }),
      );
    expect((await attempt({ email: "nope" })).status).toBe(400);
    const email = `viewer-${process.pid}@example.org`;
    for (let i = 0; i < 5; i++)
      expect((await attempt({ email, password: "wrong password" })).status).toBe(401);
    const limited = await attempt({ email, password: "password for tests" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // One client's failures do not lock the owner out: from another client the right password works.
    const elsewhere = await attempt({ email, password: "password for tests" }, "203.0.113.50");
    expect(elsewhere.status).toBe(200);
    await resetSignInLimits();
    const ok = await attempt({ email, password: "password for tests" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/HttpOnly/i);
    expect(ok.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
  });

  it("deactivating a user ends their sessions at once", async () => {
    const email = `${unique("leaver").replace(/\W/g, "")}@example.org`;
    const user = await createUserAccount({
      name: "Leaver",
      email,
      password: "password for tests",
      role: "editor",
    });
    const session = await signInCookie(email, "password for tests");
    const { GET } = await import("@/app/api/session/route");
    const whoami = () => GET(new Request("http://localhost/api/session", { headers: { cookie: session } }));
    expect((await whoami()).status).toBe(200);
    const { setUserActive } = await import("@/db/accounts/auth");
    await setUserActive(user.id, false);
    expect((await whoami()).status).toBe(401);
  });
});

describe("deleted deals are for editors and admins only", () => {
  async function deletedDeal() {
    const deal = await createDeal(dealFixture(), { actor: "matrix" });
    await deleteDeal(deal.id, { actor: "matrix", expectedVersion: deal.version });
    return deal.id;
  }
  const as = (who: "viewer" | "editor" | "admin") => {
    requestHeaders = new Headers({ cookie: cookie[who]! });
  };
  const outcome = async (run: () => Promise<unknown>) => {
    try {
      return await run();
    } catch (error) {
      return String((error as { digest?: string }).digest ?? error);
    }
  };

  it("the deal page: 404 for viewers, shown to editors and admins", async () => {
    const { default: DealPage, generateMetadata } = await import("@/app/(dashboard)/deals/[id]/page");
    const id = String(await deletedDeal());
    const props = () => ({ params: Promise.resolve({ id }), searchParams: Promise.resolve({}) });
    as("viewer");
    expect(await outcome(() => DealPage(props()))).toMatch(/404/);
    expect(await generateMetadata(props())).toEqual({ title: "Deal not found" });
    for (const who of ["editor", "admin"] as const) {
      as(who);
      expect(await outcome(() => DealPage(props()))).toEqual(
        expect.objectContaining({ type: expect.anything() }),
      );
    }
  });

  it("the candidates pages: access denied for viewers", async () => {
    const { default: CandidatesPage } = await import("@/app/(dashboard)/candidates/page");
    const { default: AcceptPage } = await import("@/app/(dashboard)/candidates/[id]/accept/page");
    const { AccessDenied } = await import("@/components/ui/access-denied");
    const id = await waitingCandidate();
    const list = () => CandidatesPage({ searchParams: Promise.resolve({}) });
    const accept = () => AcceptPage({ params: Promise.resolve({ id }) });
    as("viewer");
    expect(((await list()) as { type: unknown }).type).toBe(AccessDenied);
    expect(((await accept()) as { type: unknown }).type).toBe(AccessDenied);
    as("editor");
    expect(((await list()) as { type: unknown }).type).not.toBe(AccessDenied);
    expect(((await accept()) as { type: unknown }).type).not.toBe(AccessDenied);
  });

  it("the deleted deals page: access denied for viewers", async () => {
    const { default: DeletedDealsPage } = await import("@/app/(dashboard)/deals/deleted/page");
    const { AccessDenied } = await import("@/components/ui/access-denied");
    await deletedDeal();
    as("viewer");
    expect(((await DeletedDealsPage()) as { type: unknown }).type).toBe(AccessDenied);
    as("editor");
    expect(((await DeletedDealsPage()) as { type: unknown }).type).not.toBe(AccessDenied);
  });

  it("the API: includeDeleted=1 for editors and admins, 404 for viewers and without it", async () => {
    const { GET } = await import("@/app/api/deals/[id]/route");
    const id = String(await deletedDeal());
    const get = (who: "viewer" | "editor" | "admin", query = "") =>
      GET(
        new Request(`http://localhost/api/deals/${id}${query}`, {
          headers: { authorization: `Bearer ${bearer[who]}` },
        }),
        { params: Promise.resolve({ id }) },
      );
    expect((await get("viewer")).status).toBe(404);
    expect((await get("viewer", "?includeDeleted=1")).status).toBe(404);
    expect((await get("editor")).status).toBe(404);
    for (const who of ["editor", "admin"] as const) {
      const response = await get(who, "?includeDeleted=1");
      expect(response.status).toBe(200);
      expect((await response.json()).deletedAt).toEqual(expect.any(String));
    }
    const bad = await get("editor", "?includeDeleted=maybe&colour=red");
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["colour", "includeDeleted"]);
  });
});

describe("API tokens and their creators", () => {
  const whoami = async (secret: string) => {
    const { GET } = await import("@/app/api/session/route");
    return GET(
      new Request("http://localhost/api/session", { headers: { authorization: `Bearer ${secret}` } }),
    );
  };

  it("a token acts with at most its creator's current role and stops when they are deactivated", async () => {
    const { setUserActive, setUserRole } = await import("@/db/accounts/auth");
    const creator = await createUserAccount({
      name: "Token maker",
      email: `${unique("maker").replace(/\W/g, "")}@example.org`,
      password: "password for tests",
      role: "admin",
    });
    const token = await createApiToken({ name: unique("made"), role: "editor", createdByUserId: creator.id });
    expect((await (await whoami(token.secret)).json()).role).toBe("editor");
    await setUserRole(creator.id, "viewer");
    expect((await (await whoami(token.secret)).json()).role).toBe("viewer");
    const { POST } = await import("@/app/api/technologies/route");
    const write = await POST(
      new Request("http://localhost/api/technologies", {
        method: "POST",
        headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ name: unique("Demoted area") }),
      }),
    );
    expect(write.status).toBe(403);
    await setUserRole(creator.id, "admin");
    expect((await (await whoami(token.secret)).json()).role).toBe("editor");
    await setUserActive(creator.id, false);
    expect((await whoami(token.secret)).status).toBe(401);
  });

  it("a token made from the shell (no creator) keeps its own role", async () => {
    const token = await createApiToken({ name: unique("cli"), role: "admin" });
    expect((await (await whoami(token.secret)).json()).role).toBe("admin");
  });
});

describe("server actions", () => {
  const actionFiles = appFiles.filter(
    (f) => /\.tsx?$/.test(f) && /^["']use server["']/m.test(fs.readFileSync(f, "utf8")),
  );
  const discovered = actionFiles.flatMap((file) => {
    const relative = path.relative(ROOT, file).split(path.sep).join("/");
    const source = fs.readFileSync(file, "utf8");
    return [...source.matchAll(/export async function (\w+)/g)].map((m) => ({
      file,
      name: m[1]!,
      key: `${relative}#${m[1]}`,
    }));
  });

  it("every action has an entry in the matrix", () => {
    expect(discovered.map((d) => d.key).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  // Server Actions are the browser's: a valid admin API token, without a session, is nobody there.
  for (const { file, name, key } of discovered) {
    it(`${key} with an admin bearer token and no session → refused`, async () => {
      const action = (await import(file))[name] as (...args: unknown[]) => Promise<unknown>;
      const args = await ACTIONS[key]!.args(userIds.admin!);
      requestHeaders = new Headers({ authorization: `Bearer ${bearer.admin}` });
      const before = await tableCounts();
      let outcome: unknown;
      let thrown: unknown;
      try {
        outcome = await action(...args);
      } catch (error) {
        thrown = error;
      }
      const redirected = String((thrown as { digest?: string })?.digest ?? "").startsWith("NEXT_REDIRECT");
      const refusedByState =
        outcome &&
        typeof outcome === "object" &&
        ["error", "invalid"].includes((outcome as { status: string }).status);
      expect(refusedByState || (thrown !== undefined && !redirected)).toBe(true);
      expect(await tableCounts()).toEqual(before);
    });
  }

  for (const { file, name, key } of discovered) {
    const spec = ACTIONS[key]!;
    for (const who of WHO) {
      const allowed = spec.role !== "setup" && expectedStatus(spec.role, who) === "ok";
      it(`${key} as ${who} → ${allowed ? "allowed" : "refused"}`, async () => {
        const action = (await import(file))[name] as (...args: unknown[]) => Promise<unknown>;
        const args = await spec.args(userIds[who] ?? userIds.admin!);
        requestHeaders = new Headers(
          who === "revoked"
            ? { authorization: `Bearer ${bearer.revoked}` }
            : cookie[who]
              ? { cookie: cookie[who]! }
              : {},
        );
        const before = await tableCounts();
        const userRows = await usersNow();
        let outcome: unknown;
        let thrown: unknown;
        try {
          outcome = await action(...args);
        } catch (error) {
          thrown = error;
        }
        const redirected = String((thrown as { digest?: string })?.digest ?? "").startsWith("NEXT_REDIRECT");
        if (allowed) {
          expect(thrown === undefined || redirected, String(thrown)).toBe(true);
          expect(
            outcome && typeof outcome === "object" && "status" in outcome
              ? (outcome as { status: string }).status
              : "ok",
          ).not.toMatch(/error|invalid/);
        } else {
          const refusedByState =
            outcome &&
            typeof outcome === "object" &&
            ["error", "invalid"].includes((outcome as { status: string }).status);
          expect(refusedByState || (thrown !== undefined && !redirected)).toBe(true);
          expect(await tableCounts()).toEqual(before);
          expect(await usersNow()).toEqual(userRows);
        }
      });
    }
  }
});

describe("the teams page is for admins only", () => {
  it("/settings/teams: access denied for viewers and editors, the teams for admins", async () => {
    const { default: TeamsPage } = await import("@/app/(dashboard)/settings/teams/page");
    const { AccessDenied } = await import("@/components/ui/access-denied");
    const props = () => ({ searchParams: Promise.resolve({}) });
    for (const who of ["viewer", "editor"] as const) {
      requestHeaders = new Headers({ cookie: cookie[who]! });
      expect(((await TeamsPage(props())) as { type: unknown }).type).toBe(AccessDenied);
    }
    requestHeaders = new Headers({ cookie: cookie.admin! });
    expect(((await TeamsPage(props())) as { type: unknown }).type).not.toBe(AccessDenied);
  });
});

describe("the security audit log page is for admins only", () => {
  it("/settings/audit: access denied for viewers and editors, the log for admins", async () => {
    const { default: AuditPage } = await import("@/app/(dashboard)/settings/audit/page");
    const { AccessDenied } = await import("@/components/ui/access-denied");
    const props = () => ({ searchParams: Promise.resolve({ kind: "sign-in" }) });
    for (const who of ["viewer", "editor"] as const) {
      requestHeaders = new Headers({ cookie: cookie[who]! });
      expect(((await AuditPage(props())) as { type: unknown }).type).toBe(AccessDenied);
    }
    requestHeaders = new Headers({ cookie: cookie.admin! });
    expect(((await AuditPage(props())) as { type: unknown }).type).not.toBe(AccessDenied);
  });
});

// ---------------------------------------------------------------------------------------------
// Confidential deals (issue 25): a team member, a non-member and an admin, on every route and page.
// The deal's secret word is in its title, summary and quote; its companies and area are public. To the
// non-member no GET answer and no page holds the word, and every route naming the deal by id is a 404
// that changes nothing; the member and the admin read it where deals are listed.

describe("confidential deals: a member, a non-member and an admin, on every route and page", () => {
  const word = `quillwort${process.pid}`;
  const people: Record<"member" | "outsider", { id: string; cookie: string }> = {
    member: { id: "", cookie: "" },
    outsider: { id: "", cookie: "" },
  };
  let teamSlug = "";
  let partner: { slug: string };
  let areaSlug = "";
  /** A fresh confidential deal per call (writes change it), announced last so lists show it first. */
  const secretDeal = async () =>
    (
      await createDeal(
        dealFixture({
          title: `${word} venture`,
          summary: `The ${word} plan`,
          announcedOn: "2026-12-01",
          parties: [{ company: partner.slug }, { company: unique("Secret partner") }],
          technologies: [areaSlug],
          quotes: [{ text: `We like ${word}.`, speaker: "Ada Lovelace" }],
          visibility: { team: teamSlug },
        }),
        { actor: "matrix", viewer: { admin: true, memberOf: [] } },
      )
    ).id;
  let secret = 0;

  beforeAll(async () => {
    for (const who of ["member", "outsider"] as const) {
      const email = `${who}-${process.pid}@example.org`;
      people[who].id = (
        await createUserAccount({ name: who, email, password: "password for tests", role: "editor" })
      ).id;
      people[who].cookie = await signInCookie(email, "password for tests");
    }
    teamSlug = (
      await createTeam(
        { name: unique("Matrix deal team"), members: [`member-${process.pid}@example.org`] },
        "matrix",
      )
    ).slug;
    partner = await company();
    areaSlug = (await area()).slug;
    secret = await secretDeal();
  });

  const cookieOf = (who: "member" | "outsider" | "admin") =>
    who === "admin" ? cookie.admin! : people[who].cookie;

  /**
   * A route's request as `who`, the deal's id in every deal-id parameter: built first (a build may
   * make rows of its own), then sent by the function returned.
   */
  async function prepareRoute(
    who: "member" | "outsider" | "admin",
    { file, method, route }: (typeof discovered)[number],
    dealId: number,
  ): Promise<() => Promise<Response>> {
    const spec = ROUTES[`${method} ${route}`]!;
    const built = await spec.build(who === "admin" ? userIds.admin! : people[who].id);
    const dealRoute = route.startsWith("/api/deals/[id]");
    const params = dealRoute ? { ...built.params, id: String(dealId) } : built.params;
    const body = method === "PATCH" && dealRoute ? { version: 1, title: "Renamed" } : built.body;
    const handler = (await import(file))[method] as (r: Request, c: unknown) => Promise<Response>;
    return () =>
      handler(
        new Request(`http://localhost${built.url}`, {
          method,
          headers: {
            "content-type": built.contentType ?? "application/json",
            cookie: cookieOf(who),
            host: "localhost",
            origin: "http://localhost",
          },
          body: typeof body === "string" ? body : body ? JSON.stringify(body) : undefined,
        }),
        { params: Promise.resolve(params) },
      );
  }
  const callRoute = async (...args: Parameters<typeof prepareRoute>) => (await prepareRoute(...args))();

  const readable = discovered.filter(
    ({ method, route }) =>
      (method === "GET" || method === "HEAD") && ROUTES[`${method} ${route}`]!.role !== "public",
  );
  for (const entry of readable) {
    it(`${entry.key}: nothing of the deal for a non-member`, async () => {
      const response = await callRoute("outsider", entry, secret);
      const text = await response.text();
      expect(text).not.toContain(word);
      if (entry.route.startsWith("/api/deals/[id]")) expect(response.status).toBe(404);
    });
  }

  const dealWrites = discovered.filter(
    ({ method, route }) => method !== "GET" && method !== "HEAD" && route.startsWith("/api/deals/[id]"),
  );
  for (const entry of dealWrites) {
    it(`${entry.key}: a 404 for a non-member that changes nothing; the member and the admin may`, async () => {
      const id = await secretDeal();
      const send = await prepareRoute("outsider", entry, id);
      const before = await tableCounts();
      const refused = await send();
      expect(refused.status).toBe(404);
      expect(await tableCounts()).toEqual(before);
      for (const who of ["member", "admin"] as const) {
        const fresh = await secretDeal();
        // Restore needs a deleted deal: delete it first, as its owner would.
        if (entry.route.endsWith("/restore"))
          await deleteDeal(fresh, { actor: "matrix", viewer: { admin: true, memberOf: [] } });
        const allowed = await callRoute(who, entry, fresh);
        expect(allowed.status, `${who}: ${await allowed.clone().text()}`).toBeLessThan(300);
      }
    });
  }

  it("the member and the admin read it in the deal API, the list, search, export and timeline", async () => {
    for (const who of ["member", "admin"] as const) {
      const headers = { cookie: cookieOf(who) };
      const get = async (url: string, route: string, params = {}) => {
        const { GET } = (await import(`@/app/api/${route}/route`)) as {
          GET: (r: Request, c: unknown) => Promise<Response>;
        };
        const response = await GET(new Request(`http://localhost${url}`, { headers }), {
          params: Promise.resolve(params),
        });
        expect(response.status, url).toBe(200);
        return response.text();
      };
      expect(await get(`/api/deals/${secret}`, "deals/[id]", { id: String(secret) })).toContain(word);
      expect(await get(`/api/deals?q=${word}`, "deals")).toContain(word);
      expect(await get(`/api/export/deals.csv?q=${word}`, "export/deals.csv")).toContain(word);
      expect(await get(`/api/timeline?q=${word}`, "timeline")).toContain(word);
    }
  });

  /** Every page under app/, with the props that show the deal or its company or area. */
  const pageFiles = appFiles
    .filter((f) => f.endsWith(`${path.sep}page.tsx`))
    .map((f) => path.relative(path.join(ROOT, "app"), f).split(path.sep).join("/"));
  const PAGES: Record<string, () => Promise<Record<string, unknown>>> = {
    "(auth)/setup/page.tsx": async () => ({}),
    "(auth)/sign-in/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(auth)/unsubscribe/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/activity/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/candidates/[id]/accept/page.tsx": async () => ({
      params: Promise.resolve({ id: await waitingCandidate() }),
    }),
    "(dashboard)/candidates/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/companies/[slug]/brief/page.tsx": async () => ({
      params: Promise.resolve({ slug: partner.slug }),
      searchParams: Promise.resolve({}),
    }),
    "(dashboard)/companies/[slug]/edit/page.tsx": async () => ({
      params: Promise.resolve({ slug: partner.slug }),
    }),
    "(dashboard)/companies/[slug]/merge/page.tsx": async () => ({
      params: Promise.resolve({ slug: partner.slug }),
      searchParams: Promise.resolve({ into: (await company()).slug }),
    }),
    "(dashboard)/companies/[slug]/page.tsx": async () => ({
      params: Promise.resolve({ slug: partner.slug }),
      searchParams: Promise.resolve({}),
    }),
    "(dashboard)/companies/duplicates/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/companies/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/compare/page.tsx": async () => ({
      searchParams: Promise.resolve({ company: [partner.slug, (await company()).slug] }),
    }),
    "(dashboard)/deals/[id]/edit/page.tsx": async () => ({ params: Promise.resolve({ id: String(secret) }) }),
    "(dashboard)/deals/[id]/page.tsx": async () => ({
      params: Promise.resolve({ id: String(secret) }),
      searchParams: Promise.resolve({}),
    }),
    "(dashboard)/deals/deleted/page.tsx": async () => ({}),
    "(dashboard)/deals/from-article/page.tsx": async () => ({}),
    "(dashboard)/deals/new/page.tsx": async () => ({}),
    "(dashboard)/deals/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/import/page.tsx": async () => ({}),
    "(dashboard)/inbox/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/network/page.tsx": async () => ({
      searchParams: Promise.resolve({ company: partner.slug }),
    }),
    "(dashboard)/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/audit/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/digest/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/feeds/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/teams/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/tokens/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/users/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/settings/webhooks/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/sources/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "(dashboard)/technologies/[slug]/brief/page.tsx": async () => ({
      params: Promise.resolve({ slug: areaSlug }),
      searchParams: Promise.resolve({}),
    }),
    "(dashboard)/technologies/[slug]/edit/page.tsx": async () => ({
      params: Promise.resolve({ slug: areaSlug }),
    }),
    "(dashboard)/technologies/[slug]/merge/page.tsx": async () => ({
      params: Promise.resolve({ slug: areaSlug }),
      searchParams: Promise.resolve({ into: (await area()).slug }),
    }),
    "(dashboard)/technologies/[slug]/page.tsx": async () => ({
      params: Promise.resolve({ slug: areaSlug }),
      searchParams: Promise.resolve({}),
    }),
    "(dashboard)/technologies/page.tsx": async () => ({}),
    "(dashboard)/timeline/page.tsx": async () => ({
      searchParams: Promise.resolve({ company: partner.slug }),
    }),
    "(dashboard)/views/page.tsx": async () => ({ searchParams: Promise.resolve({}) }),
    "embed/[token]/[widget]/page.tsx": async () => ({
      params: Promise.resolve({ token: await memberShare(), widget: "deals-over-time" }),
    }),
    "share/[token]/page.tsx": async () => ({
      params: Promise.resolve({ token: await memberShare() }),
      searchParams: Promise.resolve({}),
    }),
  };
  /** A share link the member made of all deals: whoever opens it sees public deals only. */
  const memberShare = async () => {
    const view = await createView(
      { id: people.member.id, role: "editor" },
      { name: unique("Matrix share"), path: `/deals?company=${partner.slug}`, shared: false },
    );
    return (await createShareLink(view.id, { id: people.member.id, role: "editor" }, { allowExport: true }))
      .token;
  };

  /** What a page renders for `who`: its element tree with every prop (data handed to client parts included). */
  async function render(page: string, who: "member" | "outsider" | "admin"): Promise<string> {
    requestHeaders = new Headers({ cookie: cookieOf(who) });
    const { default: Page } = (await import(path.join(ROOT, "app", page))) as {
      default: (props: Record<string, unknown>) => Promise<unknown>;
    };
    // React's development fields (_owner, _store, debug info) point back into the tree.
    const seen = new WeakSet<object>();
    try {
      return JSON.stringify(await Page(await PAGES[page]!()), (key, value: unknown) => {
        if (key.startsWith("_")) return undefined;
        if (typeof value === "symbol") return String(value);
        if (value && typeof value === "object") {
          if (seen.has(value)) return undefined;
          seen.add(value);
        }
        return value;
      });
    } catch (error) {
      return String((error as { digest?: string }).digest ?? error);
    }
  }

  it("every page has an entry", () => {
    expect(pageFiles.sort()).toEqual(Object.keys(PAGES).sort());
  });

  for (const page of pageFiles) {
    it(`${page}: nothing of the deal for a non-member`, async () => {
      expect(await render(page, "outsider")).not.toContain(word);
    });
  }

  it("pages show it to the member and the admin: the deal, its edit form, the deals list, the company and area", async () => {
    for (const who of ["member", "admin"] as const)
      for (const page of [
        "(dashboard)/deals/[id]/page.tsx",
        "(dashboard)/deals/[id]/edit/page.tsx",
        "(dashboard)/deals/page.tsx",
        "(dashboard)/companies/[slug]/page.tsx",
        "(dashboard)/technologies/[slug]/brief/page.tsx",
      ])
        expect(await render(page, who), `${page} as ${who}`).toContain(word);
    // And the deal's own pages are a 404 to the non-member.
    for (const page of ["(dashboard)/deals/[id]/page.tsx", "(dashboard)/deals/[id]/edit/page.tsx"])
      expect(await render(page, "outsider")).toMatch(/404/);
  });
});
