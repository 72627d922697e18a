"use client";

import Link from "next/link";
import { startTransition, useActionState } from "react";
import type { Draft } from "@/lib/extract/types";
import type { DuplicateCandidate } from "@/lib/extract/duplicates";
import { formErrors, IDLE, type FormState } from "@/lib/form-state";

export type AddToDeal = (previous: FormState, raw: unknown) => Promise<FormState>;

/**
 * "Already known?": deals that probably record the same announcement, each with a way to add this
 * article to it (its source and any new quotes) instead of creating a duplicate.
 */
export function KnownDeals({
  duplicates,
  draft,
  addToDeal,
}: {
  duplicates: DuplicateCandidate[];
  draft: Draft;
  addToDeal: AddToDeal;
}) {
  const [state, dispatch, pending] = useActionState(addToDeal, IDLE);
  if (!duplicates.length) return null;
  const source = draft.sources[0];
  const errors = Object.values(formErrors(state)).flat();
  return (
    <section className="card alert warn section-gap" aria-labelledby="known-h">
      <h2 id="known-h">Already known?</h2>
      <p>
        These deals probably record the same announcement. Add the article to one of them rather than a
        duplicate.
      </p>
      {errors.length > 0 && (
        <div className="alert error" role="alert">
          {errors.join(" ")}
        </div>
      )}
      <ul className="plain-list">
        {duplicates.map((d) => (
          <li key={d.id} className="known-deal">
            <Link href={`/deals/${d.id}`}>
              #{d.id} {d.title}
            </Link>{" "}
            <span className="muted small">
              {d.announcedOn ?? "undated"} · {Math.round(d.score * 100)}% alike · {d.reasons.join(", ")}
            </span>
            <div>
              <button
                type="button"
                className="button small"
                disabled={pending || !source?.url}
                onClick={() =>
                  startTransition(() => dispatch({ dealId: Number(d.id), source, quotes: draft.quotes }))
                }
              >
                Add this article as a source to deal #{d.id}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
