"use client";

import { startTransition, useActionState, useEffect, useRef, useState, type ReactNode } from "react";
import { Field, FieldError } from "@/components/ui/field";
import { formErrors, IDLE, type RecordFormState } from "@/lib/form-state";
import { COUNTRIES } from "@/lib/geo/countries";
import { SECTORS } from "@/lib/geo/sectors";

export type SaveRecord = (previous: RecordFormState, raw: unknown) => Promise<RecordFormState>;

export type CompanyFormValues = {
  name: string;
  aliases: string[];
  country: string;
  sector: string;
  lei: string;
  wikidataId: string;
  ticker: string;
  website: string;
  parent: string;
};

/** Sectors under their NAICS parent, so a select can group them (the sector itself first). */
const SECTOR_GROUPS = SECTORS.filter((s) => !s.parent).map((top) => ({
  top,
  children: SECTORS.filter((s) => s.parent === top.code),
}));

/** What the last save said: a version conflict (the input stays, with a way to save over it) or a message. */
export function RecordFormStatus({
  state,
  what,
  onOverride,
}: {
  state: RecordFormState;
  what: string;
  onOverride: (currentVersion: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.status !== "idle") ref.current?.focus();
  }, [state]);
  const errors = formErrors(state);
  return (
    <div ref={ref} tabIndex={-1} id="record-form-status" aria-live="polite">
      {state.status === "conflict" && (
        <div className="alert error" role="alert">
          <p>{state.message}</p>
          <p>Your input is still in the form. Open the {what} in another tab to compare, or save over it.</p>
          <button type="button" className="button" onClick={() => onOverride(state.currentVersion)}>
            Save over version {state.currentVersion}
          </button>
        </div>
      )}
      {state.status === "invalid" && (
        <div className="alert error" role="alert">
          Some fields need attention: nothing was saved.
          {errors._form && <> {errors._form.join(" ")}</>}
        </div>
      )}
      {state.status === "error" && (
        <div className="alert error" role="alert">
          {state.message}
        </div>
      )}
    </div>
  );
}

export function CompanyForm({
  slug,
  version: initialVersion,
  initialValues,
  save,
}: {
  slug: string;
  version: number;
  initialValues: CompanyFormValues;
  /** The Server Action that validates and saves (the page passes it in). */
  save: SaveRecord;
}) {
  const [values, setValues] = useState(initialValues);
  const [keepOldName, setKeepOldName] = useState(true);
  const [changeSlug, setChangeSlug] = useState(false);
  const [version, setVersion] = useState(initialVersion);
  const [state, dispatch, pending] = useActionState<RecordFormState, unknown>(save, IDLE);
  const errors = state.status === "invalid" ? formErrors(state) : {};
  const renamed = values.name.trim() !== initialValues.name;

  const set = <K extends keyof CompanyFormValues>(key: K, value: CompanyFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  function submit(overrideVersion?: number) {
    const v = overrideVersion ?? version;
    if (overrideVersion) setVersion(overrideVersion);
    startTransition(() =>
      dispatch({
        slug,
        values: {
          ...values,
          aliases: values.aliases.filter((a) => a.trim()),
          version: v,
          keepOldName,
          changeSlug,
        },
      }),
    );
  }
  type Single = Exclude<keyof CompanyFormValues, "aliases">;
  // Native selects: a listbox every screen reader and phone knows, typing a name jumps to it.
  const select = (key: Single, label: string, options: ReactNode) => (
    <Field id={`company-${key}`} label={label} errors={errors[key]}>
      {(control) => (
        <select {...control} value={values[key]} onChange={(e) => set(key, e.target.value)}>
          <option value="">Not recorded</option>
          {options}
        </select>
      )}
    </Field>
  );
  const text = (key: Single, label: string, hint?: string) => (
    <Field id={`company-${key}`} label={label} hint={hint} errors={errors[key]}>
      {(control) => (
        <input type="text" {...control} value={values[key]} onChange={(e) => set(key, e.target.value)} />
      )}
    </Field>
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-describedby="record-form-status"
    >
      <RecordFormStatus state={state} what="company" onOverride={submit} />
      <div className="card form-section">
        {text("name", "Name")}
        {renamed && (
          <div className="field">
            <label>
              <input
                type="checkbox"
                checked={keepOldName}
                onChange={(e) => setKeepOldName(e.target.checked)}
              />{" "}
              Keep “{initialValues.name}” as an alias
            </label>
            <label>
              <input type="checkbox" checked={changeSlug} onChange={(e) => setChangeSlug(e.target.checked)} />{" "}
              Change the page address to match the new name (the old address keeps working)
            </label>
          </div>
        )}
        <fieldset className="field" aria-describedby={errors.aliases ? "company-aliases-error" : undefined}>
          <legend>Aliases</legend>
          {values.aliases.map((alias, i) => (
            <div key={i} className="actions">
              <Field id={`company-aliases-${i}`} label={`Alias ${i + 1}`} errors={errors[`aliases.${i}`]}>
                {(control) => (
                  <input
                    type="text"
                    {...control}
                    value={alias}
                    onChange={(e) =>
                      set(
                        "aliases",
                        values.aliases.map((a, j) => (j === i ? e.target.value : a)),
                      )
                    }
                  />
                )}
              </Field>
              <button
                type="button"
                className="button small"
                aria-label={`Remove alias ${i + 1}`}
                onClick={() =>
                  set(
                    "aliases",
                    values.aliases.filter((_, j) => j !== i),
                  )
                }
              >
                Remove
              </button>
            </div>
          ))}
          <FieldError id="company-aliases" messages={errors.aliases} />
          <button
            type="button"
            className="button small"
            onClick={() => set("aliases", [...values.aliases, ""])}
          >
            Add alias
          </button>
        </fieldset>
        <div className="form-grid">
          {select(
            "country",
            "Country",
            COUNTRIES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            )),
          )}
          {select(
            "sector",
            "Sector (NAICS 2017)",
            SECTOR_GROUPS.map(({ top, children }) => (
              <optgroup key={top.code} label={top.name}>
                <option value={top.code}>{top.name} (all)</option>
                {children.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </optgroup>
            )),
          )}
          {text("lei", "LEI", "Legal Entity Identifier, 20 characters")}
          {text("wikidataId", "Wikidata item", "Q and its number, e.g. Q312")}
          {text("ticker", "Stock ticker", "EXCHANGE:SYMBOL, e.g. NASDAQ:AAPL")}
          {text("website", "Website")}
          {text("parent", "Parent company", "Name, alias or slug; leave empty for none")}
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={pending}>
          Save company
        </button>
      </div>
    </form>
  );
}
