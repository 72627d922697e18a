import { expect, test } from "@playwright/test";
import { ACCOUNTS, storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";

// Issue 25: an admin keeps teams on /settings/teams, from the keyboard alone; each change is in the
// security audit log.

test.use({ storageState: storageState("admin") });

test("an admin creates a team with a member from the keyboard, sees it listed, changes and deletes it", async ({
  page,
}) => {
  const name = `Research ${Date.now()}`;
  await page.goto("/settings/teams");
  await expect(page.getByRole("heading", { level: 1, name: "Teams" })).toBeVisible();
  const form = page.getByRole("region", { name: "Create a team" });
  const members = form.getByLabel("Members");

  // An e-mail that is no user's is named under the members box.
  await form.getByLabel("Team name").focus();
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(members).toBeFocused();
  await page.keyboard.type(`${ACCOUNTS.editor.email}\nnobody@atlas.test`);
  await page.keyboard.press("Tab");
  await expect(form.getByRole("button", { name: "Create team" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(form.getByText("No user has the e-mail address nobody@atlas.test")).toBeVisible();
  await expect(members).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page, "the teams page with a refused member");

  // Without it the team is created, listed with its member, and the form is cleared.
  await members.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(ACCOUNTS.editor.email);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(form.getByRole("status")).toHaveText(`Created the team ${name}.`);
  await expect(form.getByLabel("Team name")).toHaveValue("");
  const team = page.getByRole("region", { name });
  await expect(team.getByRole("list", { name: `Members of ${name}` }).getByRole("listitem")).toHaveText([
    ACCOUNTS.editor.email,
  ]);
  await expectNoSeriousViolations(page, "the teams page with a team");

  // Changed: the viewer joins.
  await team.getByText(`Change ${name}`).click();
  await team
    .getByLabel("Members", { exact: true })
    .fill(`${ACCOUNTS.editor.email}, ${ACCOUNTS.viewer.email}`);
  await team.getByRole("button", { name: "Save team" }).click();
  await expect(team.getByRole("status")).toHaveText(`Saved ${name}.`);
  await expect(team.getByRole("list", { name: `Members of ${name}` }).getByRole("listitem")).toHaveText(
    [ACCOUNTS.editor.email, ACCOUNTS.viewer.email].sort(),
  );

  await page.goto("/settings/audit?kind=team-changed");
  await expect(
    page.getByRole("table", { name: "Audit events" }).getByRole("row").filter({ hasText: name }).first(),
  ).toContainText(`added: ${ACCOUNTS.viewer.email}`);

  await page.goto("/settings/teams");
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page.getByRole("region", { name })).toHaveCount(0);
});
