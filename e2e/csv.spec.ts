import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { createDeal, unique } from "./fixtures";

const parseCsv = (text: string) => parse(text, { bom: true }) as string[][];

test("an analyst exports exactly the filtered list", async ({ page, request }) => {
  const tag = unique("Exportable").replace(/\W/g, "");
  await createDeal(request, { title: `${tag} alpha`, types: ["licensing"] });
  await createDeal(request, { title: `${tag} beta`, types: ["licensing"] });
  await createDeal(request, { title: `${tag} gamma`, types: ["investment"] });
  await page.goto(`/deals?q=${tag}&type=licensing`);
  await page.getByRole("button", { name: "Export CSV" }).click();
  const downloading = page.waitForEvent("download");
  await page
    .getByRole("group", { name: "Export the filtered deals" })
    .getByRole("link", { name: /^Deals/ })
    .click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    new RegExp(`^atlas-deals-\\d{4}-\\d{2}-\\d{2}-search-${tag.toLowerCase()}-type-licensing\\.csv$`),
  );
  const rows = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
  expect(rows[0]!.slice(0, 3)).toEqual(["id", "title", "announced_on"]);
  expect(
    rows
      .slice(1)
      .map((r) => r[1])
      .sort(),
  ).toEqual([`${tag} alpha`, `${tag} beta`]);
});

test("an analyst imports a file, fixes the bad row it reports, and finds the deals", async ({ page }) => {
  const tag = unique("Imported").replace(/\W/g, "");
  const header = "title,announced_on,deal_types,binding,parties,technology_areas,source_url";
  const row = (n: number, date: string) =>
    `${tag} deal ${n},${date},MoU,Non-binding,"SKT (partner); ${tag} Partner ${n} (partner)",6G,https://example.org/${tag}/${n}`;
  const withError = [header, row(1, "2024-05-01"), row(2, "31/02/2024"), row(3, "2024-05-03")].join("\r\n");
  const fixed = [header, row(1, "2024-05-01"), row(2, "2024-05-02"), row(3, "2024-05-03")].join("\r\n");

  await page.goto("/import");
  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "deals.csv", mimeType: "text/csv", buffer: Buffer.from(withError) });
  const preview = page.getByRole("region", { name: "3. Check and import" });
  await expect(preview.getByRole("status")).toContainText("1 with errors");
  await expect(preview.getByRole("table", { name: "Import preview" })).toContainText(
    "announced_on: “31/02/2024” is not a date",
  );
  await expect(page.getByRole("button", { name: /^Import \d+ deals?$/ })).toBeDisabled();

  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "deals.csv", mimeType: "text/csv", buffer: Buffer.from(fixed) });
  await expect(preview.getByRole("status")).toContainText("3 new");
  await expect(preview).toContainText("“SKT” is linked to SK Telecom");
  await page.getByRole("button", { name: "Import 3 deals" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported 3 new deals" })).toBeVisible();

  await page.goto(`/deals?q=${tag}`);
  await expect(page.getByRole("table", { name: "Deals" }).getByRole("row")).toHaveCount(4);
});

test("the deals export follows the list's sort", async ({ page, request }) => {
  const tag = unique("Sorted").replace(/\W/g, "");
  // Newest first would give c, b, a; by title it is a, b, c.
  await createDeal(request, { title: `${tag} a`, announcedOn: "2021-01-01" });
  await createDeal(request, { title: `${tag} b`, announcedOn: "2022-01-01" });
  await createDeal(request, { title: `${tag} c`, announcedOn: "2023-01-01" });
  await page.goto(`/deals?q=${tag}&sort=title`);
  await page.getByRole("button", { name: "Export CSV" }).click();
  const downloading = page.waitForEvent("download");
  await page
    .getByRole("group", { name: "Export the filtered deals" })
    .getByRole("link", { name: /^Deals/ })
    .click();
  const rows = parseCsv(fs.readFileSync((await (await downloading).path())!, "utf8"));
  expect(rows.slice(1).map((r) => r[1])).toEqual([`${tag} a`, `${tag} b`, `${tag} c`]);
});
