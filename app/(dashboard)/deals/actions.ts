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
  restoreDealVersion,
  updateDeal,
} from "@/db/mutations";
import { dealInput, fieldErrors, type FieldErrors } from "@/db/validation";
import { unwritableDatabaseMessage } from "@/db/write-errors";
import { authorizeAction, requireActionRole } from "@/lib/auth/page";

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
  const auth = await authorizeAction("editor");
  if (!auth.ok) return { status: "error", message: auth.message };
  const { actor } = auth.principal;
  const envelope = payload.safeParse(raw);
  if (!envelope.success)
    return { status: "error", message: "The form sent something unexpected; reload the page." };
  const { id, version } = envelope.data;
  const parsed = dealInput.safeParse(envelope.data.values);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrors(parsed.error) };

  let savedId: number;
  try {
    if (id === undefined) savedId = createDeal(parsed.data, { actor }).id;
    else {
      if (version === undefined)
        return { status: "error", message: "The form lost track of the version; reload the page." };
      savedId = updateDeal(id, parsed.data, version, { actor }).id;
    }
  } catch (error) {
    if (error instanceof InputError) return { status: "invalid", fieldErrors: error.fieldErrors };
    if (error instanceof ConflictError) {
      return { status: "conflict", message: error.message, currentVersion: error.currentVersion };
    }
    if (error instanceof NotFoundError)
      return { status: "error", message: "This deal no longer exists (it may have been deleted)." };
    const unwritable = unwritableDatabaseMessage(error);
    if (unwritable) return { status: "error", message: unwritable };
    throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${savedId}?saved=1`);
}

const idForm = z.object({ id: z.coerce.number().int().positive() });

export async function deleteDealAction(formData: FormData) {
  const { actor } = await requireActionRole("editor");
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    deleteDeal(parsed.data.id, { actor });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals?deleted=${parsed.data.id}`);
}

export async function restoreDealAction(formData: FormData) {
  const { actor } = await requireActionRole("editor");
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    restoreDeal(parsed.data.id, { actor });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${parsed.data.id}?restored=1`);
}

const versionForm = z.object({
  dealId: z.coerce.number().int().positive(),
  revisionId: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
});

/** "Restore this version": writes the old content as a new revision; conflicts land on the deal page. */
export async function restoreVersionAction(formData: FormData) {
  const { actor } = await requireActionRole("editor");
  const parsed = versionForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/deals");
  const { dealId, revisionId, version } = parsed.data;
  let outcome = "saved=1";
  try {
    restoreDealVersion(dealId, revisionId, version, { actor });
  } catch (error) {
    if (error instanceof ConflictError) outcome = "conflict=1";
    else if (error instanceof InputError || error instanceof NotFoundError) outcome = "unrestorable=1";
    else throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${dealId}?${outcome}`);
}
