import { beforeAll, describe, expect, it } from "vitest";
import { createOwnerAction } from "@/app/(auth)/actions";
import { getAuth } from "@/server/auth/principal";
import { accounts, users } from "@/db/schema";
import { testDb } from "./db";

// A fresh database of its own: no user exists until the test makes the owner.

beforeAll(() => {
  testDb();
});

describe("first run", () => {
  it("two concurrent owner submissions create exactly one admin", async () => {
    const submit = (who: string) =>
      createOwnerAction(
        { status: "idle" },
        { name: who, email: `${who}@example.org`, password: "a long passphrase" },
      );
    const outcomes = await Promise.all([submit("first"), submit("second"), submit("third")]);
    expect(outcomes.filter((o) => o.status === "created")).toHaveLength(1);
    for (const refused of outcomes.filter((o) => o.status !== "created"))
      expect(refused).toMatchObject({
        status: "invalid",
        fieldErrors: { _form: [expect.stringMatching(/already set up/)] },
      });
    const rows = await testDb().select({ email: users.email, role: users.role }).from(users);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.role).toBe("admin");
    expect(await testDb().$count(accounts)).toBe(1);

    // The owner made outside better-auth's adapter signs in like any other account.
    const signedIn = await getAuth().api.signInEmail({
      body: { email: rows[0]!.email, password: "a long passphrase" },
    });
    expect(signedIn.user.email).toBe(rows[0]!.email);
  });
});
