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

async function draft(page: Page) {
  // "Add from article" stands next to "Add deal" on the deals list.
  await page.goto("/deals");
  await page.getByRole("main").getByRole("link", { name: "Add from article" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add from article" })).toBeVisible();
  await page.getByLabel("Article", { exact: true }).fill(article);
  await page.getByLabel("Published on").fill("2019-05-14");
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
  await expect(page.getByText("No web address: add the article's link.")).toBeVisible();

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
