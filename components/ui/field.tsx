"use client";

import { createContext, useContext, type ReactNode } from "react";

// The label / input / hint / error pattern every form repeats, written once: the input's id, its
// aria-invalid, and aria-describedby pointing at the hint and the error message.

export type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/** Props that tie a control (or a fieldset) to its error message and hint. */
export function controlProps(id: string, options: { invalid?: boolean; hint?: boolean } = {}): ControlProps {
  const described = [options.invalid ? `${id}-error` : null, options.hint ? `${id}-hint` : null].filter(
    Boolean,
  );
  return {
    id,
    "aria-invalid": options.invalid || undefined,
    "aria-describedby": described.length ? described.join(" ") : undefined,
  };
}

export function FieldError({ id, messages }: { id: string; messages?: string[] }) {
  return messages?.length ? (
    <div id={`${id}-error`} className="field-error">
      {messages.join(" ")}
    </div>
  ) : null;
}

/**
 * Notes a page may attach to a form's fields by control id, without the form knowing: the article
 * review shows where each drafted value came from and how sure the extractor is.
 */
const FieldNotes = createContext<(id: string) => ReactNode>(() => null);
export const FieldNotesProvider = FieldNotes.Provider;

/** The note attached to a control, if any. */
export function FieldNote({ id }: { id: string }) {
  const note = useContext(FieldNotes)(id);
  return note ? <div className="field-note">{note}</div> : null;
}

/** A labelled control with its optional hint and error; `children` renders the control itself. */
export function Field({
  id,
  label,
  hint,
  errors,
  className = "field",
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children(controlProps(id, { invalid: Boolean(errors?.length), hint: Boolean(hint) }))}
      {hint && (
        <div id={`${id}-hint`} className="field-hint">
          {hint}
        </div>
      )}
      <FieldError id={id} messages={errors} />
      <FieldNote id={id} />
    </div>
  );
}

/** The common case: a labelled text-like input bound to a string. */
export function TextField({
  id,
  label,
  value,
  onChange,
  errors,
  hint,
  type = "text",
  autoComplete,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  errors?: string[];
  hint?: ReactNode;
  type?: string;
  autoComplete?: string;
}) {
  return (
    <Field id={id} label={label} errors={errors} hint={hint}>
      {(control) => (
        <input
          type={type}
          autoComplete={autoComplete}
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A form's errors that belong to no field ("_form"), announced at once. */
export function FormAlert({ messages }: { messages?: string[] }) {
  return messages?.length ? (
    <div className="alert error" role="alert">
      {messages.join(" ")}
    </div>
  ) : null;
}
