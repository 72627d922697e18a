import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/core/index";
import { appSettings } from "@/db/schema";

// On PostgreSQL the session signing secret must come from the environment (BETTER_AUTH_SECRET, the
// same on every app server), never from the database: sessions are rows there, so a dump that held
// the secret too would let anyone who reads it make a valid session cookie. (SQLite keeps its secret
// in a file beside the database, made readable by the owner only: server/auth/principal.ts.)

export const MISSING_AUTH_SECRET =
  "BETTER_AUTH_SECRET is required on PostgreSQL: set it to the same random value on every app server " +
  "(for example `openssl rand -base64 32`). Databases set up by earlier versions kept a generated secret " +
  "in app_settings (key 'auth_secret'): use that value to keep today's sessions valid; Atlas removes it " +
  "from the database once BETTER_AUTH_SECRET is set. See docs/security.md.";

export class MissingAuthSecretError extends Error {
  constructor() {
    super(MISSING_AUTH_SECRET);
  }
}

/**
 * Called once at start (instrumentation.ts, scripts/prepare-start.ts), before any request is served:
 * on PostgreSQL refuses to go on without BETTER_AUTH_SECRET, and deletes the secret earlier versions
 * generated into app_settings, saying so, so no copy of the database carries it any longer.
 */
export async function requireAuthSecret(): Promise<void> {
  const db = getDb();
  if (db.engine !== "pg") return;
  if (!process.env.BETTER_AUTH_SECRET) throw new MissingAuthSecretError();
  const removed = await db.write((tx) =>
    tx.delete(appSettings).where(eq(appSettings.key, "auth_secret")).returning({ key: appSettings.key }),
  );
  if (removed.length)
    console.warn(
      "Removed the session secret earlier versions kept in the database (app_settings.auth_secret); " +
        "BETTER_AUTH_SECRET signs sessions now.",
    );
}

/** The server's start: without the secret, says what to set (no stack trace) and does not serve. */
export async function requireAuthSecretAtStart(): Promise<void> {
  try {
    await requireAuthSecret();
  } catch (error) {
    if (!(error instanceof MissingAuthSecretError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
