"use client";

import { startTransition, useActionState } from "react";
import { formErrors, IDLE, type RecordFormState } from "@/lib/form-state";
import type { SaveRecord } from "./company-form";

/** The confirming button of a merge preview; the reason a merge is refused shows above it. */
export function MergeConfirm({
  slug,
  into,
  label,
  disabled,
  merge,
}: {
  slug: string;
  into: string;
  label: string;
  disabled?: boolean;
  merge: SaveRecord;
}) {
  const [state, dispatch, pending] = useActionState<RecordFormState, unknown>(merge, IDLE);
  const errors = formErrors(state);
  const message = Object.values(errors).flat().join(" ");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ slug, into }));
      }}
    >
      {message && (
        <div className="alert error" role="alert">
          {message}
        </div>
      )}
      <button type="submit" className="button primary" disabled={disabled || pending}>
        {label}
      </button>
    </form>
  );
}
