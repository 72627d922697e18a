"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ConflictError, InputError, NotFoundError } from "@/db/errors";
import { createDeal, deleteDeal, restoreDeal, restoreDealVersion, updateDeal } from "@/db/mutations";
import { dealInput, fieldErrors } from "@/db/validation";
import type { DealFormState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";

// The form's way into the database: the same zod schema and the same mutations as the JSON API.

const payload = z.object({
  id: z.number().int().positive().optional(),
  version: z.number().int().positive().optional(),
  values: z.unknown(),
});

export async function saveDeal(_previous: DealFormState, raw: unknown): Promise<DealFormState> {
  const result = await runFormAction("editor", payload, raw, ({ id, version, values: raw }, { actor }) => {
    const parsed = dealInput.safeParse(raw);
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
    const values = parsed.data;
    if (id === undefined) return createDeal(values, { actor }).id;
    if (version === undefined)
      throw new InputError({ _form: ["The form lost track of the version; reload the page."] });
    return updateDeal(id, values, version, { actor }).id;
  });
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/deals/${result.value}?saved=1`);
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
