import { defineConfig } from "drizzle-kit";

// SQLite's schema and migrations; PostgreSQL's are in drizzle.pg.config.ts (`npm run db:generate`
// writes both).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema/sqlite.ts",
  out: "./drizzle/sqlite",
  dbCredentials: { url: process.env.DATABASE_PATH ?? "data/atlas.db" },
  // The FTS5 index is created by a custom migration; drizzle-kit must not try to drop it.
  tablesFilter: ["!deal_search*"],
});
