"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ConflictError, InputError, NotFoundError } from "@/db/core/errors";
import { createDeal, deleteDeal, restoreDeal, restoreDealVersion, updateDeal } from "@/db/deals/deal-writes";
import { addArticleToDeal, keepAliases } from "@/db/deals/extract";
import { getDeal } from "@/db/deals/deals";
import { dealInput, fieldErrors, sourceInput } from "@/lib/validation";
import type { DealFormState, DraftState, FormState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";
import { draftFromArticle, extractFailure, extractRequest } from "@/server/extract";
import { requireActionRole } from "@/server/auth/page";

// The form's way into the database: the same zod schema and the same mutations as the JSON API.

const payload = z.object({
  id: z.number().int().positive().optional(),
  version: z.number().int().positive().optional(),
  values: z.unknown(),
  /** From the article review: extracted spellings to keep as aliases of the companies chosen. */
  aliases: z
    .array(z.object({ alias: z.string().trim().min(1).max(200), company: z.string().trim().min(1).max(200) }))
    .max(20)
    .default([]),
});

export async function saveDeal(_previous: DealFormState, raw: unknown): Promise<DealFormState> {
  const result = await runFormAction(
    "editor",
    payload,
    raw,
    async ({ id, version, values: raw, aliases }, { actor, viewer }) => {
      const parsed = dealInput.safeParse(raw);
      if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
      const values = parsed.data;
      if (id === undefined) {
        const deal = await createDeal(values, { actor, viewer });
        // Only for companies that are parties of the saved deal, so nothing else changes by surprise.
        const parties = new Set(deal.parties.map((p) => p.company.name));
        await keepAliases(aliases.filter((a) => parties.has(a.company)));
        return deal.id;
      }
      if (version === undefined)
        throw new InputError({ _form: ["The form lost track of the version; reload the page."] });
      return (await updateDeal(id, values, version, { actor, viewer })).id;
    },
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/deals/${result.value}?saved=1`);
}

export async function draftArticleAction(_previous: DraftState, raw: unknown): Promise<DraftState> {
  const result = await runFormAction("editor", extractRequest, raw, async (input, principal) => {
    try {
      return await draftFromArticle(input, `${principal.kind}:${principal.id}`, principal.viewer);
    } catch (error) {
      // The same messages as the API's 400/422/429, under the article box.
      const failure = extractFailure(error);
      if (failure) throw new InputError(failure.fieldErrors);
      throw error;
    }
  });
  return result.ok ? { status: "drafted", draft: result.value } : result.state;
}

const articleSource = z.object({
  dealId: z.number().int().positive(),
  source: sourceInput,
  quotes: z
    .array(
      z.object({
        text: z.string().min(1).max(5000),
        speaker: z.string().min(1).max(200),
        speakerTitle: z.string().max(200).nullish(),
        speakerCompany: z.string().max(200).nullish(),
      }),
    )
    .max(50),
});

/** "Add this article as a source to deal #N": the source and new quotes, as a new version of that deal. */
export async function addArticleToDealAction(_previous: FormState, raw: unknown): Promise<FormState> {
  const result = await runFormAction(
    "editor",
    articleSource,
    raw,
    async ({ dealId, source, quotes }, { actor, viewer }) => {
      const deal = await getDeal(dealId, { viewer });
      if (!deal) throw new InputError({ dealId: [`Deal ${dealId} no longer exists`] });
      return (await addArticleToDeal(dealId, { source, quotes }, deal.version, { actor, viewer })).deal.id;
    },
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/deals/${result.value}?saved=1`);
}

const idForm = z.object({ id: z.coerce.number().int().positive() });

export async function deleteDealAction(formData: FormData) {
  const { actor, viewer } = await requireActionRole("editor");
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    await deleteDeal(parsed.data.id, { actor, viewer });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals?deleted=${parsed.data.id}`);
}

export async function restoreDealAction(formData: FormData) {
  const { actor, viewer } = await requireActionRole("editor");
  const parsed = idForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) redirect("/deals");
  try {
    await restoreDeal(parsed.data.id, { actor, viewer });
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
  const { actor, viewer } = await requireActionRole("editor");
  const parsed = versionForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/deals");
  const { dealId, revisionId, version } = parsed.data;
  let outcome = "saved=1";
  try {
    await restoreDealVersion(dealId, revisionId, version, { actor, viewer });
  } catch (error) {
    if (error instanceof ConflictError) outcome = "conflict=1";
    else if (error instanceof InputError || error instanceof NotFoundError) outcome = "unrestorable=1";
    else throw error;
  }
  revalidatePath("/", "layout");
  redirect(`/deals/${dealId}?${outcome}`);
}
