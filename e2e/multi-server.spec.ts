import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { startServer, type Server } from "../scripts/server-harness";
import { ACCOUNTS, PASSWORD, storageState } from "./accounts";
import { asEditor, unique } from "./fixtures";

// Several app servers on one PostgreSQL database (issue 9): a second `scripts/serve.mjs` beside the
// suite's server, on the same database. What one server writes, the other shows at once — list,
// deal page, dashboard figures, export — and sessions and sign-in limits are shared. PostgreSQL
// only (`npm run test:pg`): SQLite is one file for one server.

const databaseUrl = process.env.E2E_DATABASE_URL;
test.skip(!databaseUrl, "two app servers share a database on PostgreSQL only");
test.describe.configure({ mode: "serial" });

const portA = Number(process.env.E2E_PORT ?? 3100);
const portB = portA + 7;
const A = `http://127.0.0.1:${portA}`;
const B = `http://127.0.0.1:${portB}`;
let serverB: Server;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  serverB = await startServer({
    port: portB,
    databasePath: databaseUrl!,
    command: [process.execPath, path.join("scripts", "serve.mjs")],
  });
});

test.afterAll(async () => {
  serverB?.child.kill("SIGTERM");
  await serverB?.exited;
});

const json = async (url: string) => {
  const response = await fetch(url, { headers: asEditor() });
  expect(response.status, url).toBe(200);
  return response.json();
};

test("a deal saved through one server is at once in the other's list, deal page, dashboard and export", async ({
  browser,
}) => {
  const title = unique("Two servers");
  const company = unique("Server B Co");
  // Server B has answered (and cached) these before the write. The summary is asked for this deal's
  // own new company: the other specs write deals in parallel, so the count of all deals may move.
  const summaryOfCompany = `${B}/api/stats/summary?company=${encodeURIComponent(company)}`;
  expect(((await json(summaryOfCompany)) as { deals: number }).deals).toBe(0);
  expect((await json(`${B}/api/deals?q=${encodeURIComponent(title)}`)).total).toBe(0);

  const created = await fetch(`${A}/api/deals`, {
    method: "POST",
    headers: { ...asEditor(), "content-type": "application/json" },
    body: JSON.stringify({
      title,
      announcedOn: "2025-02-03",
      types: ["licensing"],
      binding: "binding",
      parties: [
        { company: "Microsoft", role: "licensor" },
        { company, role: "licensee" },
      ],
      technologies: ["Cloud"],
      sources: [{ url: "https://example.org/two-servers" }],
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: number };

  const list = await json(`${B}/api/deals?q=${encodeURIComponent(title)}`);
  expect(list.total).toBe(1);
  expect(list.items[0].id).toBe(id);
  expect(((await json(summaryOfCompany)) as { deals: number }).deals).toBe(1);
  const csv = await (
    await fetch(`${B}/api/export/deals.csv?q=${encodeURIComponent(title)}`, { headers: asEditor() })
  ).text();
  expect(csv).toContain(title);

  const context = await browser.newContext({ storageState: storageState("editor") });
  const page = await context.newPage();
  await page.goto(`${B}/deals/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await context.close();
});

async function signIn(browser: Browser, base: string, email: string, password = PASSWORD) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  return { context, page };
}

test("a session made on one server is valid on the other, and signing out ends it on both", async ({
  browser,
}) => {
  const { context, page } = await signIn(browser, A, ACCOUNTS.viewer.email);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  // Cookies belong to the host, not the port: the same browser session now asks server B.
  await page.goto(`${B}/deals`);
  await expect(page.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();

  await page.goto(`${A}/deals`);
  await page.getByLabel(`Account: ${ACCOUNTS.viewer.name}`).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(`${B}/deals`);
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test("a user deactivated through one server is out on the other at once", async ({ browser }) => {
  const { name, email, admin, page: adminPage } = await createUser(browser, "Mona Multi");

  const { context, page } = await signIn(browser, B, email);
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  await adminPage.reload();
  await adminPage.getByRole("button", { name: `Deactivate ${name}` }).click();
  await expect(adminPage.getByRole("button", { name: `Reactivate ${name}` })).toBeVisible();

  await page.goto(`${B}/deals`);
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
  await admin.close();
});

async function createUser(browser: Browser, prefix: string) {
  const name = unique(prefix);
  const email = `${name.replace(/\W/g, "").toLowerCase()}@atlas.test`;
  const admin = await browser.newContext({ storageState: storageState("admin") });
  const page = await admin.newPage();
  await page.goto(`${A}/settings/users`);
  const form = page.getByRole("region", { name: "Add a user" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toBeVisible();
  return { name, email, admin, page };
}

test("sign-in limits are counted across servers", async ({ browser }) => {
  // An account of its own: the limit locks it for a minute from this client.
  const { email, admin } = await createUser(browser, "Lena Limit");
  await admin.close();
  // Five failures for this account from this client, alternating between the two servers…
  for (let attempt = 0; attempt < 5; attempt++) {
    const { context, page } = await signIn(browser, attempt % 2 ? B : A, email, "not the password");
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
    await context.close();
  }
  // …and the sixth is refused by either, even with the right password.
  for (const base of [A, B]) {
    const { context, page } = await signIn(browser, base, email);
    await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-ins" })).toBeVisible();
    await context.close();
  }
});
