"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { mergeTechnologies, updateTechnology } from "@/db/directory/technologies";
import { InputError } from "@/db/core/errors";
import { fieldErrors, technologyPatch } from "@/lib/validation";
import type { RecordFormState } from "@/lib/form-state";
import { runFormAction } from "@/server/action";

const slug = z.string({ error: "The form lost track of the area; reload the page." }).min(1).max(300);

export async function saveTechnology(_previous: RecordFormState, raw: unknown): Promise<RecordFormState> {
  const result = await runFormAction(
    "editor",
    z.object({ slug, values: z.unknown() }),
    raw,
    async ({ slug, values }, { actor }) => {
      const parsed = technologyPatch.safeParse(values);
      if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
      return (await updateTechnology(slug, parsed.data, actor)).slug;
    },
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/technologies/${result.value}?saved=1`);
}

const mergeForm = z.object({
  slug,
  into: z.string().trim().min(1, { error: "Choose the survivor" }).max(200),
});

export async function mergeTechnologyAction(
  _previous: RecordFormState,
  raw: unknown,
): Promise<RecordFormState> {
  const result = await runFormAction("editor", mergeForm, raw, ({ slug, into }, { actor }) =>
    mergeTechnologies(slug, into, actor),
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/technologies/${result.value.technology.slug}?merged=${result.value.mergeId}`);
}
