import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { createDeal, unique } from "./fixtures";

// Following what matters: a viewer saves a view and watches a company; an editor adds a matching
// deal through the API; the viewer's inbox shows it with an unread count, and the feeds list it.

test.use({ storageState: storageState("viewer") });

test("a viewer follows a company and a saved view, and sees a new deal in the inbox and the feeds", async ({
  page,
  request,
}) => {
  // A company of the test's own, made through the API with a first deal.
  const first = await createDeal(request);
  const company = first.parties[0]!.company;

  await page.goto(`/companies/${company.slug}`);
  await page.getByRole("button", { name: "Watch" }).click();
  await expect(page.getByRole("button", { name: "Unwatch" })).toBeVisible();

  const viewName = unique("Binding deals of");
  await page.goto(`/deals?company=${encodeURIComponent(company.slug)}&binding=binding`);
  await page.getByRole("button", { name: "Save view" }).click();
  await page.getByLabel("View name").fill(viewName);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `Saved “${viewName}”` })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Views" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Views" })).toBeVisible();
  await expect(page.getByRole("link", { name: viewName })).toHaveAttribute(
    "href",
    `/deals?company=${encodeURIComponent(company.slug)}&binding=binding`,
  );
  await page.getByRole("button", { name: `Watch ${viewName}` }).click();
  await expect(page.getByRole("button", { name: `Unwatch ${viewName}` })).toBeVisible();

  // The editor adds a matching deal.
  const added = await createDeal(request, {
    title: unique("Followed deal"),
    parties: [
      { company: company.name, role: "partner" },
      { company: unique("E2E Gamma"), role: "partner" },
    ],
  });

  await page.goto("/inbox");
  const inboxLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Inbox/ });
  await expect(inboxLink).toHaveAccessibleName("Inbox 1 unread");
  await expect(page.getByRole("heading", { level: 2, name: company.name })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: viewName })).toBeVisible();
  await expect(page.getByRole("link", { name: added.title })).toHaveCount(2);

  // The feeds, read as a feed reader would: only the key in the address.
  await page.goto("/settings/feeds");
  // The key is stored hashed: it is shown once, when made.
  await page.getByRole("button", { name: "Create feed key" }).click();
  const key = await page.getByLabel("Feed key").inputValue();
  expect(key).toMatch(/^af_/);
  const reader = await request.get(`/feeds/companies/${company.slug}.atom?key=${encodeURIComponent(key)}`);
  expect(reader.status()).toBe(200);
  expect(reader.headers()["content-type"]).toContain("application/atom+xml");
  const xml = await reader.text();
  expect(xml).toContain(`<title>${added.title}</title>`);
  expect(xml).toContain(`/deals/${added.id}`);
  const views = await (await page.request.get("/api/views")).json();
  const view = views.items.find((v: { name: string }) => v.name === viewName);
  const viewFeed = await request.get(`/feeds/views/${view.id}.atom?key=${encodeURIComponent(key)}`);
  expect(await viewFeed.text()).toContain(`<title>${added.title}</title>`);
  expect(
    (await request.get(`/feeds/views/${view.id}.atom?key=af_notthekeynotthekeynotthekey`)).status(),
  ).toBe(404);

  await page.goto("/inbox");
  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing new." })).toBeVisible();
  await expect(inboxLink).toHaveAccessibleName("Inbox");
});
