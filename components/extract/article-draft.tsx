"use client";

import { startTransition, useActionState, useState } from "react";
import type { SaveDeal } from "@/components/deals/deal-form";
import { Field } from "@/components/ui/field";
import { articleRequest } from "@/lib/extract/request";
import { formErrors, IDLE, type DraftState } from "@/lib/form-state";
import { DraftReview } from "./draft-review";
import type { AddToDeal } from "./known-deals";

export type DraftArticle = (previous: DraftState, raw: unknown) => Promise<DraftState>;

/** "Add from article": one box for the text, the HTML or the link, then the drafted deal to review. */
export function ArticleDraftFlow({
  draftArticle,
  save,
  addToDeal,
  technologyNames,
  teams,
}: {
  draftArticle: DraftArticle;
  save: SaveDeal;
  addToDeal: AddToDeal;
  technologyNames: string[];
  teams?: { slug: string; name: string }[];
}) {
  const [box, setBox] = useState("");
  const [publishedOn, setPublishedOn] = useState("");
  const [state, dispatch, pending] = useActionState(draftArticle, IDLE);
  const errors = formErrors(state);
  const articleErrors = [
    ...(errors.text ?? []),
    ...(errors.html ?? []),
    ...(errors.url ?? []),
    ...(errors._form ?? []),
  ];
  return (
    <>
      <form
        className="card form-section"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          startTransition(() => dispatch(articleRequest(box, publishedOn)));
        }}
      >
        <Field
          id="article-box"
          label="Article"
          hint="Paste the news item's text, its page's HTML, or its web address."
          errors={articleErrors}
        >
          {(control) => (
            <textarea {...control} rows={10} value={box} onChange={(e) => setBox(e.target.value)} />
          )}
        </Field>
        <div className="form-grid">
          <Field
            id="article-published-on"
            label="Published on"
            hint="Optional: lets “on Tuesday” become a date."
            errors={errors.publishedOn}
          >
            {(control) => (
              <input
                type="date"
                {...control}
                value={publishedOn}
                onChange={(e) => setPublishedOn(e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form-footer">
          <button type="submit" className="button primary" disabled={pending}>
            {pending ? "Drafting…" : "Draft deal"}
          </button>
        </div>
      </form>
      {state.status === "drafted" && (
        <DraftReview
          key={JSON.stringify(state.draft.draft)}
          result={state.draft}
          technologyNames={technologyNames}
          teams={teams}
          save={save}
          addToDeal={addToDeal}
        />
      )}
    </>
  );
}
