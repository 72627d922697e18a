import { expect, test } from "@playwright/test";
import { asEditor } from "./fixtures";

test("the dashboard draws its charts, and a filter updates them and the URL", async ({ page, request }) => {
  await page.goto("/");
  for (const title of [
    "Deals over time, by type",
    "Top companies by deals",
    "Deals by technology area",
    "Technology areas over time",
    "Deal types and binding",
  ]) {
    await expect(
      page.getByRole("region", { name: title }).locator(".recharts-wrapper").first(),
    ).toBeVisible();
  }
  const glance = page.getByRole("region", { name: "At a glance" });
  await expect(glance).toContainText("Deals");

  await page
    .getByRole("search", { name: "Filter the dashboard" })
    .getByRole("combobox", { name: "Type" })
    .fill("Joint");
  await page.getByRole("option", { name: "Joint venture" }).click();
  await expect(page).toHaveURL(/[?&]type=joint_venture/);
  const expected = await (
    await request.get("/api/stats/summary?type=joint_venture", { headers: asEditor() })
  ).json();
  await expect(glance.locator("dd.value").first()).toHaveText(String(expected.deals));

  // Back restores the unfiltered view.
  await page.goBack();
  await expect(page).not.toHaveURL(/type=/);
  const all = await (await request.get("/api/stats/summary", { headers: asEditor() })).json();
  await expect(glance.locator("dd.value").first()).toHaveText(all.deals.toLocaleString("en"));
});

test("clicking a bar opens exactly that slice of deals", async ({ page }) => {
  await page.goto("/");
  const chart = page.getByRole("region", { name: "Top companies by deals" });
  await chart.getByText("Data table").click();
  const firstRow = chart.locator("details table tbody tr").first();
  const name = await firstRow.locator("td").first().innerText();
  const count = Number(await firstRow.locator("td").nth(1).innerText());
  await chart.locator(".recharts-bar-rectangle").first().click();
  await expect(page).toHaveURL(/\/deals\?company=/);
  await expect(page.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();
  await expect(page.getByText(`${count} ${count === 1 ? "deal" : "deals"} match`)).toBeVisible();
  await expect(page.getByLabel("Active filters")).toContainText("Company:");
  await expect(
    page.getByRole("table", { name: "Deals" }).getByRole("link", { name, exact: true }).first(),
  ).toBeVisible();
});

test("the timeline switches between company and technology lanes", async ({ page }) => {
  await page.goto("/timeline");
  await expect(page.getByRole("region", { name: "Deals by company" })).toBeVisible();
  await expect(page.getByRole("link", { name: /SK Telecom/ }).first()).toBeVisible();
  await page
    .getByRole("group", { name: "Group lanes by" })
    .getByRole("button", { name: "Technologies" })
    .click();
  await expect(page).toHaveURL(/groupBy=technology/);
  const lanes = page.getByRole("region", { name: "Deals by technology area" });
  await expect(lanes).toBeVisible();
  await expect(lanes.getByRole("link", { name: /^AI \(\d+\)$/ })).toBeVisible();
  // A mark opens its deal.
  await lanes
    .getByRole("link", { name: /MoU on 5G, AI and cloud/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/deals\/\d+$/);
});

test("a company page ranks its partners and opens a pair's history", async ({ page, request }) => {
  await page.goto("/companies/sk-telecom");
  const partners = page.getByRole("region", { name: "Partners" });
  await expect(partners.getByRole("link", { name: "Deutsche Telekom", exact: true })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Technology mix" }).locator(".recharts-wrapper"),
  ).toBeVisible();
  await partners.getByRole("link", { name: "Deutsche Telekom", exact: true }).click();
  await expect(page).toHaveURL(/company=sk-telecom&partner=deutsche-telekom/);
  const pair = await (
    await request.get("/api/deals?company=sk-telecom&partner=deutsche-telekom", { headers: asEditor() })
  ).json();
  await expect(page.getByRole("table", { name: "Deals" }).getByRole("row")).toHaveCount(pair.total + 1);
});

test("the network and technology pages show who works with whom", async ({ page }) => {
  await page.goto("/network");
  await expect(page.getByRole("link", { name: /^SK Telecom, \d+ deals$/ })).toBeVisible();
  await page.goto("/technologies");
  await page.getByRole("link", { name: "5G", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "5G" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Related areas" }).getByRole("link").first()).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Most active pairs" }).getByRole("link").first(),
  ).toBeVisible();
});
