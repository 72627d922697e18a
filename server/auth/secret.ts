import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/index";
import { appSettings } from "@/db/schema";

/**
 * On PostgreSQL, without BETTER_AUTH_SECRET, the session signing secret lives in the database: the
 * first server to start generates it, every other one reads the same, so a session made on one app
 * server is valid on all. Called once at start (instrumentation.ts), before any request is served;
 * it puts the secret where server/auth/principal.ts looks first. SQLite keeps its file beside the
 * database (one file, one server).
 */
export async function loadSharedAuthSecret(): Promise<void> {
  if (process.env.BETTER_AUTH_SECRET) return;
  const db = getDb();
  if (db.engine !== "pg") return;
  const secret = await db.write(async (tx) => {
    await tx
      .insert(appSettings)
      .values({ key: "auth_secret", value: randomBytes(32).toString("base64url") })
      .onConflictDoNothing();
    const [row] = await tx.select().from(appSettings).where(eq(appSettings.key, "auth_secret"));
    return row!.value;
  });
  process.env.BETTER_AUTH_SECRET = secret;
}
