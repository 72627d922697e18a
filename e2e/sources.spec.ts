import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { storageState } from "./accounts";
import { unique } from "./fixtures";

// Issue 22, sources: an editor adds a newsroom by its web page (Atlas finds the feed it names and
// fetches its items), a broken feed shows its error in words, and a bad address is a field error.
// The feeds come from a local server on 127.0.0.2, which the e2e server allows (playwright.config).

test.use({ storageState: storageState("editor") });

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, "..", "test", "fixtures", name), "utf8");

/** The wire feed made this run's own: its items were never stored before, even on a retry. */
function wireFeed(run: string): string {
  const feed = JSON.parse(fixture("news-dev/feed-wire.json")) as { items: Record<string, string>[] };
  for (const item of feed.items) {
    for (const key of ["id", "url"])
      item[key] = item[key]!.replace("https://news.example/", `https://news.example/${run}/`);
    item.content_html = `${item.content_html}<p>Run ${run}.</p>`;
  }
  return JSON.stringify(feed);
}

function feedServer(run: string) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (url.pathname === "/newsroom") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="en"><head><title>Wire newsroom</title><link rel="alternate" type="application/feed+json" href="/feed.json"></head><body><h1>Wire</h1></body></html>`,
      );
    } else if (url.pathname === "/feed.json") {
      res.writeHead(200, { "content-type": "application/feed+json" }).end(wireFeed(run));
    } else if (url.pathname === "/broken.xml") {
      res
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end(fixture("news-hostile/malformed.xml"));
    } else res.writeHead(404).end();
  });
  return {
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.2", () =>
          resolve(`http://127.0.0.2:${(server.address() as AddressInfo).port}`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("an editor adds a source by its web page, sees its items, and a broken feed shows its error", async ({
  page,
}) => {
  const run = unique("run").replace(/\W/g, "");
  const feeds = feedServer(run);
  const base = await feeds.listen();
  try {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sources" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "News sources" })).toBeVisible();

    // A bad address is a field error; nothing is added.
    await page.getByLabel("Name").fill("Nowhere");
    await page.getByLabel("Feed or web page address").fill("ftp://example.org/feed");
    await page.getByRole("button", { name: "Add source" }).click();
    await expect(page.getByText("Enter a web address starting with http:// or https://")).toBeVisible();

    const name = unique("Wire newsroom");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Feed or web page address").fill(`${base}/newsroom?${run}`);
    await page.getByRole("button", { name: "Add source" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Found the JSON Feed 1.1 feed" })).toContainText(
      `${base}/feed.json on that page and took it; 10 items fetched.`,
    );
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name }) });
    await expect(card).toContainText("JSON Feed 1.1");
    await expect(card).toContainText(`(found on ${base}/newsroom?${run})`);
    await expect(card.getByRole("definition").nth(3)).toHaveText("10");

    // Fetch now: the same items again are nothing new.
    await card.getByRole("button", { name: `Fetch now ${name}` }).click();
    await expect(card.getByRole("status")).toContainText("0 new");

    const broken = unique("Broken feed");
    await page.getByLabel("Name").fill(broken);
    await page.getByLabel("Feed or web page address").fill(`${base}/broken.xml?${run}`);
    await page.getByRole("button", { name: "Add source" }).click();
    const brokenCard = page
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { name: broken }) });
    await expect(brokenCard).toContainText("Failing");
    await expect(brokenCard).toContainText("Last error: XML is malformed at line 3");

    await expectNoSeriousViolations(page, "/sources");
    // At phone width the cards and controls wrap, and stay accessible.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSeriousViolations(page, "/sources at 390 px");
    await page.setViewportSize({ width: 1280, height: 720 });

    // Pause, then delete after confirming.
    await brokenCard.getByRole("button", { name: `Pause ${broken}` }).click();
    await expect(brokenCard).toContainText("Paused");
    page.once("dialog", (dialog) => dialog.accept());
    await brokenCard.getByRole("button", { name: `Delete ${broken}` }).click();
    await expect(page.getByRole("heading", { name: broken })).toHaveCount(0);
  } finally {
    await feeds.close();
  }
});

test("viewers are not offered sources and are refused the page", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageState("viewer") });
  const page = await context.newPage();
  await page.goto("/");
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sources" }),
  ).toHaveCount(0);
  await page.goto("/sources");
  await expect(page.getByRole("heading", { name: "News sources" })).toHaveCount(0);
  await context.close();
});
