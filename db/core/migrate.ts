import path from "node:path";
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSqlite } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { companyKey, labelKey } from "@/lib/names";
import type { Db } from "./connection";
import { userFollow } from "../schema";
import { hashApiToken } from "../accounts/tokens";
import {
  dealKeysMissing,
  geoKeysMissing,
  keyCountsMissing,
  rebuildDealKeys,
  rebuildGeoKeys,
  rebuildKeyCounts,
  rebuildStatCounts,
  statCountsMissing,
} from "../stats/stat-counts";
import { takeDealWriteTurn } from "./write-order";
import { migrateCompanyReferences, type ReferenceMigrationReport } from "../directory/reference-data";

/** Each engine's generated migrations (drizzle.config.ts, drizzle.pg.config.ts). */
export function migrationsFolder(engine: Db["engine"]): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), "drizzle", engine === "pg" ? "pg" : "sqlite");
}

// Any fixed number: app servers starting together on one PostgreSQL migrate one after the other.
const MIGRATION_LOCK = 7_246_183;

export async function migrateDatabase(db: Db): Promise<void> {
  const internals = db.internals;
  if (internals.engine === "sqlite") {
    migrateSqlite(drizzleSqlite(internals.writer), { migrationsFolder: migrationsFolder("sqlite") });
  } else {
    const client = await internals.primary.connect();
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await migratePg(drizzlePg(client), { migrationsFolder: migrationsFolder("pg") });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
  }
  await rekeyNames(db);
  await hashPlaintextFeedKeys(db);
  logReferenceMigration(await migrateCompanyReferences(db));
  // The per-bucket counts arrived after the deals of older databases: count those once.
  // Checked again inside the write, in turn: servers starting together must not both rebuild (on
  // PostgreSQL the second would add its counts to the first's).
  if (await statCountsMissing(db))
    await db.write(async (tx) => {
      await takeDealWriteTurn(tx);
      if (await statCountsMissing(tx)) await rebuildStatCounts(tx);
    });
  // The filter keys came after the counts (issue 26): written once, alone, for a database counted before.
  if (await dealKeysMissing(db))
    await db.write(async (tx) => {
      await takeDealWriteTurn(tx);
      if (await dealKeysMissing(tx)) await rebuildDealKeys(tx);
    });
  // So did the geography filters' month counts (issue 26): the same, once.
  if (await geoKeysMissing(db))
    await db.write(async (tx) => {
      await takeDealWriteTurn(tx);
      if (await geoKeysMissing(tx)) await rebuildGeoKeys(tx);
    });
  // And the keyed widgets' counts (issue 26): the same, once.
  if (await keyCountsMissing(db))
    await db.write(async (tx) => {
      await takeDealWriteTurn(tx);
      if (await keyCountsMissing(tx)) await rebuildKeyCounts(tx);
    });
}

/**
 * Identity keys are computed in TypeScript (lib/names.ts), so SQL migrations cannot rewrite them
 * when the rules change (look-alike letters and invisible characters are now folded). Brings stale
 * keys up to date; a key that would collide with another record is left for the duplicates page.
 */
async function rekeyNames(db: Db): Promise<void> {
  const rekey = async (table: string, column: string, keyOf: (name: string) => string, unique: boolean) => {
    const source = column === "alias_key" ? "alias" : "name";
    const { rows } = await db.execute<{ id: number; name: string; key: string }>(
      sql`SELECT id, ${sql.identifier(source)} AS name, ${sql.identifier(column)} AS key FROM ${sql.identifier(table)}`,
    );
    const stale = rows.filter((r) => keyOf(r.name) !== r.key && keyOf(r.name) !== "");
    if (!stale.length) return;
    await db.write(async (tx) => {
      for (const r of stale) {
        const key = keyOf(r.name);
        const free = unique
          ? sql` AND NOT EXISTS (SELECT 1 FROM ${sql.identifier(table)} WHERE ${sql.identifier(column)} = ${key})`
          : sql``;
        await tx.execute(
          sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(column)} = ${key} WHERE id = ${r.id}${free}`,
        );
      }
    });
  };
  await rekey("companies", "name_key", companyKey, true);
  await rekey("company_aliases", "alias_key", companyKey, false);
  await rekey("technologies", "name_key", labelKey, true);
}

/**
 * Feed keys were stored in plaintext before they were hashed (db/follow/inbox.ts): each is replaced by its
 * hash, so the feed addresses users already gave their readers keep working. A stored hash is hex,
 * never "af_…", so this finds only the old keys and running it again changes nothing.
 */
async function hashPlaintextFeedKeys(db: Db): Promise<void> {
  // One row per user: filtered here, as LIKE escapes differ between the engines.
  const plain = (
    await db
      .select({ userId: userFollow.userId, key: userFollow.feedKey })
      .from(userFollow)
      .where(isNotNull(userFollow.feedKey))
  ).filter((r) => r.key!.startsWith("af_"));
  if (!plain.length) return;
  await db.write(async (tx) => {
    for (const { userId, key } of plain)
      await tx
        .update(userFollow)
        .set({ feedKey: hashApiToken(key!) })
        .where(and(eq(userFollow.userId, userId), eq(userFollow.feedKey, key!)));
  });
}

/** What the free-text country/sector step changed: the operator sees each value it could not map. */
function logReferenceMigration({ mapped, unmatched }: ReferenceMigrationReport) {
  if (mapped.length)
    console.info(`Reference data: mapped ${mapped.length} free-text country/sector values to codes`);
  for (const u of unmatched)
    console.warn(
      `Reference data: ${u.company}'s ${u.field} "${u.value}" matches no code; cleared, kept in the company's history`,
    );
}
