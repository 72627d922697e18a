import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

// WCAG 2.0 and 2.1, levels A and AA; and the experimental check that a control's name contains its
// visible text (the account menu failed it).
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe on the page as it is now and fails on any serious or critical violation, printing each
 * one's id, impact and the elements it found, so a failure says what to fix without a trace viewer.
 */
export async function expectNoSeriousViolations(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(TAGS)
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}`).join("\n")}`,
    )
    .join("\n");
  if (report) console.log(`axe on ${where}:\n${report}`);
  expect(report, `axe violations on ${where}`).toBe("");
}

/** Waits until the charts and widgets that load after the page have drawn. */
export async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  await expect(page.locator('[aria-busy="true"], .skeleton')).toHaveCount(0);
}
