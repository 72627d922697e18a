import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getUser } from "@/db/accounts/auth";
import {
  type Ceiling,
  clearSignInFailures,
  forgiveSignInAttempt,
  recordSignInAttempt,
  type Bucket,
  WAIT_WINDOW,
} from "@/db/accounts/sign-in-failures";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import { recordAudit } from "@/db/audit/events";
import { addressBlock, clientAddress } from "./origin";
import { signValue, verifySignedValue } from "./signed";
import { getAuth } from "./principal";
import { authConfig } from "./sso-config";

// Sign-in through one function, so the page and scripts share the same limits. Failures count
// per (account, client) pair — five a minute — so one client guessing a password slows itself
// down without locking the owner out elsewhere; per client — 20 a minute across all accounts —
// against spraying; and per account — 100 a minute from everyone together — as a ceiling that
// only many clients at once can reach. A client is its address, an IPv6 one by its /64.
// The ceiling never locks the owner out: a browser that signed in to the account before carries a
// signed remembered-device cookie and is counted on its own (five a minute), apart from every
// other client; any other client that meets the full ceiling waits a delay that doubles with each
// of its own tries (db/accounts/sign-in-failures.ts), and then gets in with the right password.
// Each attempt is recorded before the password is checked (and taken back if it succeeds), so
// parallel attempts cannot all slip past the check. The counts are rows in the database, so they
// hold across all app servers.

const MINUTE = 60_000;
const DEVICE_COOKIE = "atlas_device";
const DEVICE_MAX_AGE = 60 * 60 * 24 * 180;
const devicePurpose = (email: string) => `${DEVICE_COOKIE}\n${email}`;

/** The remembered device this request's cookie names for `email`, if its signature holds. */
function rememberedDevice(headers: Headers, email: string): string | null {
  const value = (headers.get("cookie") ?? "")
    .split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${DEVICE_COOKIE}=`))
    ?.slice(DEVICE_COOKIE.length + 1);
  return value ? verifySignedValue(devicePurpose(email), decodeURIComponent(value)) : null;
}

function deviceCookie(email: string, device: string): string {
  const value = signValue(devicePurpose(email), device, DEVICE_MAX_AGE);
  return `${DEVICE_COOKIE}=${value}; Path=/; Max-Age=${DEVICE_MAX_AGE}; HttpOnly; SameSite=Lax`;
}

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
  | { ok: false; status: 401 | 403 | 429 | 503; message: string; retryAfter?: number };

export const PASSWORD_SIGNIN_OFF =
  "Password sign-in is turned off: sign in with single sign-on. (Admins: `npm run user:create` for break-glass.)";

export async function signIn(input: z.output<typeof signInInput>, headers: Headers): Promise<SignInResult> {
  // PASSWORD_SIGNIN=0: single sign-on only. Checked before anything is counted or hashed.
  if (!authConfig().passwordSignIn) return { ok: false, status: 403, message: PASSWORD_SIGNIN_OFF };
  const client = addressBlock(clientAddress(headers));
  const device = rememberedDevice(headers, input.email);
  // A remembered device is limited on its own, so no one else's failures can stop it.
  const buckets: Bucket[] = device
    ? [{ key: `device:${device}`, limit: 5, windowMs: MINUTE }]
    : [
        { key: `pair:${input.email}\n${client}`, limit: 5, windowMs: MINUTE },
        { key: `client:${client}`, limit: 20, windowMs: MINUTE },
      ];
  const ceiling: Ceiling | undefined = device
    ? undefined
    : {
        bucket: { key: `account:${input.email}`, limit: 100, windowMs: MINUTE },
        client,
        baseMs: 30_000,
        maxMs: 60 * MINUTE,
        windowMs: WAIT_WINDOW,
      };
  let attempt;
  try {
    attempt = await recordSignInAttempt(buckets, ceiling);
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
  // Only refusals after a password check are recorded: each is bounded by the limits above, while
  // the 429s an attacker can ask for without end would flood the log.
  const refused = async (reason: string): Promise<SignInResult> => {
    await recordAudit("sign-in-failed", {
      actor: input.email,
      detail: { email: input.email, reason },
      ip: clientAddress(headers),
    });
    return { ok: false, status: 401, message: "Wrong email or password, or the account is deactivated." };
  };
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
      return refused("deactivated");
    }
    // A success wipes this client's failures and waits on this account, as the owner got the
    // password right, and remembers the device for the next time the account is under attack.
    await forgiveSignInAttempt(ids, [buckets[0]!.key], ceiling);
    return {
      ok: true,
      setCookie: [
        ...responseHeaders.getSetCookie(),
        deviceCookie(input.email, device ?? randomBytes(16).toString("base64url")),
      ],
      user: { id: user.id, name: user.name, role: user.role },
    };
  } catch (error) {
    // The password may well be right: the session could not be saved. Not a failed attempt.
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) {
      await forgiveSignInAttempt(ids).catch(() => undefined); // likely refused too: nothing was lost
      return { ok: false, status: 503, message: unwritable };
    }
    return refused("wrong email or password");
  }
}

/** For tests: forget all failures. */
export async function resetSignInLimits() {
  await clearSignInFailures();
}
