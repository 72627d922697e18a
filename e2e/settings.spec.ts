import { expect, test, type Browser } from "@playwright/test";
import { storageState, type Role } from "./accounts";

async function settingsLinks(browser: Browser, role: Role) {
  const context = await browser.newContext({ storageState: storageState(role) });
  const page = await context.newPage();
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const links = await page.getByRole("main").getByRole("link").allTextContents();
  await context.close();
  return links;
}

test("/settings lists the settings pages each role may open", async ({ browser }) => {
  expect(await settingsLinks(browser, "viewer")).toEqual(["Feeds", "E-mail digest"]);
  expect(await settingsLinks(browser, "editor")).toEqual(["Feeds", "E-mail digest"]);
  expect(await settingsLinks(browser, "admin")).toEqual([
    "Feeds",
    "E-mail digest",
    "Users",
    "Teams",
    "API tokens",
    "Webhooks",
    "Security audit log",
  ]);
});

test("every page has an icon, signed in or not", async ({ browser, page }) => {
  const check = async (p: typeof page, path: string) => {
    await p.goto(path);
    const href = await p.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href, `icon link on ${path}`).toBeTruthy();
    const icon = await p.request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  };
  await check(page, "/deals");
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  await check(await context.newPage(), "/sign-in");
  await context.close();
});
