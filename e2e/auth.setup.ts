import { expect, test as setup, type Page } from "@playwright/test";
import { ACCOUNTS, PASSWORD, saveEditorToken, storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";

setup.describe.configure({ mode: "serial" });

async function signIn(page: Page, email: string) {
  await page.goto("/deals");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdeals/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();
}

setup("first run: every page leads to /setup, which creates the owner", async ({ page }) => {
  await page.goto("/deals");
  await expect(page).toHaveURL(/\/setup$/);
  await expectNoSeriousViolations(page, "setup");
  await page.getByLabel("Name").fill(ACCOUNTS.admin.name);
  await page.getByLabel("Email").fill(ACCOUNTS.admin.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await expectNoSeriousViolations(page, "setup with an error");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await page.context().storageState({ path: storageState("admin") });

  // Once set up, /setup is closed.
  await page.goto("/setup");
  await expect(page).not.toHaveURL(/\/setup/);
});

setup("the owner adds an editor, a viewer and an API token", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageState("admin") });
  const page = await context.newPage();
  await page.goto("/settings/users");
  for (const role of ["editor", "viewer"] as const) {
    const form = page.getByRole("region", { name: "Add a user" });
    await form.getByLabel("Name").fill(ACCOUNTS[role].name);
    await form.getByLabel("Email").fill(ACCOUNTS[role].email);
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByLabel("Role").selectOption(role);
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(form.getByRole("status")).toContainText(`Created an account for ${ACCOUNTS[role].email}`);
  }
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row")).toHaveCount(4);

  await page.goto("/settings/tokens");
  await page.getByLabel("Token name").fill("e2e fixtures");
  await page.getByLabel("Token role").selectOption("editor");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByLabel("New token").inputValue();
  expect(secret).toMatch(/^pat_/);
  saveEditorToken(secret);
  await context.close();
});

for (const role of ["editor", "viewer"] as const) {
  setup(`the ${role} signs in through the form`, async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await signIn(page, ACCOUNTS[role].email);
    await context.storageState({ path: storageState(role) });
    await context.close();
  });
}
