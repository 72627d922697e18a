"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { mergeCompanies, updateCompany } from "@/db/directory/companies";
import { dismissDuplicate } from "@/db/directory/duplicates";
import { undoMerge } from "@/db/directory/merges";
import { InputError, NotFoundError } from "@/db/core/errors";
import { companyPatch, fieldErrors } from "@/lib/validation";
import type { RecordFormState, UndoMergeState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { requireActionRole } from "@/server/auth/page";

// The company forms' way into the database: the same schemas and functions as the JSON API.

const slug = z.string({ error: "The form lost track of the company; reload the page." }).min(1).max(300);

export async function saveCompany(_previous: RecordFormState, raw: unknown): Promise<RecordFormState> {
  const result = await runFormAction(
    "editor",
    z.object({ slug, values: z.unknown() }),
    raw,
    async ({ slug, values }, { actor }) => {
      const parsed = companyPatch.safeParse(values);
      if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
      return (await updateCompany(slug, parsed.data, actor)).slug;
    },
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/companies/${result.value}?saved=1`);
}

const mergeForm = z.object({
  slug,
  into: z.string().trim().min(1, { error: "Choose the survivor" }).max(200),
});

export async function mergeCompanyAction(_previous: RecordFormState, raw: unknown): Promise<RecordFormState> {
  const result = await runFormAction("editor", mergeForm, raw, ({ slug, into }, { actor, viewer }) =>
    mergeCompanies(slug, into, actor, viewer),
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/companies/${result.value.company.slug}?merged=${result.value.mergeId}`);
}

/** Undo of a company or technology merge, from the activity entry. */
export async function undoMergeAction(_previous: UndoMergeState, raw: unknown): Promise<UndoMergeState> {
  const result = await runFormAction(
    "editor",
    z.object({ mergeId: z.number({ error: "Unknown merge" }).int().positive() }),
    raw,
    ({ mergeId }, { actor }) => undoMerge(mergeId, actor),
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  const where = result.value.kind === "company" ? "companies" : "technologies";
  return { status: "undone", message: `Merge undone: /${where}/${result.value.slug} is back.` };
}

const pairForm = z.object({ a: slug, b: slug });

/** "Not a duplicate": remembered, so the pair is not suggested again. */
export async function dismissDuplicateAction(formData: FormData) {
  await requireActionRole("editor");
  const parsed = pairForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/companies/duplicates");
  try {
    await dismissDuplicate(parsed.data.a, parsed.data.b);
  } catch (error) {
    if (!(error instanceof NotFoundError) && !(error instanceof InputError)) throw error;
  }
  revalidatePath("/companies/duplicates");
  redirect("/companies/duplicates?dismissed=1");
}
