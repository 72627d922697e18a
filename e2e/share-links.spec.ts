import http from "node:http";
import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { createDeal, unique } from "./fixtures";

// Share links (issue 24): a viewer makes a read-only link to a saved view on the Views page; a
// visitor without an account sees that view and nothing else, unindexed; the owner sees it was
// opened; a revoked link is a 404. A shared chart can be framed only by EMBED_ORIGINS.

test.use({ storageState: storageState("viewer") });

const baseURL = () => test.info().project.use.baseURL!;

/** A saved view made through the API as the signed-in viewer. */
async function saveView(page: import("@playwright/test").Page, name: string, path: string) {
  const response = await page.request.post("/api/views", {
    headers: { origin: baseURL() },
    data: { name, path },
  });
  expect(response.status(), await response.text()).toBe(201);
}

/** Makes a share link on the Views page and returns its address, shown once. */
async function makeLink(page: import("@playwright/test").Page, viewName: string, allowExport: boolean) {
  await page.goto("/views");
  const item = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: viewName, exact: true }) });
  await item.getByText(/^Share links/).click();
  if (allowExport) await item.getByLabel("Allow downloads").check();
  await item.getByRole("button", { name: "Make share link" }).click();
  const url = await item.getByLabel("Share link", { exact: true }).inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);
  return new URL(url).pathname;
}

test("a visitor sees a shared deals list and nothing else; the owner sees it opened and revokes it", async ({
  page,
  request,
  browser,
}) => {
  const word = `sharetok${Date.now().toString(36)}`;
  const inside = await createDeal(request, { title: unique(`Shared ${word}`) });
  const outside = await createDeal(request, { title: unique("Not shared") });
  const viewName = unique("Shared list");
  await saveView(page, viewName, `/deals?q=${word}`);
  const path = await makeLink(page, viewName, true);

  const visitor = await browser.newContext({
    baseURL: baseURL(),
    storageState: { cookies: [], origins: [] },
  });
  const anonymous = await visitor.newPage();
  const response = await anonymous.goto(`${path}?q=&pageSize=500`);
  expect(response!.status()).toBe(200);
  expect(response!.headers()["x-robots-tag"]).toMatch(/noindex/);
  expect(response!.headers()["x-frame-options"]).toBe("DENY");
  await expect(anonymous.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expect(anonymous.getByRole("heading", { level: 1, name: viewName })).toBeVisible();
  await expect(anonymous.getByRole("cell", { name: inside.title })).toBeVisible();
  await expect(anonymous.getByText(outside.title)).toHaveCount(0);
  await expect(anonymous.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  // The only links lead to the share's own download.
  for (const href of await anonymous
    .locator("a[href]")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href"))))
    expect(href).toContain(path);
  const csv = await anonymous.request.get(`${path}/export/deals.csv`);
  expect(await csv.text()).toContain(inside.title);
  await expectNoSeriousViolations(anonymous, "a shared deals list");
  // The API stays closed to a visitor.
  expect((await anonymous.request.get("/api/deals")).status()).toBe(401);

  await page.goto("/views");
  const item = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: viewName, exact: true }) });
  await item.getByText(/^Share links/).click();
  await expect(item.getByText(/opened 1 time, last/)).toBeVisible();
  await item.getByRole("button", { name: /^Revoke the share link/ }).click();
  await expect(item.getByText(/^Share links \(0\)/)).toBeVisible();
  expect((await anonymous.goto(path))!.status()).toBe(404);
  await visitor.close();
});

test("a shared dashboard shows its charts as images, and one chart embeds only where allowed", async ({
  page,
  request,
  browser,
}) => {
  const word = `sharedash${Date.now().toString(36)}`;
  await createDeal(request, { title: unique(`Dashboard ${word}`) });
  const viewName = unique("Shared dashboard");
  await saveView(page, viewName, `/?q=${word}&interval=year`);
  const path = await makeLink(page, viewName, false);
  const token = path.split("/").pop()!;

  const visitor = await browser.newContext({
    baseURL: baseURL(),
    storageState: { cookies: [], origins: [] },
  });
  const anonymous = await visitor.newPage();
  await anonymous.goto(path);
  await expect(anonymous.getByRole("heading", { level: 1, name: viewName })).toBeVisible();
  await expect(anonymous.getByRole("img", { name: /^Deal types: chart/ })).toBeVisible();
  await expect(anonymous.getByText("Download data")).toHaveCount(0);
  expect((await anonymous.request.get(`${path}/export/summary.csv`)).status()).toBe(403);
  await expectNoSeriousViolations(anonymous, "a shared dashboard");

  const embed = await anonymous.request.get(`/embed/${token}/deal-types`);
  expect(embed.status()).toBe(200);
  const intranet = `http://127.0.0.1:${Number(new URL(baseURL()).port) + 1000}`;
  expect(embed.headers()["content-security-policy"]).toContain(`frame-ancestors ${intranet}`);
  expect(embed.headers()["x-frame-options"]).toBeUndefined();
  // An intranet page (a real local server) on the allowed origin frames the chart; the browser
  // refuses the same page from any other origin.
  const framing = `<!doctype html><title>Intranet</title><iframe title="Deal types" src="${baseURL()}/embed/${token}/deal-types"></iframe>`;
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end(framing),
  );
  await new Promise<void>((resolve) => server.listen(Number(new URL(intranet).port), resolve));
  try {
    const chart = anonymous
      .frameLocator('iframe[title="Deal types"]')
      .getByRole("heading", { name: `${viewName}: Deal types` });
    await anonymous.goto(`${intranet}/`);
    await expect(chart).toBeVisible();
    // The same page from another origin (localhost, not 127.0.0.1): not in EMBED_ORIGINS.
    await anonymous.goto(intranet.replace("127.0.0.1", "localhost"));
    await anonymous.waitForLoadState("load");
    await expect(chart).toHaveCount(0);
  } finally {
    server.close();
  }
  await visitor.close();
});
