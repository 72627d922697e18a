import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { editorToken } from "./accounts";
import { expectNoSeriousViolations, settle } from "./axe";
import { createDeal, unique } from "./fixtures";

// The geography widgets (issue 23): the dashboard's world map, its data table, a country's deals,
// axe, and a phone's width.

/** Sets companies' country and sector through the company API, as an editor would. */
async function setGeography(
  request: APIRequestContext,
  rows: { slug: string; country: string; sector: string }[],
) {
  for (const r of rows) {
    const response = await request.patch(`/api/companies/${r.slug}`, {
      headers: { Authorization: `Bearer ${editorToken()}` },
      data: { version: 1, country: r.country, sector: r.sector },
    });
    expect(response.status(), await response.text()).toBe(200);
  }
}

/** A deal between an Icelandic and a New Zealand company: countries no other spec uses. */
async function icelandDeal(request: Parameters<typeof createDeal>[0]) {
  const deal = await createDeal(request, {
    parties: [
      { company: unique("Geo Reykjavik"), role: "partner" },
      { company: unique("Geo Auckland"), role: "partner" },
    ],
  });
  const [a, b] = deal.parties.map((p) => p.company.slug);
  await setGeography(request, [
    { slug: a!, country: "IS", sector: "517" },
    { slug: b!, country: "NZ", sector: "54" },
  ]);
}

async function mapOf(page: Page) {
  const region = page.getByRole("region", { name: "Deals by country", exact: true });
  // The map's code loads after the page (lazy-charts.tsx): slow on a busy machine.
  await expect(region.getByRole("group", { name: "World map of deals by country" })).toBeVisible({
    timeout: 30_000,
  });
  return region;
}

test("the dashboard's map opens a country's deals, has a data table, and passes axe", async ({
  page,
  request,
}) => {
  await icelandDeal(request);
  await page.goto("/");
  const region = await mapOf(page);
  const iceland = region.getByRole("link", { name: /^Iceland: \d+ deals?$/ });
  await expect(iceland).toBeVisible();
  await expect(region).toContainText("A deal counts once in each country among its parties");

  await region.getByText("Data table", { exact: true }).click();
  const row = region.getByRole("row", { name: /Iceland/ });
  await expect(row).toContainText("IS");
  const count = Number(await row.getByRole("cell").nth(2).innerText());
  expect(count).toBeGreaterThanOrEqual(1);
  await expect(iceland).toHaveAccessibleName(`Iceland: ${count} ${count === 1 ? "deal" : "deals"}`);

  for (const title of ["Cross-border corridors", "Deals by sector", "Sectors × technology areas"])
    await expect(page.getByRole("region", { name: title, exact: true })).toBeVisible();
  await settle(page);
  // For looking at (not compared): the map and the heat map as drawn.
  await region.screenshot({ path: "/tmp/geowidgets-map-1280.png" });
  await page
    .getByRole("region", { name: "Sectors × technology areas", exact: true })
    .screenshot({ path: "/tmp/geowidgets-heat-1280.png" });
  await expectNoSeriousViolations(page, "the dashboard with its geography widgets");

  // The keyboard reaches the country and opens its deals.
  await iceland.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/deals\?(.*&)?country=IS(&|$)/);
  await expect(page.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the map, the corridors and the heat map fit the screen", async ({ page, request }) => {
    await icelandDeal(request);
    await page.goto("/");
    const region = await mapOf(page);
    await expect(region.getByRole("link", { name: /^Iceland: / })).toBeVisible();
    await settle(page);
    const box = await region.locator("figure.world-map svg").boundingBox();
    expect(box!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await region.screenshot({ path: "/tmp/geowidgets-map-390.png" });
    await page
      .getByRole("region", { name: "Sectors × technology areas", exact: true })
      .screenshot({ path: "/tmp/geowidgets-heat-390.png" });
    await expectNoSeriousViolations(page, "the dashboard at phone width");
  });
});

test("a company page shows its partners' countries and sectors", async ({ page, request }) => {
  const deal = await createDeal(request, {
    parties: [
      { company: unique("Geo Mix Home"), role: "partner" },
      { company: unique("Geo Mix Partner"), role: "partner" },
    ],
  });
  const [home, partner] = deal.parties.map((p) => p.company.slug);
  await setGeography(request, [
    { slug: home!, country: "IS", sector: "517" },
    { slug: partner!, country: "NZ", sector: "54" },
  ]);
  await page.goto(`/companies/${home}`);
  const mix = page.getByRole("region", { name: "Partners by country and sector" });
  await expect(mix.getByRole("table", { name: "By country" })).toContainText("New Zealand");
  await expect(mix.getByRole("table", { name: "By country" })).not.toContainText("Iceland");
  await expect(mix.getByRole("table", { name: "By sector" })).toContainText(
    "Professional, Scientific, and Technical Services",
  );
  await settle(page);
  await expectNoSeriousViolations(page, "a company page with its partner mix");
});
