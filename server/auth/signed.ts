import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "./principal";

// Values the server hands a client and must get back unchanged (cookies that are not sessions):
// `value.expires.mac`, the MAC keyed by the session secret and bound to the purpose, so a value made
// for one cookie is worthless in another, and an old one stops working when it expires.

function mac(purpose: string, payload: string): string {
  return createHmac("sha256", authSecret()).update(`${purpose}\n${payload}`).digest("base64url");
}

/** `value` (no dots) signed for `purpose`, valid for `maxAgeSeconds`. */
export function signValue(purpose: string, value: string, maxAgeSeconds: number, now = Date.now()): string {
  const payload = `${value}.${Math.floor(now / 1000) + maxAgeSeconds}`;
  return `${payload}.${mac(purpose, payload)}`;
}

/** The value of a signed string made for `purpose`, or null when forged, altered or expired. */
export function verifySignedValue(purpose: string, signed: string, now = Date.now()): string | null {
  const parts = signed.split(".");
  if (parts.length !== 3) return null;
  const [value, expires, given] = parts as [string, string, string];
  const expected = Buffer.from(mac(purpose, `${value}.${expires}`));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return Number(expires) * 1000 > now ? value : null;
}
