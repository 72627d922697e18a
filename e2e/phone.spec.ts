import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations, settle } from "./axe";
import { createDeal } from "./fixtures";

// On a phone (390 × 844) no page scrolls sideways, and the navigation is a menu button.
test.use({ viewport: { width: 390, height: 844 } });

const PAGES = [
  "/",
  "/deals",
  "/deals/new",
  "/deals/deleted",
  "/companies",
  "/companies/sk-telecom",
  "/technologies",
  "/technologies/5g",
  "/companies/sk-telecom/brief",
  "/technologies/5g/brief",
  "/timeline",
  "/network",
  "/activity",
  "/import",
];

test("no page is wider than the screen", async ({ page, request }) => {
  const deal = await createDeal(request);
  for (const path of [...PAGES, `/deals/${deal.id}`, `/deals/${deal.id}/edit`]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await settle(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(390);
  }
});

test.describe("as an admin", () => {
  test.use({ storageState: storageState("admin") });
  test("the settings pages fit too", async ({ page }) => {
    for (const path of ["/settings/users", "/settings/tokens"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${path} is ${width}px wide`).toBeLessThanOrEqual(390);
    }
  });
});

test("the navigation folds into a menu that works from the keyboard", async ({ page }) => {
  await page.goto("/deals");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(nav.getByRole("link", { name: "Companies", exact: true })).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Companies", exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, "deals list on a phone, menu open");
  // Escape closes it and gives focus back to the button.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  await page.keyboard.press("Space");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Companies", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/companies$/);
  await expect(page.getByRole("heading", { level: 1, name: "Companies" })).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Deals", exact: true })).toBeHidden();
});
