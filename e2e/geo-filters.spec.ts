import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { editorToken } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { createDeal, unique } from "./fixtures";

// The country multi-select (issue 23): two countries picked by keyboard alone, the list and the URL
// follow, and the same works at phone width.

async function dealIn(request: APIRequestContext, year: string, countries: [string, string]) {
  const deal = await createDeal(request, {
    title: unique(`Geo ${countries.join("-")}`),
    announcedOn: `${year}-06-15`,
  });
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
  const field = page.getByRole("combobox", { name: label });
  await expect(field).toBeEnabled(); // its code loads after the page (components/ui/multi-select.tsx)
  await field.focus();
  await page.keyboard.type(typed);
  await expect(page.getByRole("listbox", { name: label }).getByRole("option").first()).toContainText(typed);
  await page.keyboard.press("Enter");
}

for (const width of [1280, 390]) {
  test(`two countries picked by keyboard filter the list and stay in the URL (${width} px)`, async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width, height: 900 });
    // A year of their own (the demo data is far later), so the list holds only these deals.
    const year = width === 1280 ? "1951" : "1952";
    const korean = await dealIn(request, year, ["KR", "KR"]);
    const japanese = await dealIn(request, year, ["JP", "US"]);
    await dealIn(request, year, ["DE", "FR"]);

    await page.goto(`/deals?from=${year}-01-01&to=${year}-12-31`);
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
    await expectNoSeriousViolations(page, `deals filtered by two countries at ${width} px`);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(width);

    // Removing one chip from the keyboard, then applying, narrows the list to the other country.
    await expect(page.getByRole("combobox", { name: "Country" })).toBeEnabled();
    await page.getByRole("combobox", { name: "Country" }).focus();
    await page.keyboard.press("Backspace");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/country=KR(?!&country)/);
    await expect(rows).toHaveCount(2);
  });
}

test("the dashboard applies a country at once and says cross-border", async ({ page, request }) => {
  await dealIn(request, "1953", ["KR", "JP"]);
  await page.goto("/?from=1953-01-01&to=1953-12-31");
  const bar = page.getByRole("search", { name: "Filter the dashboard" });
  await pick(page, "Country", "Japan");
  await expect(page).toHaveURL(/[?&]country=JP/);
  await bar.getByLabel("Cross-border").selectOption({ label: "Cross-border" });
  await expect(page).toHaveURL(/[?&]crossBorder=1/);
  await bar.getByLabel("Cross-border").selectOption({ label: "Any" });
  await expect(page).not.toHaveURL(/crossBorder/);
  await expectNoSeriousViolations(page, "dashboard with a country");
});
