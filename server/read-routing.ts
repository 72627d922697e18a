import "server-only";
import { cookies } from "next/headers";
import { setReadYourWrites } from "@/db/core/connection";
import { signValue, verifySignedValue } from "./auth/signed";

// With a read replica (DATABASE_READ_URL), lists, pages, the dashboard and exports read from the
// replica, which lags the primary by a little. So that an analyst never saves a deal and then fails
// to find it, each write leaves the primary's WAL position in the writer's cookie, and that
// browser's reads go to the primary until the replica has replayed that position (db/core/connection.ts).
// Other users' reads are not held back. Scripts using API tokens keep cookies to get the same.

const COOKIE = "atlas_read_after";
const MAX_AGE = 300;
// A WAL position is "16/B374D848"; in the cookie the slash becomes a dash (a slash would be
// percent-encoded on the way out and not decoded on the way back).
const POSITION = /^([0-9A-F]{1,8})-([0-9A-F]{1,8})$/i;

export function installReadRouting(): void {
  if (!process.env.DATABASE_READ_URL) return;
  setReadYourWrites({
    async onWrite(lsn) {
      try {
        // Signed: a position the client made up (FFFFFFFF-FFFFFFFF) would send its reads to the
        // primary for good, and anyone can send a cookie, signed in or not.
        (await cookies()).set(COOKIE, signValue(COOKIE, lsn.replace("/", "-"), MAX_AGE), {
          httpOnly: true,
          sameSite: "lax",
          path: "/",
          maxAge: MAX_AGE,
          secure: process.env.APP_URL?.startsWith("https://") ?? false,
        });
      } catch {
        // Not in a server action or route handler (a page render or the webhook worker): nothing to carry.
      }
    },
    async mustSee() {
      try {
        const signed = (await cookies()).get(COOKIE)?.value;
        const match = POSITION.exec((signed && verifySignedValue(COOKIE, signed)) || "");
        return match ? `${match[1]}/${match[2]}` : undefined;
      } catch {
        return undefined; // outside a request
      }
    },
  });
}
