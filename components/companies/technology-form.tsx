"use client";

import { startTransition, useActionState, useState } from "react";
import { Field } from "@/components/ui/field";
import { formErrors, IDLE, type RecordFormState } from "@/lib/form-state";
import { RecordFormStatus, type SaveRecord } from "./company-form";

/** Rename a technology area and give it a broader area. */
export function TechnologyForm({
  slug,
  version: initialVersion,
  initialValues,
  save,
}: {
  slug: string;
  version: number;
  initialValues: { name: string; parent: string };
  save: SaveRecord;
}) {
  const [values, setValues] = useState(initialValues);
  const [changeSlug, setChangeSlug] = useState(false);
  const [version, setVersion] = useState(initialVersion);
  const [state, dispatch, pending] = useActionState<RecordFormState, unknown>(save, IDLE);
  const errors = state.status === "invalid" ? formErrors(state) : {};
  function submit(overrideVersion?: number) {
    const v = overrideVersion ?? version;
    if (overrideVersion) setVersion(overrideVersion);
    startTransition(() => dispatch({ slug, values: { ...values, version: v, changeSlug } }));
  }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-describedby="record-form-status"
    >
      <RecordFormStatus state={state} what="technology area" onOverride={submit} />
      <div className="card form-section">
        <Field id="area-name" label="Name" errors={errors.name}>
          {(control) => (
            <input
              type="text"
              {...control}
              value={values.name}
              onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
            />
          )}
        </Field>
        {values.name.trim() !== initialValues.name && (
          <label>
            <input type="checkbox" checked={changeSlug} onChange={(e) => setChangeSlug(e.target.checked)} />{" "}
            Change the page address to match the new name (the old address keeps working)
          </label>
        )}
        <Field
          id="area-parent"
          label="Broader area"
          hint="e.g. AI for Large language models; leave empty for none"
          errors={errors.parent}
        >
          {(control) => (
            <input
              type="text"
              {...control}
              value={values.parent}
              onChange={(e) => setValues((v) => ({ ...v, parent: e.target.value }))}
            />
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          Save technology area
        </button>
      </div>
    </form>
  );
}
