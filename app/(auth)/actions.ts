"use server";

import { countUsers } from "@/db/auth";
import { accountInput } from "@/db/validation";
import type { OwnerFormState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { createUserAccount } from "@/server/auth/principal";

/** First run only: creates the owner (an admin). Refused once any account exists. */
export async function createOwnerAction(_previous: OwnerFormState, raw: unknown): Promise<OwnerFormState> {
  if (countUsers() > 0)
    return {
      status: "invalid",
      fieldErrors: { _form: ["Partnership Atlas is already set up. Sign in instead."] },
    };
  const result = await runFormAction(null, accountInput, raw, (input) =>
    createUserAccount({ ...input, role: "admin" }),
  );
  return result.ok ? { status: "created" } : result.state;
}
