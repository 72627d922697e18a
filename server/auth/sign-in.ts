import "server-only";
import { z } from "zod";
import { getUser } from "@/db/auth";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { FailureLimiter } from "@/lib/rate-limit";
import { clientAddress } from "./origin";
import { getAuth } from "./principal";

// Sign-in through one function, so the page and scripts share the same limits: five failures a
// minute per account and per client, then 429 with Retry-After.

const perAccount = new FailureLimiter({ limit: 5, windowMs: 60_000 });
const perClient = new FailureLimiter({ limit: 5, windowMs: 60_000 });

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
  const accountKey = input.email;
  const clientKey = clientAddress(headers);
  const wait = Math.max(perAccount.retryAfter(accountKey), perClient.retryAfter(clientKey));
  if (wait > 0) {
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-ins. Try again in ${wait} s.`,
      retryAfter: wait,
    };
  }
  const refused = (): SignInResult => {
    perAccount.fail(accountKey);
    perClient.fail(clientKey);
    return { ok: false, status: 401, message: "Wrong email or password, or the account is deactivated." };
  };
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
    perAccount.reset(accountKey);
    return {
      ok: true,
      setCookie: responseHeaders.getSetCookie(),
      user: { id: user.id, name: user.name, role: user.role },
    };
  } catch (error) {
    // The password may well be right: the session could not be saved. Not a failed attempt.
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { ok: false, status: 503, message: unwritable };
    return refused();
  }
}

/** For tests: forget all failures. */
export function resetSignInLimits() {
  for (const limiter of [perAccount, perClient])
    (limiter as unknown as { failures: Map<string, number[]> }).failures.clear();
}
