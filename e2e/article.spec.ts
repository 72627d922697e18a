import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { asEditor } from "./fixtures";

// The seed article of the project: Microsoft and SK Telecom's MoU as WinBuzzer reported it.
// Both tests draft as the same editor, and each user drafts one article at a time (a second one at
// once is a 429): run them one after the other.
test.describe.configure({ mode: "default" });

const article = fs.readFileSync(path.join(process.cwd(), "test", "fixtures", "seed-article.txt"), "utf8");

async function draft(page: Page, text = article, publishedOn = "2019-05-14") {
  // "Add from article" stands next to "Add deal" on the deals list.
  await page.goto("/deals");
  await page.getByRole("main").getByRole("link", { name: "Add from article" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add from article" })).toBeVisible();
  await page.getByLabel("Article", { exact: true }).fill(text);
  await page.getByLabel("Published on").fill(publishedOn);
  await page.getByRole("button", { name: "Draft deal" }).click();
  await expect(page.getByRole("heading", { name: "Review the draft" })).toBeVisible();
}

test("an editor drafts a deal from an article, reviews the evidence and saves it; a second paste finds it", async ({
  page,
  request,
}) => {
  // Start from a database without the MoU (put back at the end).
  const known = await (
    await request.get("/api/deals?company=Microsoft&partner=SK%20Telecom&type=mou", { headers: asEditor() })
  ).json();
  const removed = (known.items as { id: number }[]).map((deal) => deal.id);
  for (const id of removed) {
    expect((await request.delete(`/api/deals/${id}`, { headers: asEditor() })).status()).toBe(200);
  }

  await draft(page);
  await expect(page.getByRole("heading", { name: "Already known?" })).toHaveCount(0);
  const found = page.getByRole("region", { name: "Companies in the article" });
  await expect(found.getByText("Known company")).toHaveCount(2);

  const parties = page.getByRole("group", { name: "Parties" });
  const companies = parties.getByLabel("Company", { exact: true });
  await expect(companies.nth(0)).toHaveValue("Microsoft");
  await expect(companies.nth(1)).toHaveValue("SK Telecom");
  const types = page.getByRole("group", { name: "Deal types" });
  await expect(types.getByLabel("Memorandum of understanding")).toBeChecked();
  await expect(page.getByLabel("Binding", { exact: true })).toHaveValue("non_binding");
  const areas = page.getByRole("group", { name: "Technology areas" });
  for (const area of ["5G", "AI", "Cloud", "IoT"])
    await expect(areas.getByLabel(area, { exact: true })).toBeChecked();
  const speakers = page.getByRole("group", { name: "Quotes" }).getByLabel("Speaker", { exact: true });
  const names = await speakers.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  expect(names).toContain("Jason Zander");
  expect(names.filter((n) => n !== "Jason Zander").every((n) => /^(Park|Jark) Jung-ho$/.test(n))).toBe(true);
  // Each drafted field says where it came from; the passage is marked in the article beside the form.
  await expect(page.getByText(/From the article: .*% sure/).first()).toBeVisible();
  await expect(
    page.getByRole("complementary", { name: "The article" }).locator("mark").first(),
  ).toBeVisible();
  await expect(page.getByText(/No web address: it is saved as pasted text/)).toBeVisible();

  await page.getByLabel("Source URL").fill("https://winbuzzer.com/2019/05/14/microsoft-sk-telecom-mou");
  await page.getByRole("button", { name: "Save deal" }).click();
  await expect(page.getByRole("status")).toContainText("Deal saved");
  const saved = Number(new URL(page.url()).pathname.split("/").at(-1));
  expect(saved).toBeGreaterThan(0);

  // With the MoU present again, the same paste offers to add the article to it instead.
  await draft(page);
  await expect(page.getByRole("heading", { name: "Already known?" })).toBeVisible();
  await page.getByLabel("Article's web address").fill("https://example.org/the-same-news-elsewhere");
  await page.getByRole("button", { name: `Add this article as a source to deal #${saved}` }).click();
  await expect(page).toHaveURL(new RegExp(`/deals/${saved}\\?saved=1`));
  // The new source is listed under the deal's sources (its link text is the article's headline).
  await expect(page.locator('a[href="https://example.org/the-same-news-elsewhere"]')).toBeVisible();

  // Leave the data as the other specs expect it: the real MoU back, the drafted copy gone.
  expect((await request.delete(`/api/deals/${saved}`, { headers: asEditor() })).status()).toBe(200);
  for (const id of removed) {
    expect((await request.post(`/api/deals/${id}/restore`, { headers: asEditor() })).status()).toBe(200);
  }
});

test("the review page passes axe, works at phone width and marks what it could not find", async ({
  page,
}) => {
  const text = [
    "Nova Wireless and SK Telecom sign memorandum of understanding on 6G research",
    "SEOUL -- Nova Wireless and SK Telecom said they signed a non-binding memorandum of understanding to study 6G radio and AI-driven networks together.",
    '"6G starts with research we can only do together," said Ada Park, chief technology officer at Nova Wireless.',
  ].join("\n\n");
  for (const size of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    await page.setViewportSize(size);
    await page.goto("/deals/from-article");
    await page.getByLabel("Article", { exact: true }).fill(text);
    await page.getByRole("button", { name: "Draft deal" }).click();
    await expect(page.getByRole("heading", { name: "Review the draft" })).toBeVisible();
    await expect(
      page.getByText("No announcement date in the article or its page: none was guessed."),
    ).toBeVisible();
    await expect(page.getByLabel("Announced on")).toHaveValue("");
    await expectNoSeriousViolations(page, `article review at ${size.width} px`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
  }
});

// Issue 21's new-user article: a supply agreement pasted without a link, between two companies Atlas
// does not know yet, about an area it does not have.
test("the Panasonic–Sila article drafts the same twice, saves with only the area chosen, and makes no duplicate company", async ({
  page,
  request,
}) => {
  const sila = fs.readFileSync(
    path.join(process.cwd(), "test", "fixtures", "news-dev", "panasonic-sila.txt"),
    "utf8",
  );
  const form = page.locator(".review-grid form");
  const fieldValues = () =>
    form
      .locator("input, select, textarea")
      .evaluateAll((fields) =>
        fields.map((f) =>
          f instanceof HTMLInputElement && (f.type === "checkbox" || f.type === "radio")
            ? `${f.name}:${f.value}:${f.checked}`
            : `${(f as HTMLInputElement).name}:${(f as HTMLInputElement).value}`,
        ),
      );

  await draft(page, sila, "2023-02-01");
  const found = page.getByRole("region", { name: "Companies in the article" });
  await expect(found.getByText("New company")).toHaveCount(2);
  const first = await fieldValues();
  await draft(page, sila, "2023-02-01");
  expect(await fieldValues()).toEqual(first);

  const parties = page.getByRole("group", { name: "Parties" });
  await expect(parties.getByLabel("Company", { exact: true }).nth(0)).toHaveValue("Panasonic Energy");
  await expect(parties.getByLabel("Company", { exact: true }).nth(1)).toHaveValue("Sila Nanotechnologies");
  await expect(page.getByLabel("Announced on")).toHaveValue("2023-01-31");
  const areas = page.getByRole("group", { name: "Technology areas" });
  await expect(areas.getByLabel("Semiconductors", { exact: true })).not.toBeChecked();
  // The one choice the analyst makes: the new area the article turns on.
  await page
    .getByRole("region", { name: "New technology areas?" })
    .getByLabel("Add “EV batteries” as a new technology area")
    .check();
  await expect(areas.getByLabel("EV batteries", { exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Save deal" }).click();
  await expect(page.getByRole("status")).toContainText("Deal saved");
  const saved = Number(new URL(page.url()).pathname.split("/").at(-1));
  await expect(page.getByText("Pasted text").first()).toBeVisible();

  // Pasted again, the article finds both companies and the deal it made: no new company is offered.
  await draft(page, sila, "2023-02-01");
  await expect(found.getByText("Known company")).toHaveCount(2);
  await expect(found.getByText("New company")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Already known?" })).toBeVisible();
  for (const q of ["Sila", "Panasonic Energy"]) {
    const companies = await (
      await request.get(`/api/companies?q=${encodeURIComponent(q)}`, { headers: asEditor() })
    ).json();
    expect(
      (companies.items as { name: string }[])
        .map((c) => c.name)
        .filter((n) => /Sila|Panasonic Energy/.test(n)),
    ).toHaveLength(1);
  }
  expect((await request.delete(`/api/deals/${saved}`, { headers: asEditor() })).status()).toBe(200);
});
