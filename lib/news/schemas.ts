import { z } from "zod";
import { CANDIDATE_KINDS, CANDIDATE_STATUSES, DISMISS_REASONS } from "@/lib/enums";

// The candidates' input boundary: the list's query and the three decisions' bodies.

export const candidateQuery = z.object({
  status: z
    .enum(CANDIDATE_STATUSES, { error: `Choose a status: ${CANDIDATE_STATUSES.join(", ")}` })
    .default("waiting"),
  kind: z.enum(CANDIDATE_KINDS, { error: `Choose a kind: ${CANDIDATE_KINDS.join(", ")}` }).optional(),
  source: z.coerce
    .number({ error: "Give a source's id" })
    .int({ error: "Give a source's id" })
    .positive({ error: "Give a source's id" })
    .optional(),
  page: z.coerce
    .number({ error: "Give a page number" })
    .int()
    .min(1, { error: "Pages start at 1" })
    .default(1),
  pageSize: z.coerce
    .number({ error: "Give a page size" })
    .int()
    .min(1, { error: "Ask for at least one candidate" })
    .max(100, { error: "At most 100 candidates a page" })
    .default(25),
});
export type CandidateQuery = z.output<typeof candidateQuery>;

export const attachInput = z.object({
  dealId: z.number({ error: "Give the id of the deal to add the sources to" }).int().positive(),
});

export const dismissInput = z.object({
  reason: z.enum(DISMISS_REASONS, { error: `Choose a reason: ${DISMISS_REASONS.join(", ")}` }),
});

/** Accept's optional body: deal fields that replace the draft's (validated as a deal afterwards). */
export const acceptInput = z.record(z.string(), z.unknown()).nullish();
