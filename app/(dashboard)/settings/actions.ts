"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  countActiveAdmins,
  createApiToken,
  getUser,
  revokeApiToken,
  setUserActive,
  setUserRole,
} from "@/db/auth";
import { accountInput, fieldErrors, type FieldErrors } from "@/db/validation";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { authorizeAction, requireActionRole } from "@/lib/auth/page";
import { createUserAccount, EmailTakenError } from "@/lib/auth/server";
import { USER_ROLES } from "@/lib/enums";

// Admin-only actions: users and API tokens. Each checks the caller's role itself.

const role = z.enum(USER_ROLES, { error: `Choose a role: ${USER_ROLES.join(", ")}` });

export type CreateUserState =
  { status: "idle" } | { status: "invalid"; fieldErrors: FieldErrors } | { status: "created"; email: string };

export async function createUserAction(_previous: CreateUserState, raw: unknown): Promise<CreateUserState> {
  const auth = await authorizeAction("admin");
  if (!auth.ok) return { status: "invalid", fieldErrors: { _form: [auth.message] } };
  const parsed = accountInput.extend({ role }).safeParse(raw);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrors(parsed.error) };
  try {
    await createUserAccount(parsed.data);
  } catch (error) {
    if (error instanceof EmailTakenError)
      return { status: "invalid", fieldErrors: { email: [error.message] } };
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { status: "invalid", fieldErrors: { _form: [unwritable] } };
    throw error;
  }
  revalidatePath("/settings/users");
  return { status: "created", email: parsed.data.email };
}

const roleChange = z.object({ userId: z.string().min(1).max(100), role });

export async function setRoleAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = roleChange.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return;
  const user = getUser(parsed.data.userId);
  if (!user) return;
  // Never leave the deal book without an active admin.
  if (
    user.role === "admin" &&
    parsed.data.role !== "admin" &&
    !user.deactivatedAt &&
    countActiveAdmins() <= 1
  )
    return;
  if (user.id === admin.id && parsed.data.role !== "admin" && countActiveAdmins() <= 1) return;
  setUserRole(user.id, parsed.data.role);
  revalidatePath("/settings/users");
}

const activeChange = z.object({ userId: z.string().min(1).max(100), active: z.enum(["true", "false"]) });

/** Deactivating ends the user's sessions at once (in the same transaction). */
export async function setActiveAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = activeChange.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return;
  const active = parsed.data.active === "true";
  const user = getUser(parsed.data.userId);
  if (!user || (!active && user.id === admin.id)) return;
  if (!active && user.role === "admin" && countActiveAdmins() <= 1) return;
  setUserActive(user.id, active);
  revalidatePath("/settings/users");
}

export type CreateTokenState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: FieldErrors }
  | { status: "created"; name: string; secret: string };

const tokenInput = z.object({
  name: z.string({ error: "Name the token" }).trim().min(1, { error: "Name the token" }).max(100),
  role,
});

export async function createTokenAction(
  _previous: CreateTokenState,
  raw: unknown,
): Promise<CreateTokenState> {
  const auth = await authorizeAction("admin");
  if (!auth.ok) return { status: "invalid", fieldErrors: { _form: [auth.message] } };
  const parsed = tokenInput.safeParse(raw);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrors(parsed.error) };
  let token: ReturnType<typeof createApiToken>;
  try {
    token = createApiToken({
      ...parsed.data,
      createdByUserId: auth.principal.kind === "user" ? auth.principal.id : null,
    });
  } catch (error) {
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { status: "invalid", fieldErrors: { _form: [unwritable] } };
    throw error;
  }
  revalidatePath("/settings/tokens");
  return { status: "created", name: token.name, secret: token.secret };
}

const tokenId = z.object({ tokenId: z.coerce.number().int().positive() });

export async function revokeTokenAction(formData: FormData) {
  await requireActionRole("admin");
  const parsed = tokenId.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return;
  revokeApiToken(parsed.data.tokenId);
  revalidatePath("/settings/tokens");
}
