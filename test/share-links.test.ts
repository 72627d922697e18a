import { createHash } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setUserActive } from "@/db/accounts/auth";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { openShareLink } from "@/db/follow/share-links";
import { createView } from "@/db/follow/views";
import { shareLinks } from "@/db/schema";
import { slugify } from "@/lib/names";
import { COMPARE_WIDGETS } from "@/lib/widgets";
import { signedInAccount, type SignedIn } from "./signed-in";
import { dealFixture, testDb, unique } from "./db";

// Share links end to end through their real routes, pages and tables: who may make them, what an
// anonymous visitor sees (the view's deals and nothing else), and that expired, revoked or unknown
// links are 404s.

// Pages call connection() to opt out of prerendering; outside Next there is no request scope.
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => {},
}));

// Server Actions read the caller from next/headers; here the test supplies that request context.
let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Account = SignedIn;
const people: Record<"ann" | "ben" | "admin", Account> = {} as never;

const account = (role: "viewer" | "admin"): Promise<Account> => signedInAccount(role);

const session = (who: Account) => ({
  cookie: who.cookie,
  host: "localhost",
  origin: "http://localhost",
  "content-type": "application/json",
});

async function postLink(who: Account, viewId: number | string, body: unknown = {}) {
  const { POST } = await import("@/app/api/views/[id]/links/route");
  return POST(
    new Request(`http://localhost/api/views/${viewId}/links`, {
      method: "POST",
      headers: session(who),
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: String(viewId) }) },
  );
}

async function listLinks(who: Account, viewId: number) {
  const { GET } = await import("@/app/api/views/[id]/links/route");
  return GET(new Request(`http://localhost/api/views/${viewId}/links`, { headers: session(who) }), {
    params: Promise.resolve({ id: String(viewId) }),
  });
}

async function deleteLink(who: Account, viewId: number, linkId: number) {
  const { DELETE } = await import("@/app/api/views/[id]/links/[linkId]/route");
  return DELETE(
    new Request(`http://localhost/api/views/${viewId}/links/${linkId}`, {
      method: "DELETE",
      headers: session(who),
    }),
    { params: Promise.resolve({ id: String(viewId), linkId: String(linkId) }) },
  );
}

/** A link made through the API; returns its token (from the URL) and id. */
async function makeLink(who: Account, viewId: number, body: unknown = {}) {
  const response = await postLink(who, viewId, body);
  expect(response.status, await response.clone().text()).toBe(201);
  const link = (await response.json()) as { id: number; url: string; expiresAt: string | null };
  return { ...link, token: link.url.split("/share/")[1]! };
}

async function view(owner: Account, path: string, shared = false) {
  return createView(owner, { name: unique("Shared view"), path, shared });
}

/** Renders a share page to HTML as Next would (the page is a Server Component). */
async function sharePage(token: string, search: Record<string, string> = {}) {
  const { default: SharePage } = await import("@/app/share/[token]/page");
  const element = await SharePage({
    params: Promise.resolve({ token }),
    searchParams: Promise.resolve(search),
  });
  return renderToStaticMarkup(element);
}

async function shareFile(kind: "charts" | "export", token: string, file: string, query = "") {
  const { GET } =
    kind === "charts"
      ? await import("@/app/share/[token]/charts/[file]/route")
      : await import("@/app/share/[token]/export/[file]/route");
  return GET(new Request(`http://localhost/share/${token}/${kind}/${file}${query}`), {
    params: Promise.resolve({ token, file }),
  });
}

/** Next's notFound() throws this digest; the page then renders the 404. */
const NOT_FOUND = expect.objectContaining({ digest: expect.stringContaining("404") });

// One technology area of this file's own: the views filter on it, and other deals stay outside.
const area = unique("Share area");
const otherArea = unique("Other area");
const inside: string[] = [];
const outside: string[] = [];
/** The slugs of the first inside deal's two companies. */
const partySlugs: string[] = [];
let deletedTitle = "";

beforeAll(async () => {
  testDb();
  people.ann = await account("viewer");
  people.ben = await account("viewer");
  people.admin = await account("admin");
  for (let i = 0; i < 2; i++) {
    const deal = await createDeal(dealFixture({ technologies: [area] }), { actor: "test" });
    inside.push(deal.title);
    if (i === 0) partySlugs.push(...deal.parties.map((p) => p.company.slug));
  }
  const other = await createDeal(dealFixture({ technologies: [otherArea] }), { actor: "test" });
  outside.push(other.title);
  const gone = await createDeal(dealFixture({ technologies: [area] }), { actor: "test" });
  await deleteDeal(gone.id, { actor: "test" });
  deletedTitle = gone.title;
});

const dealsPath = () => `/deals?technology=${slugify(area)}`;

describe("making share links", () => {
  it("gives the owner a 256-bit link whose token is stored only as its SHA-256", async () => {
    const v = await view(people.ann, dealsPath());
    const link = await makeLink(people.ann, v.id, { allowExport: true });
    expect(link.url).toMatch(/^http:\/\/localhost\/share\/[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toBeNull();
    const [row] = await testDb().select().from(shareLinks).where(eq(shareLinks.id, link.id));
    expect(row!.tokenHash).toBe(createHash("sha256").update(link.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(link.token);
  });

  it("refuses bad input with field errors", async () => {
    const v = await view(people.ann, dealsPath());
    const past = await postLink(people.ann, v.id, { expiresAt: "2001-01-01T00:00:00Z", extra: 1 });
    expect(past.status).toBe(400);
    const { fieldErrors } = await past.json();
    expect(fieldErrors.expiresAt).toEqual(["Choose a time in the future"]);
    expect(fieldErrors._form[0]).toMatch(/extra/);
    expect((await postLink(people.ann, v.id, { expiresAt: "soon" })).status).toBe(400);
    expect((await postLink(people.ann, "abc")).status).toBe(404);
  });

  it("lets the owner or an admin manage links: others get 403, a private view stays a 404", async () => {
    const shared = await view(people.ann, "/", true);
    const privateView = await view(people.ann, "/");
    expect((await postLink(people.ben, shared.id)).status).toBe(403);
    expect((await listLinks(people.ben, shared.id)).status).toBe(403);
    expect((await postLink(people.ben, privateView.id)).status).toBe(404);
    expect((await postLink(people.admin, privateView.id)).status).toBe(404);
    const byAdmin = await makeLink(people.admin, shared.id);
    expect((await deleteLink(people.ben, shared.id, byAdmin.id)).status).toBe(403);
    expect((await deleteLink(people.admin, shared.id, byAdmin.id)).status).toBe(204);
  });

  it("counts openings of the page (not of its images) and shows them to the owner", async () => {
    const v = await view(people.ann, "/?interval=year");
    const link = await makeLink(people.ann, v.id, { expiresAt: "2999-01-01T00:00:00Z" });
    expect(link.expiresAt).toBe("2999-01-01T00:00:00.000Z");
    await sharePage(link.token);
    await sharePage(link.token);
    expect((await shareFile("charts", link.token, "deal-types.svg")).status).toBe(200);
    const { items } = await (await listLinks(people.ann, v.id)).json();
    expect(items).toEqual([
      expect.objectContaining({
        id: link.id,
        openCount: 2,
        lastOpenedAt: expect.any(String),
        expired: false,
      }),
    ]);
    expect(JSON.stringify(items)).not.toContain(link.token);
  });

  it("the Views page's form makes a link whose address it shows once, and revokes it", async () => {
    const { createShareLinkAction, deleteShareLinkAction } = await import("@/app/(dashboard)/views/actions");
    const v = await view(people.ann, dealsPath());
    requestHeaders = new Headers({ cookie: people.ann.cookie, host: "atlas.example" });
    const bad = await createShareLinkAction(
      { status: "idle" },
      { viewId: v.id, expiresAt: "2001-01-01T00:00:00Z" },
    );
    expect(bad).toEqual({ status: "invalid", fieldErrors: { expiresAt: ["Choose a time in the future"] } });
    const made = await createShareLinkAction({ status: "idle" }, { viewId: v.id, allowExport: true });
    expect(made.status).toBe("created");
    const token = (made as { url: string }).url.replace("http://atlas.example/share/", "");
    const share = await openShareLink(token);
    expect(share).toMatchObject({ allowExport: true, view: { page: "deals" } });
    const form = new FormData();
    form.set("viewId", String(v.id));
    form.set("linkId", String(share!.linkId));
    requestHeaders = new Headers({ cookie: people.ben.cookie, host: "atlas.example" });
    await expect(deleteShareLinkAction(form)).rejects.toThrow(/View not found/); // a private view
    requestHeaders = new Headers({ cookie: people.ann.cookie, host: "atlas.example" });
    await deleteShareLinkAction(form);
    expect(await openShareLink(token)).toBeNull();
  });
});

describe("what a visitor sees", () => {
  it("a deals list shows the view's live deals only, whatever the URL adds, with no links out", async () => {
    const v = await view(people.ann, dealsPath());
    const { token } = await makeLink(people.ann, v.id);
    // Parameters that would widen the view on the real list are ignored here.
    const html = await sharePage(token, { technology: "", q: "", pageSize: "500", page: "1" });
    for (const title of inside) expect(html).toContain(title);
    for (const title of [...outside, deletedTitle]) expect(html).not.toContain(title);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.every((h) => h.startsWith(`/share/${token}`))).toBe(true);
    expect(html).not.toMatch(/<form|Download CSV/);
  });

  it("a dashboard shows its figures and charts as images and tables, only from the view", async () => {
    const v = await view(people.ann, `/?technology=${slugify(area)}&rankBy=partners`);
    const { token } = await makeLink(people.ann, v.id);
    const html = await sharePage(token, { technology: "" });
    expect(html).toContain(`src="/share/${token}/charts/top-companies.svg"`);
    expect(html).toContain("Data table");
    // Two live deals match; the deleted one and the other area's do not.
    expect(html).toMatch(/<td>Deals<\/td><td>2<\/td>/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.every((h) => h.startsWith(`/share/${token}/charts/`))).toBe(true);
    expect(html).not.toContain("Download data");
    const svg = await shareFile("charts", token, "top-companies.svg", "?technology=");
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get("x-robots-tag")).toMatch(/noindex/);
    const png = await shareFile("charts", token, "top-companies.png");
    expect(png.headers.get("content-type")).toBe("image/png");
    expect((await shareFile("charts", token, "network.svg")).status).toBe(404);
    expect((await shareFile("charts", token, "top-companies.gif")).status).toBe(404);
  });

  it("every page a view can name shares as its page shows it: its charts, and only those", async () => {
    const [a, b] = partySlugs as [string, string];
    // `empty`: charts with nothing to draw for these deals (no shared partners), which say so instead.
    const cases: { path: string; charts: string[]; summary: boolean; refused: string; empty?: string[] }[] = [
      {
        path: `/companies/${a}`,
        charts: ["deals-over-time", "technologies", "partner-mix"],
        summary: true,
        refused: "countries",
      },
      {
        path: `/technologies/${slugify(area)}`,
        charts: ["deals-over-time", "top-companies", "partner-mix"],
        summary: true,
        refused: "network",
      },
      {
        path: `/timeline?technology=${slugify(area)}&groupBy=technology`,
        charts: ["timeline"],
        summary: false,
        refused: "deals-over-time",
      },
      {
        path: `/network?technology=${slugify(area)}`,
        charts: ["network"],
        summary: false,
        refused: "timeline",
      },
      {
        path: `/compare?company=${a}&company=${b}`,
        charts: [...COMPARE_WIDGETS], // the compare page's panels, in page order
        summary: false,
        refused: "top-companies",
        empty: ["compare-shared"],
      },
      {
        // Areas compared: the page has no "Top partners" panel, so neither has its share.
        path: `/compare?technology=${slugify(area)}&technology=${slugify(otherArea)}`,
        charts: COMPARE_WIDGETS.filter((name) => name !== "compare-partners"),
        summary: false,
        refused: "compare-partners",
        empty: ["compare-shared"], // no company is in both areas
      },
    ];
    for (const c of cases) {
      const v = await view(people.ann, c.path);
      const { token } = await makeLink(people.ann, v.id, { allowExport: true });
      const html = await sharePage(token);
      const images = [...html.matchAll(/src="\/share\/[^/]+\/charts\/([a-z-]+)\.svg"/g)].map((m) => m[1]);
      // A chart with nothing to draw (no shared partners here) says so instead of an empty image.
      const drawn = c.charts.filter((chart) => !c.empty?.includes(chart));
      expect(images, c.path).toEqual(drawn);
      if (drawn.length < c.charts.length) expect(html).toContain("Nothing to show here for this view.");
      expect(html.includes("At a glance"), c.path).toBe(c.summary);
      for (const chart of c.charts) {
        const svg = await shareFile("charts", token, `${chart}.svg`);
        expect(svg.status, `${c.path} ${chart}`).toBe(200);
        expect(await svg.text()).toMatch(/^<svg/);
      }
      expect((await shareFile("charts", token, `${c.refused}.svg`)).status, c.path).toBe(404);
      expect((await shareFile("export", token, `${c.charts[0]}.csv`)).status, c.path).toBe(200);
      expect((await shareFile("export", token, "summary.csv")).status, c.path).toBe(c.summary ? 200 : 404);
    }
    // A shared company page counts only the company's live deals: the first inside deal, not the others.
    const company = await view(people.ann, `/companies/${a}`);
    const { token } = await makeLink(people.ann, company.id, { allowExport: true });
    const summary = await (await shareFile("export", token, "summary.csv")).text();
    expect(summary).toMatch(/^metric,value\r?\ndeals,1\r?\n/);
    const timeline = await (
      await shareFile(
        "export",
        (
          await makeLink(people.ann, (await view(people.ann, `/timeline?technology=${slugify(area)}`)).id, {
            allowExport: true,
          })
        ).token,
        "timeline.csv",
      )
    ).text();
    for (const title of inside) expect(timeline).toContain(title);
    for (const title of [...outside, deletedTitle]) expect(timeline).not.toContain(title);
  });

  it("downloads only when the link allows it, and then only the view's rows", async () => {
    const v = await view(people.ann, dealsPath());
    const closed = await makeLink(people.ann, v.id);
    expect((await shareFile("export", closed.token, "deals.csv")).status).toBe(403);
    const open = await makeLink(people.ann, v.id, { allowExport: true });
    expect(await sharePage(open.token)).toContain(`href="/share/${open.token}/export/deals.csv"`);
    const csv = await (await shareFile("export", open.token, "deals.csv", "?technology=")).text();
    for (const title of inside) expect(csv).toContain(title);
    for (const title of [...outside, deletedTitle]) expect(csv).not.toContain(title);
    expect((await shareFile("export", open.token, "summary.csv")).status).toBe(404);
    const dashboard = await view(people.ann, `/?technology=${slugify(area)}`);
    const dashLink = await makeLink(people.ann, dashboard.id, { allowExport: true });
    const summary = await (await shareFile("export", dashLink.token, "summary.csv")).text();
    expect(summary).toMatch(/^metric,value\r?\ndeals,2\r?\n/);
    expect((await shareFile("export", dashLink.token, "deals.csv")).status).toBe(404);
  });

  it("an expired, revoked, unknown or deactivated owner's link is a 404 everywhere", async () => {
    const owner = await account("viewer");
    const v = await view(owner, "/");
    const expired = await makeLink(owner, v.id, { expiresAt: new Date(Date.now() + 60_000).toISOString() });
    await testDb().write((tx) =>
      tx
        .update(shareLinks)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(shareLinks.id, expired.id)),
    );
    const revoked = await makeLink(owner, v.id);
    expect((await deleteLink(owner, v.id, revoked.id)).status).toBe(204);
    expect((await deleteLink(owner, v.id, revoked.id)).status).toBe(404);
    const unknown = "A".repeat(43);
    for (const token of [expired.token, revoked.token, unknown, "short"]) {
      await expect(sharePage(token)).rejects.toEqual(NOT_FOUND);
      expect((await shareFile("charts", token, "deal-types.svg")).status).toBe(404);
      expect((await shareFile("export", token, "summary.csv")).status).toBe(404);
    }
    const live = await makeLink(owner, v.id);
    expect(await openShareLink(live.token)).not.toBeNull();
    await setUserActive(owner.id, false);
    expect(await openShareLink(live.token)).toBeNull();
  });
});
