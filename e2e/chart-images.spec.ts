import fs from "node:fs";
import { expect, test, type Download, type Page } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations, settle } from "./axe";
import { asEditor, createDeal, unique, type Deal } from "./fixtures";

// "Download image" beside "Download data" on every chart: SVG and PNG of the same chart, with the
// page's filters, reached with the keyboard like any other link.

async function downloadWithKeyboard(page: Page, name: string): Promise<{ file: Download; bytes: Buffer }> {
  const link = page.getByRole("link", { name });
  await link.focus();
  const downloading = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  const file = await downloading;
  return { file, bytes: fs.readFileSync((await file.path())!) };
}

test("an analyst downloads a company's chart as SVG and PNG, filtered to the company", async ({
  page,
  request,
}) => {
  const deal = await createDeal(request, { technologies: ["Cloud"] });
  const company = deal.parties[0]!.company;
  await page.goto(`/companies/${company.slug}`);
  const chart = page.getByRole("region", { name: "Technology mix" });
  await expect(chart.getByText("Download image:")).toBeVisible();

  const svg = await downloadWithKeyboard(page, "Download image as SVG: Technology mix");
  expect(svg.file.suggestedFilename()).toMatch(/^atlas-technologies-\d{4}-\d{2}-\d{2}-company-.+\.svg$/);
  const text = svg.bytes.toString("utf8");
  expect(text).toMatch(/^<svg /);
  expect(text).toContain(`Company: ${company.name}`);
  expect(text).toContain('data-label="Cloud" data-value="1"');
  expect(text).toContain("Partnership Atlas · 1 deal ·");

  const png = await downloadWithKeyboard(page, "Download image as PNG: Technology mix");
  expect(png.file.suggestedFilename()).toMatch(/\.png$/);
  expect(png.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([800, 450]);

  await settle(page);
  await expectNoSeriousViolations(page, "a company page with image downloads");
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("the dashboard's charts download as images with the dashboard's filters", async ({
    page,
    request,
  }) => {
    await page.goto("/?type=joint_venture");
    const expected = await (
      await request.get("/api/stats/summary?type=joint_venture", { headers: asEditor() })
    ).json();
    for (const title of ["At a glance", "Deals over time, by type", "Deal types and binding"]) {
      await expect(page.getByRole("link", { name: `Download image as PNG: ${title}` })).toBeVisible();
    }
    const { file, bytes } = await downloadWithKeyboard(page, "Download image as SVG: Deal types and binding");
    expect(file.suggestedFilename()).toMatch(/^atlas-deal-types-.*-type-joint.?venture\.svg$/);
    const text = bytes.toString("utf8");
    expect(text).toContain("Type: Joint venture");
    expect(text).toContain(`Partnership Atlas · ${expected.deals} deals · type=joint_venture ·`);
    await settle(page);
    await expectNoSeriousViolations(page, "the dashboard with image downloads");
  });

  test("a technology page offers its charts as images too", async ({ page, request }) => {
    const area = unique("Imaging Tech").replace(/\W/g, "");
    const deal = (await createDeal(request, { technologies: [area] })) as Deal & {
      technologies: { slug: string }[];
    };
    await page.goto(`/technologies/${deal.technologies[0]!.slug}`);
    await expect(page.getByRole("link", { name: /^Download image as SVG: / }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: /^Download image as PNG: / }).first()).toBeVisible();
  });
});
