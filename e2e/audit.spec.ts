import { expect, test } from "@playwright/test";
import { ACCOUNTS, storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";

test.use({ storageState: storageState("admin") });

test("an admin sees sign-ins and an export in the security audit log and filters by kind", async ({
  page,
}) => {
  // An export of the admin's own, through the same route the Export menu uses.
  const download = await page.request.get("/api/export/deals.csv?type=licensing");
  expect(download.status()).toBe(200);
  await download.body();

  await page.goto("/settings/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Security audit log" })).toBeVisible();
  const table = page.getByRole("table", { name: "Audit events" });
  // The editor and viewer signed in through the form in the setup project.
  await expect(
    table.getByRole("row").filter({ hasText: "Sign-in" }).filter({ hasText: ACCOUNTS.editor.email }).first(),
  ).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: "Export" }).first()).toBeVisible();
  await expectNoSeriousViolations(page, "the audit log");

  await page.getByLabel("Kind").selectOption("export");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/kind=export/);
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toContainText("Export");
  await expect(rows.first()).toContainText("filters: ?type=licensing");
  for (const text of await rows.allTextContents()) expect(text).toContain("Export");
  await expect(page.getByRole("link", { name: "Download CSV" })).toHaveAttribute(
    "href",
    "/api/export/audit.csv?kind=export",
  );
  await expectNoSeriousViolations(page, "the audit log filtered by kind");
});
