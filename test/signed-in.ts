import type { UserRole } from "@/lib/enums";
import { createUserAccount, getAuth } from "@/server/auth/principal";
import { unique } from "./db";

export type SignedIn = { id: string; email: string; role: UserRole; cookie: string };

/** A new account of `role`, signed in: its id, e-mail and the session cookie a browser would send. */
export async function signedInAccount(role: UserRole): Promise<SignedIn> {
  const email = `${unique("u").replace(/\W/g, "")}@example.org`;
  const user = await createUserAccount({ name: unique("User"), email, password: "password for tests", role });
  const { headers } = await getAuth().api.signInEmail({
    body: { email, password: "password for tests" },
    returnHeaders: true,
  });
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { id: user.id, email, role, cookie };
}
