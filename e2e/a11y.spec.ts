import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations, settle } from "./axe";
import { createDeal } from "./fixtures";

// Every page, checked by axe (WCAG 2.0/2.1 A and AA) once it has drawn. /setup is checked in
// auth.setup.ts, the only moment a fresh install shows it.

const editorPages: {
  name: string;
  path: string | ((dealId: number) => string);
  open?: (page: Page) => Promise<void>;
}[] = [
  { name: "dashboard", path: "/" },
  { name: "deals list", path: "/deals" },
  {
    name: "a deal",
    path: (id) => `/deals/${id}`,
    open: (page) => page.getByRole("region", { name: "Revision history" }).locator("summary").first().click(),
  },
  { name: "new deal", path: "/deals/new" },
  { name: "edit deal", path: (id) => `/deals/${id}/edit` },
  { name: "deleted deals", path: "/deals/deleted" },
  { name: "companies", path: "/companies" },
  { name: "a company", path: "/companies/sk-telecom" },
  { name: "technologies", path: "/technologies" },
  { name: "a technology", path: "/technologies/5g" },
  { name: "a company brief", path: "/companies/sk-telecom/brief" },
  { name: "a technology brief", path: "/technologies/5g/brief" },
  { name: "timeline", path: "/timeline" },
  { name: "network", path: "/network" },
  {
    name: "activity",
    path: "/activity",
    open: (page) => page.getByRole("region", { name: "Changes" }).locator("summary").first().click(),
  },
  { name: "import", path: "/import" },
  { name: "views", path: "/views" },
  { name: "inbox", path: "/inbox" },
  { name: "feeds", path: "/settings/feeds" },
  { name: "settings", path: "/settings" },
];

for (const { name, path, open } of editorPages) {
  test(`axe: ${name}`, async ({ page, request }) => {
    const url = typeof path === "string" ? path : path((await createDeal(request)).id);
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await settle(page);
    if (open) await open(page);
    await expectNoSeriousViolations(page, name);
    // The account menu, opened.
    if (name === "dashboard") {
      await page.getByRole("banner").locator("summary").click();
      await expectNoSeriousViolations(page, `${name} with the account menu open`);
    }
  });
}

test.describe("as an admin", () => {
  test.use({ storageState: storageState("admin") });
  for (const path of [
    "/settings",
    "/settings/users",
    "/settings/teams",
    "/settings/tokens",
    "/settings/webhooks",
  ]) {
    test(`axe: ${path}`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await settle(page);
      await expectNoSeriousViolations(page, path);
    });
  }
});

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  // No failed sign-in here: those count towards the per-client limit that roles.spec.ts meets.
  test("axe: sign-in", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expectNoSeriousViolations(page, "sign-in");
  });
});
