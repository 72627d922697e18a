"use client";

import { startTransition, useActionState, useState } from "react";
import { Field } from "@/components/ui/field";
import { formErrors, IDLE, type RecordFormState } from "@/lib/form-state";
import { RecordFormStatus, type SaveRecord } from "./company-form";

/** Rename a technology area, give it a broader area, and keep the words articles name it by. */
export function TechnologyForm({
  slug,
  version: initialVersion,
  initialValues,
  save,
}: {
  slug: string;
  version: number;
  initialValues: { name: string; parent: string; synonyms: string[] };
  save: SaveRecord;
}) {
  const [values, setValues] = useState({ ...initialValues, synonyms: initialValues.synonyms.join("\n") });
  const [changeSlug, setChangeSlug] = useState(false);
  const [version, setVersion] = useState(initialVersion);
  const [state, dispatch, pending] = useActionState<RecordFormState, unknown>(save, IDLE);
  const errors = state.status === "invalid" ? formErrors(state) : {};
  function submit(overrideVersion?: number) {
    const v = overrideVersion ?? version;
    if (overrideVersion) setVersion(overrideVersion);
    // One word or phrase a line; blank lines are nothing.
    const synonyms = values.synonyms
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    startTransition(() => dispatch({ slug, values: { ...values, synonyms, version: v, changeSlug } }));
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
        <Field
          id="area-synonyms"
          label="Words that name it in articles"
          hint="One word or phrase a line, e.g. “electric vehicle batteries”. Drafts from articles propose the area only where one of these or its name appears."
          errors={Object.entries(errors)
            .filter(([key]) => key === "synonyms" || key.startsWith("synonyms."))
            .flatMap(([, messages]) => messages)}
        >
          {(control) => (
            <textarea
              rows={5}
              {...control}
              value={values.synonyms}
              onChange={(e) => setValues((v) => ({ ...v, synonyms: e.target.value }))}
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
