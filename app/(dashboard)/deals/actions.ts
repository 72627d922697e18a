"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  ConflictError,
  createDeal,
  deleteDeal,
  InputError,
  NotFoundError,
  restoreDeal,
  updateDeal,
} from "@/db/mutations";
import { dealInput, fieldErrors, type FieldErrors } from "@/db/validation";

// The form's way into the database: the same zod schema and the same mutations as the JSON API.

export type DealFormState =
  | { status: "idle" }
  | { status: "invalid"; fieldErrors: FieldErrors }
  | { status: "conflict"; message: string; currentVersion: number }
  | { status: "error"; message: string };

const payload = z.object({
  id: z.number().int().positive().optional(),
  version: z.number().int().positive().optional(),
  values: z.unknown(),
});

export async function saveDeal(_previous: DealFormState, raw: unknown): Promise<DealFormState> {
  const envelope = payload.safeParse(raw);
  if (!envelope.success)
    return { status: "error", message: "The form sent something unexpected; reload the page." };
  const { id, version } = envelope.data;
  const parsed = dealInput.safeParse(envelope.data.values);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrors(parsed.error) };

  let savedId: number;
  try {
    if (id === undefined) savedId = createDeal(parsed.data, { actor: "browser" }).id;
    else {
      if (version === undefined)
        return { status: "error", message: "The form lost track of the version; reload the page." };
      savedId = updateDeal(id, parsed.data, version, { actor: "browser" }).id;
    }
  } catch (error) {
    if (error instanceof InputError) return { status: "invalid", fieldErrors: error.fieldErrors };
    if (error instanceof ConflictError) {
      return { status: "conflict", message: error.message, currentVersion: error.currentVersion };
    }
    if (error instanceof NotFoundError)
      return { status: "error", message: "This deal no longer exists (it may have been deleted)." };
    throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${savedId}?saved=1`);
}

const idForm = z.object({ id: z.coerce.number().int().positive() });

export async function deleteDealAction(formData: FormData) {
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    deleteDeal(parsed.data.id, { actor: "browser" });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals?deleted=${parsed.data.id}`);
}

export async function restoreDealAction(formData: FormData) {
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    restoreDeal(parsed.data.id, { actor: "browser" });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${parsed.data.id}?restored=1`);
}
