"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { keepAliases } from "@/db/deals/extract";
import { acceptCandidate, attachCandidate, dismissCandidates } from "@/db/news/candidates";
import { DISMISS_REASON_LABELS } from "@/lib/enums";
import type { DealFormState, DecideCandidatesState } from "@/lib/form-state";
import { dismissInput } from "@/lib/news/schemas";
import { runFormAction } from "@/server/action";

// The queue's decisions: the same zod schemas and the same writes as /api/candidates.

const acceptPayload = z.object({
  values: z.record(z.string(), z.unknown(), { error: "Send the deal's fields" }),
  aliases: z
    .array(z.object({ alias: z.string().trim().min(1).max(200), company: z.string().trim().min(1).max(200) }))
    .max(20)
    .default([]),
});

/** Saves the deal form of "Accept" (bound to the candidate's id): the deal, linked to the candidate. */
export async function acceptCandidateAction(
  candidateId: number,
  _previous: DealFormState,
  raw: unknown,
): Promise<DealFormState> {
  const id = z.number().int().positive().safeParse(candidateId);
  if (!id.success) return { status: "error", message: "This candidate does not exist" };
  const result = await runFormAction(
    "editor",
    acceptPayload,
    raw,
    async ({ values, aliases }, { actor, viewer }) => {
      const { dealId } = await acceptCandidate(id.data, values, actor, viewer);
      await keepAliases(aliases);
      return dealId;
    },
  );
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  redirect(`/deals/${result.value}?saved=1`);
}

const ids = z.array(z.number().int().positive()).min(1, { error: "Select a candidate" }).max(100);
const decision = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("dismiss"), ids, reason: dismissInput.shape.reason }),
    z.object({ intent: z.literal("attach"), ids: ids.max(1), dealId: z.number().int().positive() }),
    z.object({ intent: z.literal("apply"), ids: ids.max(1) }),
  ],
  { error: "Choose what to do: dismiss, attach or apply" },
);

/** Dismiss (one or several), add to a recorded deal, or apply a status change. */
export async function decideCandidatesAction(
  _previous: DecideCandidatesState,
  raw: unknown,
): Promise<DecideCandidatesState> {
  const result = await runFormAction("editor", decision, raw, async (input, { actor, viewer }) => {
    if (input.intent === "dismiss") {
      const done = await dismissCandidates(input.ids, input.reason, actor);
      const skipped = input.ids.length - done.length;
      return {
        ids: done,
        message: `Dismissed ${done.length} as “${DISMISS_REASON_LABELS[input.reason]}”${skipped ? `; ${skipped} had already been decided` : ""}.`,
      };
    }
    const id = input.ids[0]!;
    if (input.intent === "attach") {
      await attachCandidate(id, input.dealId, actor, viewer);
      return { ids: [id], message: `Added its sources to deal #${input.dealId}.` };
    }
    const { dealId } = await acceptCandidate(id, null, actor, viewer);
    return { ids: [id], message: `Applied the status change to deal #${dealId}.` };
  });
  if (!result.ok) return result.state;
  revalidatePath("/", "layout");
  return { status: "decided", ...result.value };
}
