import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { expectNoSeriousViolations } from "./axe";
import { headerLine, startMailbox, type Mailbox } from "../test/mailbox";

// E-mail digests as a user meets them: the settings page, a test digest that arrives over SMTP (a
// real server in this process, where playwright.config.ts points the app), and its one-click
// unsubscribe link.

test.use({ storageState: storageState("viewer") });

let mailbox: Mailbox;
test.beforeAll(async () => {
  mailbox = await startMailbox("127.0.0.2", Number(process.env.E2E_SMTP_PORT));
});
test.afterAll(() => mailbox.close());

test("a user sets a weekly digest, gets a test digest by e-mail and unsubscribes with its link", async ({
  page,
  browser,
}) => {
  await page.goto("/settings/digest");
  await expect(page.getByRole("heading", { level: 1, name: "E-mail digest" })).toBeVisible();
  await page.getByLabel("How often").selectOption("weekly");
  await page.getByLabel("Day").selectOption({ label: "Friday" });
  await page.getByLabel("Hour").selectOption({ label: "07:00" });
  await page.getByLabel("Time zone").selectOption("Europe/Berlin");
  await expectNoSeriousViolations(page, "digest settings");
  await page.getByRole("button", { name: "Save digest settings" }).click();
  await expect(page.getByText("Saved. Your next digest comes at the hour you chose.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("How often")).toHaveValue("weekly");
  await expect(page.getByLabel("Day")).toHaveValue("5");
  await expect(page.getByLabel("Hour")).toHaveValue("7");
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");

  await page.getByRole("button", { name: "Send me a test digest" }).click();
  await expect(page.getByText("A test digest is on its way")).toBeVisible();
  await expect.poll(() => mailbox.received.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const mail = mailbox.received[0]!;
  expect(mail.subject).toMatch(/^Test digest from Partnership Atlas: /);
  expect(mail.html).toContain("cid:");
  const header = headerLine(mail, "list-unsubscribe");
  const link = new URL(/<([^>]+)>/.exec(header)![1]!);

  // Signed out, as from a mail program: the link shows a confirmation, the button unsubscribes.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const anonymous = await context.newPage();
  await anonymous.goto(link.pathname + link.search);
  await expect(anonymous.getByRole("heading", { level: 1, name: "Unsubscribe from digests" })).toBeVisible();
  await expectNoSeriousViolations(anonymous, "unsubscribe confirmation");
  await anonymous.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(anonymous.getByRole("heading", { level: 1, name: "Unsubscribed" })).toBeVisible();
  await expectNoSeriousViolations(anonymous, "unsubscribed");
  await context.close();

  await page.reload();
  await expect(page.getByLabel("How often")).toHaveValue("off");
});
