import { defineConfig } from "drizzle-kit";

// PostgreSQL's schema and migrations (SQLite's: drizzle.config.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/pg.ts",
  out: "./drizzle/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/atlas" },
  // The tsvector search table is created by a custom migration; drizzle-kit must not drop it.
  tablesFilter: ["!deal_search*"],
});
