import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { cache } from "react";
import { countUsers } from "@/db/accounts/auth";
import type { UserRole } from "@/lib/enums";
import { hasRole } from "@/lib/roles";
import { getSessionPrincipal, type Principal } from "./principal";

/**
 * The signed-in user of the current request, looked up once per render. Session cookie only: a
 * bearer token is for the JSON API, never for pages or Server Actions.
 */
export const currentPrincipal = cache(async () => getSessionPrincipal(await headers()));

/** For pages: first run leads to /setup, no session to /sign-in. Returns the signed-in principal. */
export async function requirePrincipal(): Promise<Principal> {
  await connection(); // a per-request render: never prerendered, so the build never reads the database
  if ((await countUsers()) === 0) redirect("/setup");
  const principal = await currentPrincipal();
  if (!principal) redirect("/sign-in");
  return principal;
}

/** For Server Actions: who is calling, if they hold `role`; otherwise why not. */
export async function authorizeAction(
  role: UserRole,
): Promise<{ ok: true; principal: Principal } | { ok: false; message: string }> {
  const principal = await currentPrincipal();
  if (!principal)
    return { ok: false, message: "Your session has ended. Sign in again; your input is still here." };
  if (!hasRole(principal.role, role))
    return { ok: false, message: `This needs the ${role} role; you are a ${principal.role}.` };
  return { ok: true, principal };
}

/** For Server Actions without a form state to report into: refuse by throwing. */
export async function requireActionRole(role: UserRole): Promise<Principal> {
  const result = await authorizeAction(role);
  if (!result.ok) throw new ForbiddenError(result.message);
  return result.principal;
}

class ForbiddenError extends Error {}
