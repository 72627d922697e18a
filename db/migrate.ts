import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { companyKey, labelKey } from "@/lib/names";
import type { Db } from "./connection";

export function migrateDatabase(db: Db): void {
  migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  rekeyNames(db);
}

/**
 * Identity keys are computed in TypeScript (lib/names.ts), so SQL migrations cannot rewrite them
 * when the rules change (look-alike letters and invisible characters are now folded). Brings stale
 * keys up to date; a key that would collide with another record is left for the duplicates page.
 */
function rekeyNames(db: Db): void {
  const client = db.$client;
  const rekey = (table: string, column: string, keyOf: (name: string) => string, idColumn = "id") => {
    const rows = client
      .prepare(
        `SELECT ${idColumn} AS id, ${column === "alias_key" ? "alias" : "name"} AS name, ${column} AS key FROM ${table}`,
      )
      .all() as { id: number; name: string; key: string }[];
    const stale = rows.filter((r) => keyOf(r.name) !== r.key && keyOf(r.name) !== "");
    if (!stale.length) return;
    const update = client.prepare(`UPDATE OR IGNORE ${table} SET ${column} = ? WHERE ${idColumn} = ?`);
    client.transaction(() => stale.forEach((r) => update.run(keyOf(r.name), r.id))).immediate();
  };
  rekey("companies", "name_key", companyKey);
  rekey("company_aliases", "alias_key", companyKey);
  rekey("technologies", "name_key", labelKey);
}
