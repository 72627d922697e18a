import { expect, test, type Page } from "@playwright/test";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { createDeal, unique } from "./fixtures";

// Briefs are for paper: printed to PDF by Chromium as "Save as PDF" does, they fit on one or two
// pages, carry the footer, and show no control, navigation or filter form.

/** The text of each page of a PDF. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf) }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await doc.destroy();
  return pages;
}

/**
 * Text without white space: the PDF's text runs split words at ligatures ("fi gures") and join
 * lines with spaces, neither of which a reader sees.
 */
const squash = (text: string) => text.replace(/\s+/g, "");

// What the screen shows around the content and paper must not: controls, the crumbs and the
// navigation (whole, as its words alone also occur in deals: "Network virtualization").
const CONTROLS = [
  "Print / Save as PDF",
  "Save view",
  "Export",
  "Skip to content",
  "Sign out",
  "Data table",
  "Download data",
  "/ Brief",
  "Dashboard Deals Timeline Companies Technologies Network Activity Views",
];

function expectNoControls(text: string) {
  for (const label of CONTROLS) expect(squash(text), `"${label}" printed`).not.toContain(squash(label));
  expect(text).not.toMatch(/\bPrint\b/);
}

async function printed(page: Page) {
  // The chart draws after hydration; print once it is there, as a person would.
  await page.waitForLoadState("networkidle");
  return pdfPages(await page.pdf({ format: "A4" }));
}

test("a company brief opens from its page and prints on one or two pages without controls", async ({
  page,
  request,
}) => {
  const company = unique("E2E Brief Co");
  const partner = unique("E2E Brief Partner");
  const area = unique("E2E Brief Area");
  for (const [i, year] of [2021, 2022, 2023].entries()) {
    await createDeal(request, {
      title: unique(`E2E brief deal ${i}`),
      announcedOn: `${year}-03-0${i + 1}`,
      types: i === 0 ? ["mou"] : ["joint_venture"],
      parties: [
        { company, role: "partner" },
        { company: partner, role: "partner" },
      ],
      technologies: [area],
      quotes: [{ text: `We are delighted, number ${i}.`, speaker: "Jane Roe", speakerTitle: "CEO" }],
      sources: [{ url: `https://example.org/brief-${i}`, title: `Brief source ${i}`, publisher: "Wire" }],
    });
  }
  const deal = await createDeal(request, {
    parties: [
      { company, role: "partner" },
      { company: unique("E2E Brief Other"), role: "partner" },
    ],
  });
  const slug = deal.parties.find((p) => p.company.name === company)!.company.slug;

  await page.goto(`/companies/${slug}`);
  // From the keyboard, like every link.
  await page.getByRole("link", { name: "Brief", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/companies/${slug}/brief$`));
  await expect(page.getByRole("heading", { level: 1, name: company })).toBeVisible();
  await expect(page.getByRole("button", { name: "Print / Save as PDF" })).toBeVisible();
  await expect(page.locator(".brief-chart svg.recharts-surface")).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Partners" }).getByRole("link", { name: partner }),
  ).toBeVisible();

  const pages = await printed(page);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  expect(pages.length).toBeLessThanOrEqual(2);
  const text = pages.join("\n");
  for (const expected of [
    company,
    `Deals of ${company}`,
    "Headline figures",
    "Deals over time",
    partner,
    area,
    "We are delighted, number 2.",
    "https://example.org/brief-2",
  ]) {
    expect(squash(text)).toContain(squash(expected));
  }
  // The footer: title, date and page numbers on every page.
  pages.forEach((pageText, i) => {
    expect(squash(pageText)).toContain(squash(`Page ${i + 1} of ${pages.length}`));
    expect(squash(pageText)).toContain(squash(`${company} brief · Partnership Atlas`));
  });
  expect(text).toMatch(/\d{1,2} [A-Z][a-z]+ \d{4}/);
  expectNoControls(text);
});

test("a busy technology area's brief still prints on at most two pages", async ({ page }) => {
  await page.goto("/technologies/5g");
  await page.getByRole("link", { name: "Brief", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "5G" })).toBeVisible();
  await expect(page.locator(".brief-chart svg.recharts-surface")).toBeVisible();
  const pages = await printed(page);
  expect(pages.length).toBeLessThanOrEqual(2);
  const text = pages.join("\n");
  expect(squash(text)).toContain("Mostactivecompanies");
  expect(squash(text)).toContain("Latestdeals");
  expectNoControls(text);
});

test("a printed dashboard says its filters in words instead of printing the filter form", async ({
  page,
}) => {
  await page.goto("/?company=SK%20Telecom&type=mou&from=2020-01-01&to=2024-12-31");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.locator('[aria-busy="true"], .skeleton')).toHaveCount(0);
  const text = (await printed(page)).join("\n");
  expect(squash(text)).toContain(squash("Deals of SK Telecom, MoUs, 2020–2024"));
  for (const control of ["Apply", "Interval"]) expect(squash(text)).not.toContain(control);
  expectNoControls(text);
});

test("a printed deals list says its filters in words and prints its table whole", async ({ page }) => {
  await page.goto("/deals?company=SK%20Telecom&type=mou");
  await expect(page.getByRole("heading", { level: 1, name: "Deals" })).toBeVisible();
  const [first] = await printed(page);
  expect(squash(first!)).toContain(squash("Deals of SK Telecom, MoUs"));
  // The table's header row is printed; the filter form's button and sort choice are not.
  expect(squash(first!)).toContain("TITLE");
  for (const control of ["Apply filters", "Newest first"]) {
    expect(squash(first!)).not.toContain(squash(control));
  }
  expectNoControls(first!);
});
