import "server-only";
import { z } from "zod";
import { getUser } from "@/db/auth";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { FailureLimiter } from "@/lib/rate-limit";
import { clientAddress } from "./origin";
import { getAuth } from "./principal";

// Sign-in through one function, so the page and scripts share the same limits. Failures count
// per (account, client) pair — five a minute — so one client guessing a password slows itself
// down without locking the owner out elsewhere; per client — 20 a minute across all accounts —
// against spraying; and per account — 100 a minute from everyone together — as a ceiling that
// only many clients at once can reach. Each attempt is recorded before the password is checked
// (and taken back if it succeeds), so parallel attempts cannot all slip past the check.

const perPair = new FailureLimiter({ limit: 5, windowMs: 60_000 });
const perClient = new FailureLimiter({ limit: 20, windowMs: 60_000 });
const perAccount = new FailureLimiter({ limit: 100, windowMs: 60_000 });

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
  const keys: [FailureLimiter, string][] = [
    [perPair, `${input.email}\n${client}`],
    [perClient, client],
    [perAccount, input.email],
  ];
  // Check and record in one synchronous step: no other request runs in between.
  const wait = Math.max(...keys.map(([limiter, key]) => limiter.retryAfter(key)));
  if (wait > 0) {
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-ins. Try again in ${wait} s.`,
      retryAfter: wait,
    };
  }
  const attempts = keys.map(([limiter, key]) => limiter.fail(key));
  const forgive = () => keys.forEach(([limiter, key], i) => limiter.forgive(key, attempts[i]!));
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
    const user = getUser(response.user.id);
    if (!user || user.deactivatedAt) {
      await getAuth()
        .api.revokeSession({ body: { token: response.token }, headers })
        .catch(() => undefined);
      return refused();
    }
    forgive();
    perPair.reset(keys[0]![1]);
    return {
      ok: true,
      setCookie: responseHeaders.getSetCookie(),
      user: { id: user.id, name: user.name, role: user.role },
    };
  } catch (error) {
    // The password may well be right: the session could not be saved. Not a failed attempt.
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) {
      forgive();
      return { ok: false, status: 503, message: unwritable };
    }
    return refused();
  }
}

/** For tests: forget all failures. */
export function resetSignInLimits() {
  for (const limiter of [perPair, perClient, perAccount]) limiter.clear();
}
