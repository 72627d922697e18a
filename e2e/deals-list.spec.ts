import { expect, test } from "@playwright/test";
import { asEditor, createDeal, unique } from "./fixtures";

test("an analyst deletes a deal and restores it", async ({ page, request }) => {
  const deal = await createDeal(request);
  await page.goto(`/deals/${deal.id}`);
  await page.getByRole("button", { name: "Delete deal" }).click();
  await expect(page).toHaveURL(/\/deals\?deleted=/);
  await expect(page.getByRole("status")).toContainText("Deal deleted");

  await page.getByLabel("Search").fill(deal.title);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No deals match these filters.")).toBeVisible();

  await page.goto("/deals/deleted");
  await page.getByRole("button", { name: `Restore ${deal.title}` }).click();
  await expect(page.getByRole("status")).toContainText("Deal restored");
  await expect(page.getByRole("heading", { level: 1, name: deal.title })).toBeVisible();
  await expect(page.getByRole("region", { name: "Revision history" })).toContainText("Restored");
});

test("an analyst finds a deal by filters, and the URL keeps the view", async ({ page, request }) => {
  const tag = unique("Filterable");
  const wanted = await createDeal(request, {
    title: `${tag} joint venture`,
    types: ["joint_venture"],
    status: "active",
  });
  await createDeal(request, { title: `${tag} licence`, types: ["licensing"], status: "active" });

  await page.goto("/deals");
  await page.getByLabel("Search").fill(tag);
  await page.getByRole("combobox", { name: "Type" }).fill("Joint");
  await page.getByRole("option", { name: "Joint venture" }).click();
  await page.getByLabel("Status").selectOption({ label: "Active" });
  await page.getByRole("button", { name: "Apply filters" }).click();

  await expect(page).toHaveURL(/type=joint_venture/);
  const rows = page.getByRole("table", { name: "Deals" }).getByRole("row");
  await expect(rows).toHaveCount(2); // header + one deal
  await expect(rows.nth(1).getByRole("link", { name: wanted.title })).toBeVisible();

  // A copied link reproduces the view.
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.getByRole("table", { name: "Deals" }).getByRole("row")).toHaveCount(2);
  await expect(other.getByLabel("Search")).toHaveValue(tag);

  // Removing a filter chip widens the list again.
  await page.getByRole("link", { name: "Remove filter Type: Joint venture" }).click();
  await expect(rows).toHaveCount(3);
});

test("a company filter matches aliases, and company pages list their deals", async ({ page, request }) => {
  const name = unique("Aliased Networks");
  const alias = unique("ANX");
  const created = await request.post("/api/companies", {
    headers: asEditor(),
    data: { name, aliases: [alias], country: "DE" },
  });
  expect(created.status()).toBe(201);
  const deal = await createDeal(request, {
    parties: [
      { company: alias, role: "investor" },
      { company: unique("Investee Labs"), role: "investee" },
    ],
    types: ["investment"],
  });
  await page.goto(`/deals?company=${encodeURIComponent(alias)}`);
  await expect(page.getByRole("link", { name: deal.title })).toBeVisible();

  await page.getByRole("link", { name: "Companies", exact: true }).click();
  await page.getByLabel("Find a company").fill(alias);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText(alias, { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: deal.title })).toBeVisible();
});

test("the demo data and the shell are there on a fresh start", async ({ page }) => {
  await page.goto("/deals?q=Metatron");
  await page
    .getByRole("table", { name: "Deals" })
    .getByRole("link", { name: /Metatron/ })
    .click();
  await expect(page.getByRole("region", { name: "Related deals" })).toContainText("Expanded by");
  await page
    .getByRole("region", { name: "Related deals" })
    .getByRole("link", { name: /MoU on 5G, AI and cloud/ })
    .click();
  await expect(page.getByText("Jason Zander")).toBeVisible();
  await expect(page.getByText("Park Jung-ho").first()).toBeVisible();
  await expect(
    page.getByRole("link", { name: /WinBuzzer|SK Announce Strategic Partnership/ }),
  ).toHaveAttribute("href", /winbuzzer\.com\/2019\/05\/14/);

  for (const name of ["Dashboard", "Deals", "Companies", "Add deal"]) {
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }),
    ).toBeVisible();
  }
  await page.goto("/deals/999999");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
