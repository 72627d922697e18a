import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";
import { asEditor, unique } from "./fixtures";

// Issue 22's whole flow: a local server serves the three development feeds (RSS newsroom, Atom
// trade press, JSON Feed wire, the wire by its web page); the editor adds them, Atlas polls them and
// groups their items into candidates; one candidate is accepted into a deal with all its sources,
// one is added to a deal already recorded, a rumour and a non-deal are dismissed, a second poll adds
// nothing, and a broken feed shows its error. Each run's items are its own (links and text carry the
// run), so a retry is a new run.

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, "..", "test", "fixtures", name), "utf8");

function feeds(run: string) {
  const links = (text: string) => text.replaceAll("https://news.example/", `https://news.example/${run}/`);
  const rss = links(fixture("news-dev/feed-newsroom.xml")).replaceAll(
    "]]></content:encoded>",
    `<p>Run ${run}.</p>]]></content:encoded>`,
  );
  const atom = links(fixture("news-dev/feed-trade.atom")).replaceAll(
    "</content>",
    `&lt;p&gt;Run ${run}.&lt;/p&gt;</content>`,
  );
  const wire = JSON.parse(links(fixture("news-dev/feed-wire.json"))) as { items: Record<string, string>[] };
  for (const item of wire.items) {
    if (item.content_html) item.content_html = `${item.content_html}<p>Run ${run}.</p>`;
    if (item.content_text) item.content_text = `${item.content_text}\n\nRun ${run}.`;
  }
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url!, "http://x");
    if (pathname === "/newsroom.xml") res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss);
    else if (pathname === "/trade.atom")
      res.writeHead(200, { "content-type": "application/atom+xml" }).end(atom);
    else if (pathname === "/wire.json")
      res.writeHead(200, { "content-type": "application/feed+json" }).end(JSON.stringify(wire));
    else if (pathname === "/wire")
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(
          `<!doctype html><html lang="en"><head><title>Wire</title><link rel="alternate" type="application/feed+json" href="/wire.json"></head><body><h1>Wire</h1></body></html>`,
        );
    else if (pathname === "/broken.xml")
      res
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end(fixture("news-hostile/malformed.xml"));
    else res.writeHead(404).end();
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

async function addSource(page: Page, name: string, url: string) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Feed or web page address").fill(url);
  await page.getByRole("button", { name: "Add source" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
}

test("feeds become grouped candidates an editor accepts, adds to a known deal and dismisses; a second poll adds nothing", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000); // every item is drafted by the extraction worker
  const run = unique("news").replace(/\W/g, "");
  const server = feeds(run);
  const base = await server.listen();
  try {
    // Amazon's investment in Anthropic is recorded already: its items should say so.
    const known = await request.post("/api/deals", {
      headers: asEditor(),
      data: {
        title: `Amazon invests in Anthropic (${run})`,
        announcedOn: "2023-09-25",
        datePrecision: "day",
        types: ["investment"],
        binding: "binding",
        status: "announced",
        parties: [
          { company: "Amazon", role: "investor" },
          { company: "Anthropic", role: "investee" },
        ],
        technologies: ["AI"],
        sources: [{ url: `https://example.org/${run}/amazon-anthropic` }],
      },
    });
    expect(known.status()).toBe(201);
    const knownId = (await known.json()).id as number;

    await page.goto("/sources");
    const names = { newsroom: unique("Newsroom"), trade: unique("Trade press"), wire: unique("Wire") };
    await addSource(page, names.newsroom, `${base}/newsroom.xml`);
    await addSource(page, names.trade, `${base}/trade.atom`);
    await addSource(page, names.wire, `${base}/wire`);
    await expect(page.getByRole("status").filter({ hasText: "Found the JSON Feed 1.1 feed" })).toContainText(
      `${base}/wire.json`,
    );
    const broken = unique("Broken");
    await addSource(page, broken, `${base}/broken.xml`);
    await expect(
      page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: broken }) }),
    ).toContainText("Last error: XML is malformed at line 3");

    const answer = (await (await request.get("/api/sources", { headers: asEditor() })).json()) as
      { items: { id: number; name: string }[] } | { id: number; name: string }[];
    const list = Array.isArray(answer) ? answer : answer.items;
    const idOf = (name: string) => list.find((s) => s.name === name)!.id;

    // The GM–LG Chem venture came from all three feeds: one candidate with every item as a source.
    await page.goto(`/candidates?source=${idOf(names.newsroom)}`);
    await expect(page.getByRole("heading", { level: 1, name: "Candidates" })).toBeVisible();
    await expectNoSeriousViolations(page, "/candidates");
    const venture = page.getByRole("article").filter({ hasText: "LG Chem" }).first();
    await expect(venture.getByText(/^[3-9] sources$/)).toBeVisible();
    await venture.getByRole("link", { name: "Accept" }).click();
    await expect(page.getByRole("heading", { name: "Review the draft" })).toBeVisible();
    const sourceUrls = page.getByRole("group", { name: "Sources" }).getByLabel("Source URL");
    expect(await sourceUrls.count()).toBeGreaterThanOrEqual(3);
    await page.getByRole("button", { name: "Save deal" }).click();
    await expect(page.getByRole("status")).toContainText("Deal saved");
    const sourcesSection = page.getByRole("region", { name: "Sources" });
    expect(await sourcesSection.locator(`a[href*="news.example/${run}/"]`).count()).toBeGreaterThanOrEqual(3);

    // Amazon–Anthropic: already known, so its sources go to the recorded deal.
    await page.goto(`/candidates?source=${idOf(names.newsroom)}`);
    const investment = page
      .getByRole("article")
      .filter({ hasText: `Already known: deal #${knownId}` })
      .first();
    await investment.getByRole("button", { name: `Add to deal #${knownId}` }).click();
    await expect(
      page.getByRole("article").filter({ hasText: `Already known: deal #${knownId}` }),
    ).toHaveCount(0);
    await page.goto(`/deals/${knownId}`);
    await expect(
      page.getByRole("region", { name: "Sources" }).locator(`a[href*="news.example/${run}/"]`).first(),
    ).toBeVisible();

    // A rumour and a non-deal are dismissed with their reasons.
    await page.goto(`/candidates?source=${idOf(names.trade)}`);
    const rumour = page.getByRole("article").filter({ hasText: "Qualcomm said to have approached Intel" });
    await expect(rumour.getByText("Rumour", { exact: true })).toBeVisible();
    await rumour.getByLabel(/Reason to dismiss candidate/).selectOption({ label: "Out of scope" });
    await rumour.getByRole("button", { name: "Dismiss" }).click();
    await expect(rumour).toHaveCount(0);
    await page.goto(`/candidates?source=${idOf(names.wire)}`);
    const layoffs = page.getByRole("article").filter({ hasText: "Microsoft to cut 10,000 jobs" });
    // Its reason says what kind of news it is.
    await expect(layoffs.getByText(/^Not a deal: layoffs/)).toBeVisible();
    await layoffs.getByLabel(/Reason to dismiss candidate/).selectOption({ label: "Not a deal" });
    await layoffs.getByRole("button", { name: "Dismiss" }).click();
    await expect(layoffs).toHaveCount(0);
    await page.goto(`/candidates?status=dismissed&source=${idOf(names.trade)}`);
    await expect(
      page.getByRole("article").filter({ hasText: "Qualcomm said to have approached Intel" }),
    ).toContainText("Dismissed: Out of scope");

    // A second poll of every source finds nothing new and makes no candidate.
    for (const name of Object.values(names)) {
      const fetched = await request.post(`/api/sources/${idOf(name)}/fetch`, { headers: asEditor() });
      expect(fetched.status()).toBe(200);
      expect(await fetched.json()).toMatchObject({ new: 0, candidates: 0 });
    }
  } finally {
    await server.close();
  }
});
