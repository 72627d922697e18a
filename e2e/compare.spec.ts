import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { createDeal, unique } from "./fixtures";

// The compare page (issue 23): reached from a company page by keyboard, its panels drawn on one
// scale for every company, saved as a view, clean under axe, and stacked on a phone.

/** Three companies of the test's own: A and B each work with C, and once with each other. */
async function threeCompanies(request: Parameters<typeof createDeal>[0]) {
  const [a, b, c] = [unique("Cmp Alpha"), unique("Cmp Beta"), unique("Cmp Gamma")];
  const party = (company: string) => ({ company, role: "partner" });
  await createDeal(request, { parties: [party(a), party(c)], announcedOn: "2022-03-01", types: ["mou"] });
  await createDeal(request, { parties: [party(b), party(c)], announcedOn: "2023-05-01" });
  const between = await createDeal(request, {
    parties: [party(a), party(b)],
    announcedOn: "2023-06-01",
    types: ["joint_venture"],
  });
  const [sa, sb] = between.parties.map((p) => p.company.slug);
  return { a, b, c, slugs: { a: sa!, b: sb! }, between };
}

/** The bars' widths of one row label in a panel, one per compared company, in column order. */
async function barWidths(page: Page, panel: string, label: string) {
  return page
    .getByRole("region", { name: panel, exact: true })
    .locator(".compare-bars li", { hasText: label })
    .locator(".compare-bar > span")
    .evaluateAll((spans) => spans.map((s) => (s as HTMLElement).style.width));
}

test("compare a company with another from its page, by keyboard, and save the view", async ({
  page,
  request,
}) => {
  const { a, b, c, slugs, between } = await threeCompanies(request);
  await page.goto(`/companies/${slugs.a}`);
  const picker = page.getByRole("combobox", { name: `Compare ${a} with…` });
  await picker.focus();
  await page.keyboard.type(b);
  await page.keyboard.press("Enter");

  // Names become slugs in the address, so the view saved below is canonical.
  await expect(page).toHaveURL(new RegExp(`/compare\\?company=${slugs.a}&company=${slugs.b}$`));
  await expect(page.getByRole("heading", { level: 1, name: `Compare ${a} · ${b}` })).toBeVisible();
  for (const title of [
    "Deals over time",
    "Deal types",
    "Technology areas",
    "Partners' countries",
    "Top partners",
    "Shared partners",
  ])
    await expect(page.getByRole("heading", { level: 2, name: title, exact: true })).toBeVisible();

  // The same scale in every column: each has 1 deal with Gamma, and the bars are equally long.
  const widths = await barWidths(page, "Shared partners", c);
  expect(widths).toHaveLength(2);
  expect(widths[0]).toBe(widths[1]);
  // Each chart offers its data and its image with the same comparison.
  await expect(page.getByRole("link", { name: "Download image as SVG: Top partners" })).toHaveAttribute(
    "href",
    `/api/charts/compare-partners.svg?company=${slugs.a}&company=${slugs.b}`,
  );
  const svg = await request.get(`/api/charts/compare-partners.svg?company=${slugs.a}&company=${slugs.b}`);
  expect(svg.status()).toBe(200);
  expect(await svg.text()).toContain(`data-legend="${slugs.a}"`);

  await expectNoSeriousViolations(page, "/compare");

  await page.getByRole("button", { name: "Save view" }).click();
  const viewName = unique("Compare view");
  await page.getByLabel("View name").fill(viewName);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${viewName}”` })).toBeVisible();
  await page.goto("/views");
  await expect(page.getByRole("link", { name: viewName })).toHaveAttribute(
    "href",
    `/compare?company=${slugs.a}&company=${slugs.b}`,
  );

  // The deals between them open the pair's history.
  await page.goto(`/compare?company=${slugs.a}&company=${slugs.b}`);
  await page.getByRole("link", { name: `Deals of ${a} with ${b}: 1` }).click();
  await expect(page.getByRole("link", { name: between.title })).toBeVisible();
});

test("the company list compares the ticked companies, and a bad choice says why", async ({
  page,
  request,
}) => {
  const { a, b, slugs } = await threeCompanies(request);
  await page.goto(`/compare?company=${slugs.a}`);
  await expect(page.locator(".alert.error")).toContainText("Choose 2 to 4 companies to compare; you chose 1");
  await page.goto(`/companies?q=${encodeURIComponent(a)}`);
  await page.getByRole("checkbox", { name: `Compare ${a}` }).check();
  await page.goto(`/companies?q=${encodeURIComponent(b)}`);
  await page.getByRole("checkbox", { name: `Compare ${b}` }).check();
  await page.getByRole("button", { name: "Compare selected (2–4)" }).click();
  // One company ticked per search page: the page asks for another.
  await expect(page.locator(".alert.error")).toContainText("you chose 1");
  const add = page.getByRole("combobox", { name: "Compare companies: add a company" });
  await add.fill(a);
  await add.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Compare ${b} · ${a}` })).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test("the panels stack and nothing scrolls sideways", async ({ page, request }) => {
    const { slugs } = await threeCompanies(request);
    await page.goto(`/compare?company=${slugs.a}&company=${slugs.b}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    // On failure, name the elements that reach past the screen's edge.
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")]
        .filter((e) => e.getBoundingClientRect().right > 391)
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    );
    expect(width, wide.join(", ")).toBeLessThanOrEqual(390);
    const columns = page.locator(".compare-panel").first().locator(".compare-column");
    const [first, second] = [await columns.nth(0).boundingBox(), await columns.nth(1).boundingBox()];
    expect(second!.y).toBeGreaterThan(first!.y + first!.height - 1);
    expect(second!.x).toBe(first!.x);
    await expectNoSeriousViolations(page, "/compare on a phone");
  });
});
