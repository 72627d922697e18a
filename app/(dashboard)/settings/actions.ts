"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createApiToken, revokeApiToken, setUserActive, setUserRole } from "@/db/accounts/auth";
import { InputError } from "@/db/core/errors";
import { accountInput } from "@/lib/validation";
import { USER_ROLES } from "@/lib/enums";
import type { CreateTokenState, CreateUserState } from "@/lib/form-state";
import { tokenInput } from "@/lib/token-input";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";
import { createUserAccount } from "@/server/auth/principal";

// Admin-only actions: users and API tokens. Each checks the caller's role itself.

const role = z.enum(USER_ROLES, { error: `Choose a role: ${USER_ROLES.join(", ")}` });

export async function createUserAction(_previous: CreateUserState, raw: unknown): Promise<CreateUserState> {
  const result = await runFormAction("admin", accountInput.extend({ role }), raw, (input) =>
    createUserAccount(input),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/users");
  return { status: "created", email: result.value.email };
}

/** Back to the users page, with the reason a change was refused shown above the table. */
function refused(error: unknown): never {
  if (!(error instanceof InputError)) throw error;
  const message = Object.values(error.fieldErrors).flat()[0] ?? "That change was refused.";
  redirect(`/settings/users?refused=${encodeURIComponent(message)}`);
}

const roleChange = z.object({ userId: z.string().min(1).max(100), role });

export async function setRoleAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = roleChange.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/settings/users");
  try {
    await setUserRole(parsed.data.userId, parsed.data.role, admin.actor);
  } catch (error) {
    refused(error);
  }
  revalidatePath("/settings/users");
}

const activeChange = z.object({ userId: z.string().min(1).max(100), active: z.enum(["true", "false"]) });

/** Deactivating ends the user's sessions at once (in the same transaction). */
export async function setActiveAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = activeChange.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/settings/users");
  const active = parsed.data.active === "true";
  try {
    if (!active && parsed.data.userId === admin.id)
      throw new InputError({ _form: ["You cannot deactivate yourself."] });
    await setUserActive(parsed.data.userId, active, admin.actor);
  } catch (error) {
    refused(error);
  }
  revalidatePath("/settings/users");
}

export async function createTokenAction(
  _previous: CreateTokenState,
  raw: unknown,
): Promise<CreateTokenState> {
  const result = await runFormAction("admin", tokenInput, raw, ({ expires, ...input }, principal) =>
    createApiToken({
      ...input,
      expiresAt: expires ?? null,
      createdByUserId: principal.kind === "user" ? principal.id : null,
      by: principal.actor,
    }),
  );
  if (!result.ok) return result.state;
  revalidatePath("/settings/tokens");
  return { status: "created", name: result.value.name, secret: result.value.secret };
}

const tokenId = z.object({ tokenId: z.coerce.number().int().positive() });

export async function revokeTokenAction(formData: FormData) {
  const admin = await requireActionRole("admin");
  const parsed = tokenId.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return;
  await revokeApiToken(parsed.data.tokenId, admin.actor);
  revalidatePath("/settings/tokens");
}
