import { expect, test } from "@playwright/test";
import { PASSWORD, storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { unique } from "./fixtures";

// Issue 25: an editor in a team keeps a deal confidential from the form; it is marked as such for
// them and for admins, and does not exist for anyone else.

test("a team member saves a confidential deal from the form; a non-member cannot find it, an admin can", async ({
  browser,
  baseURL,
}) => {
  // The team's member is an account of this spec's own: the shared editor must keep seeing exactly
  // what its API token sees (other specs compare the two, and run beside this one).
  const admin = await browser.newContext({ storageState: storageState("admin") });
  const setup = await admin.newPage();
  const memberEmail = `${unique("member").replace(/\W/g, "")}@atlas.test`.toLowerCase();
  await setup.goto("/settings/users");
  const form = setup.getByRole("region", { name: "Add a user" });
  await form.getByLabel("Name").fill("Mona Member");
  await form.getByLabel("Email").fill(memberEmail);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByLabel("Role").selectOption("editor");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toContainText(`Created an account for ${memberEmail}`);
  const teamName = unique("Deal team");
  const created = await admin.request.post("/api/teams", {
    headers: { origin: baseURL! },
    data: { name: teamName, members: [memberEmail] },
  });
  expect(created.status()).toBe(201);
  const { slug } = await created.json();

  const editor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await editor.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(memberEmail);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/sign-in/);
  const title = unique("Orbit and SK Telecom weigh a joint venture");
  await page.goto("/deals/new");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Announced on").fill("2024-05-02");
  await page.getByRole("group", { name: "Deal types" }).getByLabel("Joint venture").check();
  const parties = page.getByRole("group", { name: "Parties" });
  await parties.getByLabel("Company", { exact: true }).nth(0).fill("SKT");
  await parties.getByLabel("Company", { exact: true }).nth(1).fill(unique("Orbit Labs"));
  await page.getByLabel("Source URL").fill("https://example.org/orbit-skt");
  const visibility = page.getByLabel("Visibility");
  await expect(visibility).toHaveValue("everyone");
  await visibility.selectOption({ label: `Confidential: ${teamName}` });
  await expectNoSeriousViolations(page, "the deal form with a visibility choice");
  await page.getByRole("button", { name: "Save deal" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(`Confidential · ${slug}`)).toBeVisible();
  const dealUrl = page.url().replace(/\?.*$/, "");

  // The non-member: no such deal, in the list or at its address.
  const viewer = await browser.newContext({ storageState: storageState("viewer") });
  const outsider = await viewer.newPage();
  await outsider.goto(`/deals?q=${encodeURIComponent(title)}`);
  await expect(outsider.getByText("0 deals match")).toBeVisible();
  await expect(outsider.getByRole("link", { name: title, exact: true })).toHaveCount(0);
  // The dashboard's pages stream (loading.tsx), so "not found" is the page shown, not the status.
  await outsider.goto(dealUrl);
  await expect(outsider.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(outsider.getByText(title)).toHaveCount(0);

  // The admin sees it, marked.
  const adminPage = await admin.newPage();
  await adminPage.goto(`/deals?q=${encodeURIComponent(title)}`);
  await expect(adminPage.getByRole("link", { name: title, exact: true })).toBeVisible();
  await expect(adminPage.getByText(`Confidential · ${slug}`)).toBeVisible();

  await Promise.all([admin.close(), editor.close(), viewer.close()]);
});
