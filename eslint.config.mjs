import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// The boundary between code that may run in the browser (components/, lib/) and code that runs
// only on the server (db/, server/, route folders' actions) is a lint rule, not a hope.
const serverOnly = {
  patterns: [
    {
      group: ["@/db/*", "!@/db/types", "@/server", "@/server/*", "@/app/*"],
      message:
        "components/ and lib/ run in the browser too: import result types from @/db/types and take Server Actions as props.",
    },
    {
      group: ["better-sqlite3", "drizzle-orm", "drizzle-orm/*", "server-only", "node:*"],
      message:
        "components/ and lib/ run in the browser too: database and Node modules belong in db/ or server/.",
    },
  ],
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: { "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }] },
  },
  {
    files: ["components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", serverOnly] },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "drizzle/**",
    "test-results/**",
    "playwright-report/**",
  ]),
]);
