import { spawnSync } from "node:child_process";
import path from "node:path";
import { tempDir } from "../scripts/temp-dir";
import { expect, test } from "@playwright/test";
import { databaseEnv, prepareDatabase, startServer, type Server } from "../scripts/server-harness";
import { CLIENT, startOidcProvider, type TestProvider } from "../test/oidc-provider";
import { expectNoSeriousViolations } from "./axe";

// Single sign-on in a browser (docs/sso.md): a real OpenID provider started here, and an app server of
// its own (the suite's build, its own SQLite file) configured for it, so the suite's server and the
// other specs are untouched. The flow's every check is proven in test/sso.test.ts; this is the page:
// the button by keyboard, the provider's pages, back signed in, and the refusal in words.

const port = Number(process.env.E2E_PORT ?? 3100) + 9;
const APP = `http://127.0.0.1:${port}`;
let idp: TestProvider;
let server: Server;

test.describe.configure({ mode: "serial" });
test.use({ storageState: { cookies: [], origins: [] } });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  idp = await startOidcProvider(`${APP}/api/auth/callback/oidc`);
  idp.people.set("ada", {
    email: "ada@corp.example",
    email_verified: true,
    name: "Ada Lovelace",
    groups: ["atlas-editors"],
  });
  const database = path.join(tempDir("sso"), "atlas.db");
  prepareDatabase(database);
  // Someone exists, so the sign-in page is shown rather than /setup.
  const created = spawnSync(
    path.join("node_modules", ".bin", "tsx"),
    ["--conditions=react-server", "scripts/user-create.ts", "--email", "owner@example.org"].concat([
      "--password",
      "owner password e2e",
      "--role",
      "admin",
    ]),
    { env: { ...process.env, ...databaseEnv(database) }, encoding: "utf8" },
  );
  if (created.status !== 0) throw new Error(created.stderr);
  server = await startServer({
    port,
    databasePath: database,
    env: {
      APP_URL: APP,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT.id,
      OIDC_CLIENT_SECRET: CLIENT.secret,
      OIDC_NAME: "Contoso ID",
      OIDC_SCOPES: "openid email profile groups",
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: "atlas-admins=admin,atlas-editors=editor",
      PASSWORD_SIGNIN: "0",
    },
  });
});

test.afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  await idp?.close();
});

test("signs in with the provider from the keyboard, and comes back where it was going", async ({ page }) => {
  await page.goto(`${APP}/companies`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcompanies/);
  const button = page.getByRole("button", { name: "Sign in with Contoso ID" });
  await expect(button).toBeVisible();
  // PASSWORD_SIGNIN=0: no password form.
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await expectNoSeriousViolations(page, "the sign-in page with SSO");
  await button.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.locator("input[name=login]").fill("ada");
  await page.locator("input[name=password]").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`${APP}/companies`);
  const me = await page.evaluate(() => fetch("/api/session").then((r) => r.json()));
  expect(me).toMatchObject({ name: "Ada Lovelace", email: "ada@corp.example", role: "editor" });
});

test("says in words why a sign-in was refused", async ({ page }) => {
  await page.goto(`${APP}/sign-in?error=account_deactivated`);
  await expect(page.getByRole("alert").filter({ hasText: "account is deactivated" })).toBeVisible();
  await expectNoSeriousViolations(page, "the sign-in page with an SSO error");
});
