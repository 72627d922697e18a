import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./drizzle",
  dbCredentials: { url: process.env.DATABASE_PATH ?? "data/atlas.db" },
  // The FTS5 index is created by a custom migration; drizzle-kit must not try to drop it.
  tablesFilter: ["!deal_search*"],
});
