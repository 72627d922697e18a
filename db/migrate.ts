import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Db } from "./connection";

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle") });
}
