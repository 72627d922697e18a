"use client";

import { startTransition, useActionState, useState } from "react";
import { FormAlert, TextField } from "@/components/ui/field";
import { formErrors, IDLE } from "@/lib/form-state";
import type { AddSourceState } from "@/lib/news/source-input";

export function AddSourceForm({
  addSource,
}: {
  addSource: (previous: AddSourceState, raw: unknown) => Promise<AddSourceState>;
}) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [state, dispatch, pending] = useActionState<AddSourceState, unknown>(addSource, IDLE);
  const errors = formErrors(state);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ name, url }));
      }}
    >
      {state.status === "created" && (
        <div className={`alert ${state.failing ? "warn" : "success"}`} role="status">
          {state.message}
        </div>
      )}
      <FormAlert messages={errors._form} />
      <TextField id="source-name" label="Name" value={name} onChange={setName} errors={errors.name} />
      <TextField
        id="source-url"
        label="Feed or web page address"
        type="url"
        value={url}
        onChange={setUrl}
        errors={errors.url}
        hint="An RSS, Atom or JSON feed, or a page that links to one: Atlas finds the feed."
      />
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? "Adding…" : "Add source"}
      </button>
    </form>
  );
}
