import "server-only";
import { z } from "zod";
import { getUser } from "@/db/auth";
import {
  clearSignInFailures,
  forgiveSignInAttempt,
  recordSignInAttempt,
  type Bucket,
} from "@/db/sign-in-failures";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { clientAddress } from "./origin";
import { getAuth } from "./principal";

// Sign-in through one function, so the page and scripts share the same limits. Failures count
// per (account, client) pair — five a minute — so one client guessing a password slows itself
// down without locking the owner out elsewhere; per client — 20 a minute across all accounts —
// against spraying; and per account — 100 a minute from everyone together — as a ceiling that
// only many clients at once can reach. Each attempt is recorded before the password is checked
// (and taken back if it succeeds), so parallel attempts cannot all slip past the check. The counts
// are rows in the database (db/sign-in-failures.ts), so they hold across all app servers.

const MINUTE = 60_000;

export const signInInput = z.object({
  email: z
    .string({ error: "Enter your email" })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter a valid email address" })),
  password: z.string({ error: "Enter your password" }).min(1, { error: "Enter your password" }).max(256),
});

export type SignInResult =
  | { ok: true; setCookie: string[]; user: { id: string; name: string; role: string } }
  | { ok: false; status: 401 | 429 | 503; message: string; retryAfter?: number };

export async function signIn(input: z.output<typeof signInInput>, headers: Headers): Promise<SignInResult> {
  const client = clientAddress(headers);
  const buckets: Bucket[] = [
    { key: `pair:${input.email}\n${client}`, limit: 5, windowMs: MINUTE },
    { key: `client:${client}`, limit: 20, windowMs: MINUTE },
    { key: `account:${input.email}`, limit: 100, windowMs: MINUTE },
  ];
  let attempt;
  try {
    attempt = await recordSignInAttempt(buckets);
  } catch (error) {
    // The attempt cannot be counted because the database refuses writes: so would the session.
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { ok: false, status: 503, message: unwritable };
    throw error;
  }
  if (!attempt.ok) {
    const wait = attempt.retryAfter;
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-ins. Try again in ${wait} s.`,
      retryAfter: wait,
    };
  }
  const { ids } = attempt;
  const refused = (): SignInResult => ({
    ok: false,
    status: 401,
    message: "Wrong email or password, or the account is deactivated.",
  });
  try {
    const { headers: responseHeaders, response } = await getAuth().api.signInEmail({
      body: { email: input.email, password: input.password },
      headers,
      returnHeaders: true,
    });
    const user = await getUser(response.user.id);
    if (!user || user.deactivatedAt) {
      await getAuth()
        .api.revokeSession({ body: { token: response.token }, headers })
        .catch(() => undefined);
      return refused();
    }
    // A success wipes this client's failures on this account, as the owner got the password right.
    await forgiveSignInAttempt(ids, [buckets[0]!.key]);
    return {
      ok: true,
      setCookie: responseHeaders.getSetCookie(),
      user: { id: user.id, name: user.name, role: user.role },
    };
  } catch (error) {
    // The password may well be right: the session could not be saved. Not a failed attempt.
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) {
      await forgiveSignInAttempt(ids).catch(() => undefined); // likely refused too: nothing was lost
      return { ok: false, status: 503, message: unwritable };
    }
    return refused();
  }
}

/** For tests: forget all failures. */
export async function resetSignInLimits() {
  await clearSignInFailures();
}
