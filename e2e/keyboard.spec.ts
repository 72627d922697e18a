import { expect, test, type Page } from "@playwright/test";
import { settle } from "./axe";

// The charts, the timeline and the network work from the keyboard alone: Tab reaches them with a
// visible focus ring, and Enter or Space opens what a click opens.

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const focused = (page: Page) => page.locator(":focus");
const outline = (page: Page) => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);

test("a dashboard bar opens its deals from the keyboard", async ({ page }) => {
  await page.goto("/");
  await settle(page);
  const chart = page.getByRole("region", { name: "Top companies by deals" });
  await chart.getByText("Data table").click();
  const second = chart.locator("details table tbody tr").nth(1);
  const name = await second.locator("td").first().innerText();
  const count = Number(await second.locator("td").nth(1).innerText());

  // Tab from the chart's last control lands on the chart, which shows the first bar's figures.
  await chart.getByRole("link", { name: "Download image as PNG: Top companies by deals" }).focus();
  await page.keyboard.press("Tab");
  await expect(focused(page)).toHaveClass(/recharts-surface/);
  expect(await outline(page)).not.toBe("none");
  await expect(chart.locator(".recharts-tooltip-wrapper")).toBeVisible();
  // Down (or right) moves to the next bar of the ranking.
  await page.keyboard.press("ArrowDown");
  await expect(chart.locator(".recharts-tooltip-wrapper")).toContainText(name);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/deals\?company=/);
  await expect(page.getByText(`${count} ${count === 1 ? "deal" : "deals"} match`)).toBeVisible();
  await expect(page.getByLabel("Active filters")).toContainText("Company:");
});

test("a timeline mark opens its deal from the keyboard", async ({ page }) => {
  await page.goto("/timeline");
  await settle(page);
  const lanes = page.getByRole("region", { name: "Deals by company" });
  // Lane names come first in the tab order, then the marks lane by lane.
  await lanes
    .getByRole("link", { name: /\(\d+\)$/ })
    .last()
    .focus();
  await page.keyboard.press("Tab");
  const mark = focused(page);
  await expect(mark).toHaveAttribute("role", "link");
  expect(await outline(page)).not.toBe("none");
  const card = lanes.getByRole("tooltip");
  await expect(card).toBeVisible();
  const title = await card.locator("strong").innerText();
  expect(await mark.getAttribute("aria-label")).toMatch(new RegExp(`^${escapeRegExp(title)}, `));
  await page.keyboard.press("Tab");
  await expect(lanes.getByRole("tooltip")).toBeVisible();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/deals\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("a network node opens its company from the keyboard", async ({ page }) => {
  await page.goto("/network");
  await settle(page);
  const widget = page.getByRole("region", { name: "Partner network" });
  await widget.getByRole("link", { name: "Download data: Partner network" }).focus();
  await page.keyboard.press("Tab");
  const node = focused(page);
  await expect(node).toHaveAttribute("aria-label", /, \d+ deals$/);
  expect(await outline(page)).not.toBe("none");
  const name = (await node.getAttribute("aria-label"))!.replace(/, \d+ deals$/, "");
  await page.keyboard.press("Space");
  await expect(page).toHaveURL(/\/companies\/[\w-]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});
