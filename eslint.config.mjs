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
  // Every data-layer call is asynchronous and Drizzle queries run only when awaited: a call left
  // without `await` is a write that never happens or a Promise used as a value. Type-aware rules
  // catch both wherever the server talks to the database.
  {
    files: [
      "db/**/*.ts",
      "server/**/*.ts",
      "app/**/*.{ts,tsx}",
      "scripts/**/*.ts",
      "bench/**/*.ts",
      "test/**/*.ts",
      "e2e/**/*.ts",
      "instrumentation.ts",
    ],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
    },
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
