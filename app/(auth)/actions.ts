"use server";

import { countUsers } from "@/db/auth";
import { accountInput, fieldErrors, type FieldErrors } from "@/db/validation";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { createUserAccount, EmailTakenError } from "@/lib/auth/server";

export type OwnerFormState =
  { status: "idle" } | { status: "invalid"; fieldErrors: FieldErrors } | { status: "created" };

/** First run only: creates the owner (an admin). Refused once any account exists. */
export async function createOwnerAction(_previous: OwnerFormState, raw: unknown): Promise<OwnerFormState> {
  if (countUsers() > 0)
    return {
      status: "invalid",
      fieldErrors: { _form: ["Partnership Atlas is already set up. Sign in instead."] },
    };
  const parsed = accountInput.safeParse(raw);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrors(parsed.error) };
  try {
    await createUserAccount({ ...parsed.data, role: "admin" });
  } catch (error) {
    if (error instanceof EmailTakenError)
      return { status: "invalid", fieldErrors: { email: [error.message] } };
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { status: "invalid", fieldErrors: { _form: [unwritable] } };
    throw error;
  }
  return { status: "created" };
}
