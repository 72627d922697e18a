import "server-only";
import type { z } from "zod";
import { ConflictError, ForbiddenError, InputError, NotFoundError, RefusedError } from "@/db/core/errors";
import { fieldErrors } from "@/lib/validation";
import { unwritableDatabaseMessage } from "@/db/core/write-errors";
import type { UserRole } from "@/lib/enums";
import type { FormFailure } from "@/lib/form-state";
import type { Principal } from "./auth/principal";
import { authorizeAction } from "./auth/page";

// Every Server Action that reports into a form goes through here: its role check, its zod schema,
// and the one mapping from the data layer's errors to the form's state.

type Outcome<T> = { ok: true; value: T } | { ok: false; state: FormFailure };

/** The form state for an expected failure of the data layer; null for anything unexpected. */
function formFailure(error: unknown): FormFailure | null {
  if (error instanceof InputError) return { status: "invalid", fieldErrors: error.fieldErrors };
  if (error instanceof ConflictError)
    return { status: "conflict", message: error.message, currentVersion: error.currentVersion };
  if (error instanceof RefusedError || error instanceof ForbiddenError)
    return { status: "error", message: error.message };
  if (error instanceof NotFoundError)
    return { status: "error", message: `${error.message}: it may have been deleted in the meantime.` };
  const unwritable = unwritableDatabaseMessage(error);
  if (unwritable) return { status: "error", message: unwritable };
  return null;
}

export async function runFormAction<S extends z.ZodType, T>(
  role: UserRole,
  schema: S,
  raw: unknown,
  run: (input: z.output<S>, principal: Principal) => T | Promise<T>,
): Promise<Outcome<T>>;
export async function runFormAction<S extends z.ZodType, T>(
  role: null,
  schema: S,
  raw: unknown,
  run: (input: z.output<S>, principal: null) => T | Promise<T>,
): Promise<Outcome<T>>;
export async function runFormAction<S extends z.ZodType, T>(
  role: UserRole | null,
  schema: S,
  raw: unknown,
  run: (input: z.output<S>, principal: never) => T | Promise<T>,
): Promise<Outcome<T>> {
  let principal: Principal | null = null;
  if (role) {
    const auth = await authorizeAction(role);
    if (!auth.ok) return { ok: false, state: { status: "error", message: auth.message } };
    principal = auth.principal;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, state: { status: "invalid", fieldErrors: fieldErrors(parsed.error) } };
  try {
    return { ok: true, value: await run(parsed.data, principal as never) };
  } catch (error) {
    const state = formFailure(error);
    if (state) return { ok: false, state };
    throw error;
  }
}
