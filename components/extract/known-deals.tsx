"use client";

import Link from "next/link";
import { startTransition, useActionState, useState } from "react";
import { Field } from "@/components/ui/field";
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
  const drafted = draft.sources[0];
  // Pasted text has no address of its own: the analyst may give one; without it the publisher names it.
  const [url, setUrl] = useState(drafted?.url ?? "");
  if (!duplicates.length) return null;
  const errors = formErrors(state);
  const urlErrors = errors["source.url"];
  const otherErrors = Object.entries(errors)
    .filter(([key]) => key !== "source.url")
    .flatMap(([, messages]) => messages);
  return (
    <section className="card alert warn section-gap" aria-labelledby="known-h">
      <h2 id="known-h">Already known?</h2>
      <p>
        These deals probably record the same announcement. Add the article to one of them rather than a
        duplicate.
      </p>
      {otherErrors.length > 0 && (
        <div className="alert error" role="alert">
          {otherErrors.join(" ")}
        </div>
      )}
      {!drafted?.url && (
        <Field id="known-source-url" label="Article's web address, if it has one" errors={urlErrors}>
          {(control) => (
            <input
              type="url"
              {...control}
              value={url}
              placeholder="https://"
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
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
                disabled={pending}
                onClick={() =>
                  startTransition(() =>
                    dispatch({
                      dealId: Number(d.id),
                      source: { ...drafted, url: url.trim() || null },
                      quotes: draft.quotes,
                    }),
                  )
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
