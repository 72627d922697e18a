"use server";

import { countUsers } from "@/db/accounts/auth";
import { accountInput } from "@/lib/validation";
import type { OwnerFormState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { createFirstOwnerAccount } from "@/server/auth/principal";
import { InputError } from "@/db/core/errors";

const ALREADY_SET_UP = { _form: ["Partnership Atlas is already set up. Sign in instead."] };

/**
 * First run only: creates the owner (an admin). Refused once any account exists; the early check
 * only spares the hashing, the atomic one is in createFirstOwner.
 */
export async function createOwnerAction(_previous: OwnerFormState, raw: unknown): Promise<OwnerFormState> {
  if ((await countUsers()) > 0) return { status: "invalid", fieldErrors: ALREADY_SET_UP };
  const result = await runFormAction(null, accountInput, raw, async (input) => {
    const owner = await createFirstOwnerAccount(input);
    if (!owner) throw new InputError(ALREADY_SET_UP);
    return owner;
  });
  return result.ok ? { status: "created" } : result.state;
}
