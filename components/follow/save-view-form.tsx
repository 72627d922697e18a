"use client";

import Link from "next/link";
import { startTransition, useActionState, useState } from "react";
import { Field, FormAlert, TextField } from "@/components/ui/field";
import { formErrors, IDLE, type SaveViewState } from "@/lib/form-state";

/**
 * **Save view**: saves the page as its address is now (filters change the URL in place, so it is
 * read when the form is sent, not when the page was rendered).
 */
export function SaveViewForm({
  saveView,
}: {
  saveView: (previous: SaveViewState, raw: unknown) => Promise<SaveViewState>;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const [state, dispatch, pending] = useActionState<SaveViewState, unknown>(saveView, IDLE);
  const errors = formErrors(state);
  const pathErrors = Object.entries(errors)
    .filter(([key]) => key !== "name" && key !== "_form")
    .flatMap(([, messages]) => messages);

  if (!open)
    return (
      <div className="save-view">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Save view
        </button>
        {state.status === "saved" && (
          <span role="status" className="small">
            Saved “{state.name}”. <Link href="/views">Views</Link>
          </span>
        )}
      </div>
    );
  return (
    <form
      className="save-view"
      aria-label="Save view"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const path = window.location.pathname + window.location.search;
        startTransition(async () => {
          dispatch({ name, path, shared });
        });
      }}
    >
      <FormAlert messages={[...(errors._form ?? []), ...pathErrors]} />
      <TextField id="save-view-name" label="View name" value={name} onChange={setName} errors={errors.name} />
      <Field id="save-view-shared" label="Share with the team">
        {(control) => (
          <input
            {...control}
            type="checkbox"
            checked={shared}
            onChange={(e) => setShared(e.target.checked)}
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={pending}>
        Save
      </button>
      <button type="button" className="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {state.status === "saved" && (
        <span role="status" className="small">
          Saved “{state.name}”. <Link href="/views">Views</Link>
        </span>
      )}
    </form>
  );
}
