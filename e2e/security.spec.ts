import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, PASSWORD } from "./accounts";

// Headers and limits as a browser and a hostile client meet them on the real server.

const signedOut = { cookies: [], origins: [] };

/** Collects every CSP complaint the browser reports while the page is used. */
function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/content security policy|refused to (execute|load|apply)/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => violations.push(`${page.url()}: ${error}`));
  return violations;
}

const scriptSrc = (csp: string) =>
  csp
    .split(";")
    .map((d) => d.trim())
    .find((d) => d.startsWith("script-src")) ?? "";

test("pages carry a nonce CSP without 'unsafe-inline' for scripts, and run without violations", async ({
  page,
}) => {
  const violations = watchCsp(page);
  for (const path of ["/", "/deals", "/timeline", "/no-such-page"]) {
    const response = await page.goto(path);
    const csp = (await response!.headerValue("content-security-policy")) ?? "";
    expect(scriptSrc(csp)).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
    expect(scriptSrc(csp)).not.toContain("unsafe-inline");
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
  // Hydrated: a client-side filter control works (it needs the nonced scripts to have run).
  await page.goto("/deals");
  await page.waitForLoadState("networkidle");
  expect(violations).toEqual([]);
});

test.describe("signed out", () => {
  test.use({ storageState: signedOut });

  test("the sign-in form works under the CSP (its script ran)", async ({ page }) => {
    const violations = watchCsp(page);
    const response = await page.goto("/sign-in");
    const csp = (await response!.headerValue("content-security-policy")) ?? "";
    expect(scriptSrc(csp)).toMatch(/'nonce-/);
    await page.getByLabel("Email").fill(`csp-${Date.now()}@atlas.test`);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // The message comes from the form's own fetch: no script, no message.
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("signing in remembers the browser with an HttpOnly device cookie (it gets in while the account is under attack)", async ({
    page,
  }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(ACCOUNTS.viewer.email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    const device = (await page.context().cookies()).find((c) => c.name === "atlas_device");
    expect(device?.httpOnly).toBe(true);
    expect(device?.sameSite).toBe("Lax");
  });

  test("a spoofed X-Forwarded-For does not buy more sign-in attempts", async ({ request, baseURL }) => {
    const email = `spoof-${Date.now()}@atlas.test`;
    const attempt = (ip: string) =>
      request.post("/api/session", {
        headers: { origin: baseURL!, "x-forwarded-for": ip },
        data: { email, password: "not the password" },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`10.9.8.${i}`)).status()).toBe(401);
    const limited = await attempt("10.9.8.200");
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  });
});

test("HEAD on the deals export answers like GET, without a body", async ({ request }) => {
  const head = await request.head("/api/export/deals.csv?layout=pairs");
  expect(head.status()).toBe(200);
  expect(head.headers()["content-type"]).toMatch(/text\/csv/);
  expect(head.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});
