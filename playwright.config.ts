import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./scripts/temp-dir";
import { defineConfig, devices } from "@playwright/test";

// The e2e suite drives the production build (`npm start`) on a fresh SQLite file per run (or, under
// `npm run test:pg`, a fresh PostgreSQL database).
const port = Number(process.env.E2E_PORT ?? 3100);
// The digest spec's SMTP server (e2e/digests.spec.ts) listens here; the app sends to it.
process.env.E2E_SMTP_PORT ??= String(port + 2000);
process.env.E2E_DATABASE_PATH ??= path.join(tempDir("e2e"), "atlas.db");
// PostgreSQL requires the session secret from the environment: set here, before the workers start,
// so the web server and the servers specs start themselves (multi-server, replica) share it.
if (process.env.E2E_DATABASE_URL) process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");

// Where Playwright cannot download its own browser (CI here), use the system Chromium.
const systemChromium =
  process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: systemChromium,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI
    ? [
        ["list"],
        ["json", { outputFile: `.test-reports/playwright${process.env.TEST_REPORT_SUFFIX ?? ""}.json` }],
      ]
    : [["list"], ["html", { open: "never" }]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    // First run on the empty database: /setup, then the accounts and token the other specs use.
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...browser } },
    {
      name: "chromium",
      dependencies: ["setup"],
      testIgnore: /article\.spec\.ts/,
      use: { ...browser, storageState: "e2e/.auth/editor.json" },
    },
    // The article spec deletes the real Microsoft–SK Telecom MoU that other specs look at, so it runs
    // after them, on its own, and puts the deal back when it is done.
    {
      name: "after-the-rest",
      dependencies: ["chromium"],
      testMatch: /article\.spec\.ts/,
      use: { ...browser, storageState: "e2e/.auth/editor.json" },
    },
  ],
  webServer: {
    command: "npm start",
    url: `http://127.0.0.1:${port}/sign-in`,
    reuseExistingServer: false,
    // npm start builds first when the sources changed: on a busy 2-core machine that alone took 4.5 min.
    timeout: 600_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      DATABASE_PATH: process.env.E2E_DATABASE_PATH,
      // `npm run test:pg` runs the same suite on PostgreSQL (scripts/test-pg.ts).
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      NEXT_TELEMETRY_DISABLED: "1",
      // The webhook spec's receiver listens on this loopback address only; retries come quickly.
      ALLOW_PRIVATE_URLS: "127.0.0.2",
      WEBHOOK_ALLOW_HTTP_HOSTS: "127.0.0.2",
      WEBHOOK_RETRY_BASE_MS: "500",
      SMTP_URL: `smtp://127.0.0.2:${process.env.E2E_SMTP_PORT}`,
      MAIL_FROM: "Partnership Atlas <atlas@example.org>",
      // The share-links spec serves an "intranet" page on this port that frames an embedded chart.
      EMBED_ORIGINS: `http://127.0.0.1:${port + 1000}`,
    },
  },
});
