import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { editorToken } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { createDeal, unique } from "./fixtures";

// The country multi-select (issue 23): two countries picked by keyboard alone, the list and the URL
// follow, and the same works at phone width.

async function dealIn(request: APIRequestContext, tag: string, countries: [string, string]) {
  const deal = await createDeal(request, { title: `${tag} ${countries.join("-")}` });
  for (const [i, party] of deal.parties.entries()) {
    const response = await request.patch(`/api/companies/${party.company.slug}`, {
      headers: { Authorization: `Bearer ${editorToken()}` },
      data: { version: 1, country: countries[i] },
    });
    expect(response.status(), await response.text()).toBe(200);
  }
  return deal;
}

/** Types into the combobox and adds the first match with Enter, as a keyboard user would. */
async function pick(page: Page, label: string, typed: string) {
  const box = page.getByRole("combobox", { name: label });
  await box.focus();
  await page.keyboard.type(typed);
  await expect(page.getByRole("option").first()).toBeVisible();
  await page.keyboard.press("Enter");
}

for (const width of [1280, 390]) {
  test(`two countries picked by keyboard filter the list and stay in the URL (${width} px)`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    const tag = unique("Geo");
    const korean = await dealIn(request, tag, ["KR", "KR"]);
    const japanese = await dealIn(request, tag, ["JP", "US"]);
    await dealIn(request, tag, ["DE", "FR"]);

    await page.goto(`/deals?q=${encodeURIComponent(tag)}`);
    await pick(page, "Country", "South Kor");
    await pick(page, "Country", "Japan");
    await page.keyboard.press("Escape");
    const field = page.locator(".multi-select", { has: page.getByRole("combobox", { name: "Country" }) });
    await expect(field.getByRole("button", { name: "Remove South Korea" })).toBeAttached();
    await expect(field.getByRole("button", { name: "Remove Japan" })).toBeAttached();
    await expectNoSeriousViolations(page, `deals filter with two countries at ${width} px`);
    await page.getByRole("button", { name: "Apply filters" }).click();

    await expect(page).toHaveURL(/country=KR&country=JP/);
    const rows = page.getByRole("table", { name: "Deals" }).getByRole("row");
    await expect(rows).toHaveCount(3);
    await expect(page.getByRole("link", { name: korean.title })).toBeVisible();
    await expect(page.getByRole("link", { name: japanese.title })).toBeVisible();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(width);

    // Removing one chip from the keyboard, then applying, narrows the list to the other country.
    await page.getByRole("combobox", { name: "Country" }).focus();
    await page.keyboard.press("Backspace");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/country=KR(?!&country)/);
    await expect(rows).toHaveCount(2);
  });
}

test("the dashboard applies a country at once and says cross-border", async ({ page, request }) => {
  const tag = unique("Geo dash");
  await dealIn(request, tag, ["KR", "JP"]);
  await page.goto(`/?q=${encodeURIComponent(tag)}`);
  const bar = page.getByRole("search", { name: "Filter the dashboard" });
  await bar.getByRole("combobox", { name: "Country" }).focus();
  await page.keyboard.type("Japan");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]country=JP/);
  await bar.getByLabel("Cross-border").selectOption({ label: "Cross-border" });
  await expect(page).toHaveURL(/[?&]crossBorder=1/);
  await bar.getByLabel("Cross-border").selectOption({ label: "Any" });
  await expect(page).not.toHaveURL(/crossBorder/);
  await expectNoSeriousViolations(page, "dashboard with a country");
});
