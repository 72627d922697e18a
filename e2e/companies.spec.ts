import fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { asEditor, createDeal, unique } from "./fixtures";

// Keeping companies clean: rename, merge and undo as an editor; a viewer can do none of it.

async function createCompany(request: APIRequestContext, name: string) {
  const response = await request.post("/api/companies", { headers: asEditor(), data: { name } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: number; name: string; slug: string };
}

test("an editor renames a company and sees the new name in the list and the export", async ({
  page,
  request,
}) => {
  const deal = await createDeal(request);
  const company = deal.parties[0]!.company;
  const newName = unique("Renamed Holdings").replace(/\W/g, "");
  await page.goto(`/companies/${company.slug}`);
  await page.getByRole("link", { name: "Edit company" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit company" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill(newName);
  await page.getByRole("button", { name: "Save company" }).click();
  await expect(page.getByRole("heading", { level: 1, name: newName })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Company saved." })).toBeVisible();
  // The old name stays findable as an alias.
  await expect(page.getByText(company.name, { exact: true }).first()).toBeVisible();

  await page.goto(`/companies?q=${encodeURIComponent(newName)}`);
  await expect(page.getByRole("link", { name: newName, exact: true })).toBeVisible();

  await page.goto(`/deals?q=${encodeURIComponent(deal.title)}`);
  await page.getByRole("button", { name: "Export CSV" }).click();
  const downloading = page.waitForEvent("download");
  await page
    .getByRole("group", { name: "Export the filtered deals" })
    .getByRole("link", { name: /^Deals/ })
    .click();
  const csv = fs.readFileSync((await (await downloading).path())!, "utf8");
  expect(csv).toContain(`${newName} (partner)`);
  expect(csv).not.toContain(`${company.name} (partner)`);
});

test("an editor merges two companies from the UI and undoes it from Activity", async ({ page, request }) => {
  const survivor = await createCompany(request, unique("Survivor Corp"));
  const merged = await createCompany(request, unique("Absorbed Corp"));
  const deal = await createDeal(request, {
    parties: [
      { company: merged.name, role: "partner" },
      { company: unique("Bystander"), role: "partner" },
    ],
  });

  await page.goto(`/companies/${merged.slug}`);
  await page.getByRole("link", { name: "Merge into another company…" }).click();
  await page.getByLabel("Merge into").fill(survivor.name);
  await page.getByRole("button", { name: "Preview merge" }).click();
  const preview = page.getByRole("region", { name: new RegExp(`Merge ${merged.name} into`) });
  await expect(preview.getByRole("link", { name: new RegExp(deal.title) })).toBeVisible();
  await page.getByRole("button", { name: "Merge companies" }).click();
  await expect(page.getByRole("heading", { level: 1, name: survivor.name })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Companies merged." })).toBeVisible();

  // The merged company's page now leads to the survivor.
  await page.goto(`/companies/${merged.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: survivor.name })).toBeVisible();

  await page.goto("/activity");
  const entry = page
    .getByRole("region", { name: "Company and technology changes" })
    .getByRole("listitem")
    .filter({ hasText: `${merged.name} into ${survivor.name}` })
    .filter({ hasText: "Merged · version" })
    .filter({ has: page.getByRole("link", { name: survivor.name, exact: true }) });
  await expect(entry).toHaveCount(1);
  await entry.getByRole("button", { name: "Undo merge" }).click();
  await expect(entry.getByRole("status")).toContainText("Merge undone");

  await page.goto(`/companies/${merged.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: merged.name })).toBeVisible();
  await expect(page.getByRole("link", { name: deal.title })).toBeVisible();
});

const asViewer = async (browser: Browser) => {
  const context = await browser.newContext({ storageState: storageState("viewer") });
  return { context, page: await context.newPage() };
};

test("a viewer sees none of the company buttons and gets 403 from the API", async ({ browser, request }) => {
  const tag = unique("Viewable").replace(/\W/g, "");
  const a = await createCompany(request, `${tag} Electronic`);
  const b = await createCompany(request, `${tag} Electronics`);
  const c = await createCompany(request, `${tag} Other`);
  const merge = await request.post(`/api/companies/${c.slug}/merge`, {
    headers: asEditor(),
    data: { into: a.slug, dryRun: false },
  });
  expect(merge.status(), await merge.text()).toBe(200);
  const { mergeId } = await merge.json();

  const { context, page } = await asViewer(browser);
  await page.goto(`/companies/${a.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: a.name })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit company" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Merge into another company…" })).toHaveCount(0);

  await page.goto("/companies/duplicates");
  await expect(page.getByRole("row").filter({ hasText: b.name })).toBeVisible();
  await expect(page.getByRole("link", { name: "Merge", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Not a duplicate" })).toHaveCount(0);

  await page.goto("/activity");
  await expect(page.getByRole("region", { name: "Company and technology changes" })).toContainText(
    `${c.name} into ${a.name}`,
  );
  await expect(page.getByRole("button", { name: "Undo merge" })).toHaveCount(0);

  await page.goto(`/companies/${a.slug}/edit`);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();

  const origin = new URL(page.url()).origin;
  const headers = { "content-type": "application/json", origin };
  const refused = [
    await page.request.patch(`/api/companies/${a.slug}`, { headers, data: { version: 1, name: `${tag} x` } }),
    await page.request.post(`/api/companies/${b.slug}/merge`, {
      headers,
      data: { into: a.slug, dryRun: false },
    }),
    await page.request.post(`/api/merges/${mergeId}/undo`, { headers, data: {} }),
  ];
  expect(refused.map((r) => r.status())).toEqual([403, 403, 403]);
  await context.close();
});

test("an editor sets a company's country and sector by keyboard and sees them on its page", async ({
  page,
  request,
}) => {
  const company = await createCompany(request, unique("Keyboard Telecom"));
  await page.goto(`/companies/${company.slug}/edit`);
  await expectNoSeriousViolations(page, "the company form");
  // Native selects: focus one and type a name to choose it, as a keyboard user does.
  await page.getByLabel("Country").focus();
  await page.keyboard.type("Finland");
  await expect(page.getByLabel("Country")).toHaveValue("FI");
  await page.getByLabel("Sector (NAICS 2017)").focus();
  await page.keyboard.type("Telecommunications");
  await expect(page.getByLabel("Sector (NAICS 2017)")).toHaveValue("517");
  await page.getByLabel("LEI").fill("HWUPKR0MPOU8FGXBT395");
  await page.getByRole("button", { name: "Save company" }).click();
  // A wrong check digit is named next to its field; nothing was saved.
  await expect(page.getByText("Check digits do not match")).toBeVisible();
  await page.getByLabel("LEI").fill("");
  await page.getByLabel("Wikidata item").fill("Q1418");
  await page.getByLabel("Wikidata item").press("Enter");

  await expect(page.getByRole("heading", { level: 1, name: company.name })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Company saved." })).toBeVisible();
  const identity = page.locator(".card").filter({ has: page.getByRole("heading", { name: "Identity" }) });
  await expect(identity.getByText("Finland")).toBeVisible();
  await expect(identity.getByText("(Europe)")).toBeVisible();
  await expect(identity.getByText("Telecommunications")).toBeVisible();
  await expect(identity.getByRole("link", { name: "Q1418" })).toHaveAttribute(
    "href",
    "https://www.wikidata.org/wiki/Q1418",
  );
  await expectNoSeriousViolations(page, "the company page");
  // At phone width the identity block is further down the page (the partner charts come first), but
  // whole on the screen once scrolled to: nothing of it is cut off sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await identity.getByText("Finland").scrollIntoViewIfNeeded();
  await expect(identity.getByText("Finland")).toBeInViewport({ ratio: 1 });
});

test("an editor checks a reference CSV on the companies page, then applies it", async ({ page, request }) => {
  const company = await createCompany(request, unique("Csv Reference"));
  const fresh = unique("Csv Newcomer");
  await page.goto("/companies");
  await page.getByText("Import reference data (CSV)").click();
  await page.getByLabel("CSV file").setInputFiles({
    name: "reference.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`name,country,sector\n${company.name},JP,517\n${fresh},Atlantis,517\n`),
  });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "problem" })).toContainText(
    "Line 3, country: No country has the code ATLANTIS",
  );
  await expect(page.getByRole("button", { name: "Apply" })).toBeDisabled();
  await expectNoSeriousViolations(page, "the reference import");

  await page.getByLabel("CSV file").setInputFiles({
    name: "reference.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`name,country,sector\n${company.name},JP,517\n${fresh},DE,517\n`),
  });
  await page.getByRole("button", { name: "Check file" }).click();
  const preview = page.getByRole("region", { name: "What the file would do" });
  await expect(preview.getByRole("row").filter({ hasText: company.name })).toContainText("Updates");
  await expect(preview.getByRole("row").filter({ hasText: fresh })).toContainText("New company");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Applied" })).toContainText(
    "1 company updated, 1 company created",
  );
  const after = await (await request.get(`/api/companies/${company.slug}`, { headers: asEditor() })).json();
  expect(after).toMatchObject({ country: "JP", countryName: "Japan", sector: "517" });
});
