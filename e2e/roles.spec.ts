import { expect, test, type Browser } from "@playwright/test";
import { ACCOUNTS, PASSWORD, storageState, type Role } from "./accounts";
import { createDeal, unique } from "./fixtures";

const signedOut = { cookies: [], origins: [] };
const as = async (browser: Browser, role: Role) => {
  const context = await browser.newContext({ storageState: storageState(role) });
  return { context, page: await context.newPage() };
};

test("a viewer browses everything but sees no edit controls", async ({ browser, request }) => {
  const deal = await createDeal(request);
  const { context, page } = await as(browser, "viewer");
  await page.goto(`/deals/${deal.id}`);
  await expect(page.getByRole("heading", { level: 1, name: deal.title })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit deal" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete deal" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Restore this version" })).toHaveCount(0);
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Add deal" }),
  ).toHaveCount(0);

  await page.goto("/deals/new");
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  await page.goto("/settings/users");
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();

  // The API says no as well, with the right status.
  const refused = await page.request.post("/api/technologies", {
    headers: { "content-type": "application/json", origin: new URL(page.url()).origin },
    data: { name: unique("Viewer area") },
  });
  expect(refused.status()).toBe(403);
  await context.close();
});

test("anyone signed out is sent to sign in, and comes back where they were going", async ({ browser }) => {
  const context = await browser.newContext({ storageState: signedOut });
  const page = await context.newPage();
  await page.goto("/companies?q=SK");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Email").fill(ACCOUNTS.viewer.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/companies\?q=SK/);
  await expect(page.getByRole("link", { name: "SK Telecom", exact: true })).toBeVisible();

  expect((await page.request.get("/api/deals")).status()).toBe(200);
  expect((await context.request.fetch("/api/deals", { headers: { cookie: "x=y" } })).status()).toBe(401);

  await page.getByLabel(`Account: ${ACCOUNTS.viewer.name}`).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/deals");
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});

test("an admin deactivates a user, which ends their session at once", async ({ browser }) => {
  const email = `${unique("temp").replace(/\W/g, "").toLowerCase()}@atlas.test`;
  const admin = await as(browser, "admin");
  await admin.page.goto("/settings/users");
  const form = admin.page.getByRole("region", { name: "Add a user" });
  await form.getByLabel("Name").fill("Tess Temp");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByLabel("Role").selectOption("editor");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toBeVisible();

  const temp = await browser.newContext({ storageState: signedOut });
  const tempPage = await temp.newPage();
  await tempPage.goto("/sign-in");
  await tempPage.getByLabel("Email").fill(email);
  await tempPage.getByLabel("Password").fill(PASSWORD);
  await tempPage.getByRole("button", { name: "Sign in" }).click();
  await expect(tempPage.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();

  await admin.page.reload();
  await admin.page.getByRole("button", { name: "Deactivate Tess Temp" }).click();
  await expect(admin.page.getByRole("button", { name: "Reactivate Tess Temp" })).toBeVisible();

  await tempPage.goto("/deals");
  await expect(tempPage).toHaveURL(/\/sign-in/);
  await temp.close();
  await admin.context.close();
});

test("the activity log shows who changed what, and an editor can restore an earlier version", async ({
  page,
  request,
}) => {
  const deal = await createDeal(request);
  await page.goto(`/deals/${deal.id}/edit`);
  const changed = `${deal.title} — renamed`;
  await page.getByLabel("Title", { exact: true }).fill(changed);
  await page.getByRole("button", { name: "Save deal" }).click();
  await expect(page.getByRole("heading", { level: 1, name: changed })).toBeVisible();

  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await page.getByLabel("Deal id").fill(String(deal.id));
  await page.getByRole("button", { name: "Apply filters" }).click();
  const changes = page.getByRole("region", { name: "Changes" });
  await expect(changes).toContainText("Edited · version 2 · Eddie Editor");
  await expect(changes).toContainText('Created · version 1 · token "e2e fixtures"');

  await page.goto(`/deals/${deal.id}`);
  const history = page.getByRole("region", { name: "Revision history" });
  await history.getByText("Created · version 1").click();
  await history.getByRole("button", { name: "Restore this version" }).click();
  await expect(page.getByRole("heading", { level: 1, name: deal.title })).toBeVisible();
  await expect(history).toContainText("Edited · version 3");
});
