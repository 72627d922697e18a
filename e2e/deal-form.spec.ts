import { expect, test } from "@playwright/test";
import { createDeal, unique } from "./fixtures";

test("an analyst adds a deal through the form", async ({ page }) => {
  const title = unique("Nova and SK Telecom sign 6G MoU");
  const partner = unique("Nova Wireless");
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Add deal" }).click();
  await expect(page.getByRole("heading", { name: "Add deal" })).toBeVisible();

  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Announced on").fill("2024-02-20");
  await page.getByLabel("Date precision").selectOption("day");
  const types = page.getByRole("group", { name: "Deal types" });
  await types.getByLabel("Memorandum of understanding").check();
  await types.getByLabel("Strategic partnership").check();
  await page.getByLabel("Binding", { exact: true }).selectOption({ label: "Non-binding" });
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Announced" });

  const parties = page.getByRole("group", { name: "Parties" });
  await parties.getByLabel("Company", { exact: true }).nth(0).fill("SKT");
  await expect(parties.getByText("Will link to SK Telecom")).toBeVisible();
  await parties.getByLabel("Company", { exact: true }).nth(1).fill(partner);
  await parties.getByLabel("Role").nth(1).selectOption({ label: "Partner" });

  const areas = page.getByRole("group", { name: "Technology areas" });
  await areas.getByLabel("5G", { exact: true }).check();
  const newArea = unique("Terahertz radio");
  await page.getByLabel("New technology area").fill(newArea);
  await page.getByRole("button", { name: "Add area" }).click();
  await expect(areas.getByLabel(newArea)).toBeChecked();

  await page.getByLabel("Summary").fill("The two companies will study 6G radio together.");
  await page.getByLabel("Value").fill("2500000");
  await page.getByLabel("Currency").fill("EUR");
  await page.getByLabel("Source URL").fill("https://example.org/nova-skt");
  await page.getByRole("button", { name: "Add quote" }).click();
  await page.getByLabel("Quote", { exact: true }).fill("6G starts here.");
  await page.getByLabel("Speaker", { exact: true }).fill("Ada Park");
  await page.getByLabel("Speaker title").fill("CTO");
  await page.getByLabel("Speaker company").fill(partner);
  await page.getByRole("button", { name: "Save deal" }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Deal saved");
  const partiesCard = page.getByRole("region", { name: "Parties" });
  await expect(partiesCard.getByRole("link", { name: "SK Telecom", exact: true })).toBeVisible();
  await expect(partiesCard.getByRole("link", { name: partner })).toBeVisible();
  await expect(page.getByText("“6G starts here.”")).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Technology areas" }).getByRole("link", { name: newArea }),
  ).toBeVisible();
  await expect(page.getByRole("region", { name: "Facts" })).toContainText("€2.5M");
});

test("every invalid field shows its own message at once, and nothing is saved", async ({ page, request }) => {
  const title = unique("Half-finished deal");
  await page.goto("/deals/new");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page
    .getByRole("group", { name: "Parties" })
    .getByLabel("Company", { exact: true })
    .nth(0)
    .fill(unique("Lonely Co"));
  await page.getByLabel("Source URL").fill("javascript:alert(1)");
  await page.getByLabel("Value").fill("12.345");
  await page.getByLabel("Currency").fill("USD");
  await page.getByRole("button", { name: "Save deal" }).click();

  await expect(page.getByRole("alert").filter({ hasText: "Nothing was saved" })).toContainText(
    "fields need attention.",
  );
  const expectError = async (label: ReturnType<typeof page.getByLabel>, message: RegExp) => {
    await expect(label).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await label.getAttribute("aria-describedby"))!.split(" ")[0]!;
    await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(message);
  };
  await expectError(page.getByLabel("Announced on"), /real calendar date/);
  await expectError(page.getByLabel("Source URL"), /http:\/\/ or https:\/\//);
  await expectError(page.getByLabel("Value"), /decimals USD allows/);
  await expectError(
    page.getByRole("group", { name: "Parties" }).getByLabel("Company", { exact: true }).nth(1),
    /Name the company/,
  );
  await expect(page.getByRole("group", { name: "Deal types" })).toContainText(
    "Choose at least one deal type",
  );
  // What the analyst typed is still there.
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);

  const found = await request.get(`/api/deals?q=${encodeURIComponent(title)}`);
  expect((await found.json()).total).toBe(0);
});

test("a corrected field loses its error, and the summary counts only what is left", async ({ page }) => {
  await page.goto("/deals/new");
  await page.getByLabel("Title", { exact: true }).fill(unique("Corrected deal"));
  await page.getByLabel("Source URL").fill("javascript:alert(1)");
  await page.getByLabel("Value").fill("12.345");
  await page.getByLabel("Currency").fill("USD");
  await page.getByRole("button", { name: "Save deal" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Nothing was saved" });
  // Announced on, deal types, both party companies, the source URL and the value.
  await expect(summary).toContainText("6 fields need attention.");

  const announced = page.getByLabel("Announced on");
  await announced.fill("2024-02-20");
  await expect(announced).not.toHaveAttribute("aria-invalid");
  await expect(summary).toContainText("5 fields need attention.");
  await expect(summary.getByRole("link", { name: "Announced on" })).toHaveCount(0);

  // Still invalid after a change: its error stays, with what is wrong now.
  const value = page.getByLabel("Value");
  await value.fill("12.3456");
  await expect(value).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Source URL").fill("https://example.org/corrected");
  await page.getByRole("group", { name: "Deal types" }).getByLabel("Joint venture").check();
  await expect(summary).toContainText("3 fields need attention.");
  await value.fill("12.34");
  await expect(summary).toContainText("2 fields need attention.");
  const companies = page.getByRole("group", { name: "Parties" }).getByLabel("Company", { exact: true });
  await companies.nth(0).fill(unique("Fixer Co"));
  await expect(summary).toContainText("One field needs attention.");
  await companies.nth(1).fill(unique("Mender Co"));
  await expect(summary).toHaveCount(0);
});

test("a company with one deal is said to have 1 deal, not 1 deals", async ({ page, request }) => {
  const deal = await createDeal(request);
  const company = deal.parties[0]!.company.name;
  await page.goto("/deals/new");
  await page
    .getByRole("group", { name: "Parties" })
    .getByLabel("Company", { exact: true })
    .nth(0)
    .fill(company);
  await expect(page.getByText("Existing company · 1 deal", { exact: true })).toBeVisible();
});

test("an analyst edits a deal and sees the change in its history", async ({ page, request }) => {
  const deal = await createDeal(request);
  await page.goto(`/deals/${deal.id}`);
  await page.getByRole("link", { name: "Edit deal" }).click();
  const newTitle = `${deal.title} (amended)`;
  await page.getByLabel("Title", { exact: true }).fill(newTitle);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Active" });
  await page.getByRole("button", { name: "Save deal" }).click();
  await expect(page.getByRole("heading", { level: 1, name: newTitle })).toBeVisible();
  const history = page.getByRole("region", { name: "Revision history" });
  await expect(history).toContainText("Edited · version 2 · Eddie Editor <editor@atlas.test>");
  await history.getByText("Edited").click();
  await expect(history.getByRole("cell", { name: newTitle })).toBeVisible();
  await expect(page.getByRole("region", { name: "Status history" })).toContainText("Active");
});

test("saving over someone else's change is refused and keeps what was typed", async ({
  browser,
  request,
}) => {
  const deal = await createDeal(request);
  const context = await browser.newContext();
  const first = await context.newPage();
  const second = await context.newPage();
  await first.goto(`/deals/${deal.id}/edit`);
  await second.goto(`/deals/${deal.id}/edit`);

  await first.getByLabel("Title", { exact: true }).fill(`${deal.title} — first tab`);
  await first.getByRole("button", { name: "Save deal" }).click();
  await expect(first.getByRole("heading", { level: 1, name: `${deal.title} — first tab` })).toBeVisible();

  const summary = "Typed in the second tab and must not be lost.";
  await second.getByLabel("Summary").fill(summary);
  await second.getByRole("button", { name: "Save deal" }).click();
  await expect(second.getByRole("alert").filter({ hasText: "Not saved" })).toContainText(
    "changed by someone else",
  );
  await expect(second.getByLabel("Summary")).toHaveValue(summary);

  await second.getByRole("button", { name: "Save my version anyway" }).click();
  await expect(second.getByRole("heading", { level: 1, name: deal.title })).toBeVisible();
  await expect(second.getByRole("region", { name: "Summary" })).toContainText(summary);
  await context.close();
});

test("removing a party keeps the other rows' input with them", async ({ page }) => {
  await page.goto("/deals/new");
  const parties = page.getByRole("group", { name: "Parties" });
  await page.getByRole("button", { name: "Add party" }).click();
  const companies = parties.getByLabel("Company", { exact: true });
  await companies.nth(0).fill("First Party Co");
  await companies.nth(1).fill("Second Party Co");
  await companies.nth(2).fill("Third Party Co");
  await parties.getByLabel("Role").nth(2).selectOption({ label: "Investor" });

  await page.getByRole("button", { name: "Remove party 1" }).click();

  await expect(companies).toHaveCount(2);
  await expect(companies.nth(0)).toHaveValue("Second Party Co");
  await expect(companies.nth(1)).toHaveValue("Third Party Co");
  await expect(parties.getByLabel("Role").nth(1)).toHaveValue("investor");
});
