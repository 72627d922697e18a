"use client";

import { startTransition, useActionState, useState } from "react";
import { TextField } from "@/components/ui/field";
import { formErrors, IDLE, type RenameViewState } from "@/lib/form-state";

export function RenameViewForm({
  id,
  name,
  renameView,
}: {
  id: number;
  name: string;
  renameView: (previous: RenameViewState, raw: unknown) => Promise<RenameViewState>;
}) {
  const [value, setValue] = useState(name);
  const [state, dispatch, pending] = useActionState<RenameViewState, unknown>(renameView, IDLE);
  const errors = formErrors(state);
  return (
    <form
      className="inline-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ id, name: value }));
      }}
    >
      <TextField
        id={`rename-view-${id}`}
        label={`New name for ${name}`}
        value={value}
        onChange={setValue}
        errors={[...(errors.name ?? []), ...(errors._form ?? [])]}
      />
      <button type="submit" className="button small" disabled={pending}>
        Rename
      </button>
    </form>
  );
}
