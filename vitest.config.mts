import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": import.meta.dirname,
      // The marker package throws outside React Server Components; tests are server code too.
      "server-only": path.join(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**"],
    globalSetup: ["./test/global-setup.ts"],
    setupFiles: ["./test/setup-db.ts"],
    pool: "forks",
    // Many tests spawn a CLI (tsx) or open a database per file; on a loaded 2-core machine 5 s was
    // not always enough for that alone. Tests that assert a time bound measure it themselves.
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // As Playwright does in CI: a test that fails once is run again, and scripts/test-summary.mjs names
    // every test that passed only on its second run, so a flaky test is seen, not hidden.
    retry: process.env.CI ? 1 : 0,
    // CI also writes a JSON report, which scripts/test-summary.mjs adds up with Playwright's.
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: `.test-reports/vitest${process.env.TEST_REPORT_SUFFIX ?? ""}.json` }]]
      : ["default"],
  },
});
