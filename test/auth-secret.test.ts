import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { isPg } from "@/db/core/dialect";
import { appSettings } from "@/db/schema";
import { MissingAuthSecretError, requireAuthSecret } from "@/server/auth/secret";
import { testDb } from "./db";

// The session secret on PostgreSQL comes from the environment, never from the database (where the
// sessions are): a dump of the database must not be enough to make a valid session cookie.

const saved = process.env.BETTER_AUTH_SECRET;
afterEach(() => {
  process.env.BETTER_AUTH_SECRET = saved;
});

const storedSecret = async () =>
  (await testDb().select().from(appSettings).where(eq(appSettings.key, "auth_secret")))[0]?.value;

describe.skipIf(!isPg)("the session secret on PostgreSQL", () => {
  it("is required from the environment: without it the start step stops with a clear message and stores nothing", async () => {
    delete process.env.BETTER_AUTH_SECRET;
    const error = await requireAuthSecret().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingAuthSecretError);
    expect((error as Error).message).toMatch(/^BETTER_AUTH_SECRET is required on PostgreSQL/);
    expect(await storedSecret()).toBeUndefined();
  });

  it("a secret an older version stored in the database is removed at start", async () => {
    await testDb().write((tx) =>
      tx.insert(appSettings).values({ key: "auth_secret", value: "the-old-secret" }),
    );
    process.env.BETTER_AUTH_SECRET = "a secret from the environment for this test";
    await requireAuthSecret();
    expect(await storedSecret()).toBeUndefined();
  });
});

describe.skipIf(isPg)("the session secret on SQLite", () => {
  it("needs no setting: the start step passes without BETTER_AUTH_SECRET", async () => {
    delete process.env.BETTER_AUTH_SECRET;
    await expect(requireAuthSecret()).resolves.toBeUndefined();
  });
});
