"use client";

import { startTransition, useActionState } from "react";
import { formErrors, IDLE, type UndoMergeState } from "@/lib/form-state";

/** "Undo merge" on an activity entry; says why when the merge can no longer be undone. */
export function UndoMergeButton({
  mergeId,
  undone,
  undo,
}: {
  mergeId: number;
  /** Already undone (by this button or by someone else): no button, just the fact. */
  undone: boolean;
  undo: (previous: UndoMergeState, raw: unknown) => Promise<UndoMergeState>;
}) {
  const [state, dispatch, pending] = useActionState<UndoMergeState, unknown>(undo, IDLE);
  const message = Object.values(formErrors(state)).flat().join(" ");
  if (state.status === "undone")
    return (
      <p className="alert success" role="status">
        {state.message}
      </p>
    );
  if (undone) return <p className="small muted diff-note">This merge was undone.</p>;
  return (
    <form
      className="actions diff-note"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ mergeId }));
      }}
    >
      <button type="submit" className="button small" disabled={pending}>
        Undo merge
      </button>
      {message && (
        <span className="field-error" role="alert">
          {message}
        </span>
      )}
    </form>
  );
}
