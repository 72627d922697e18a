"use client";

import { startTransition, useActionState, useState } from "react";
import { FieldError } from "@/components/ui/field";
import { formErrors, IDLE } from "@/lib/form-state";
import type { SourceRowState } from "@/lib/news/source-input";

type Source = { id: number; name: string; active: boolean; intervalMinutes: number };

/** A source's controls: fetch now, pause or resume, its interval, delete (after a confirmation). */
export function SourceControls({
  source,
  act,
}: {
  source: Source;
  act: (previous: SourceRowState, raw: unknown) => Promise<SourceRowState>;
}) {
  const [state, dispatch, pending] = useActionState<SourceRowState, unknown>(act, IDLE);
  const [minutes, setMinutes] = useState(String(source.intervalMinutes));
  const errors = formErrors(state);
  const intervalError = errors["patch.intervalMinutes"] ?? errors["patch"];
  const run = (raw: unknown) => startTransition(() => dispatch(raw));
  const fieldId = `source-${source.id}-interval`;
  return (
    <div className="source-controls">
      <div className="actions">
        <button
          type="button"
          className="button small"
          disabled={pending}
          onClick={() => run({ do: "fetch", id: source.id })}
        >
          Fetch now<span className="visually-hidden"> {source.name}</span>
        </button>
        <button
          type="button"
          className="button small"
          disabled={pending}
          onClick={() => run({ do: "change", id: source.id, patch: { active: !source.active } })}
        >
          {source.active ? "Pause" : "Resume"}
          <span className="visually-hidden"> {source.name}</span>
        </button>
        <button
          type="button"
          className="button small danger"
          disabled={pending}
          onClick={() => {
            if (window.confirm(`Delete the source ${source.name} and the items stored from it?`))
              run({ do: "delete", id: source.id });
          }}
        >
          Delete<span className="visually-hidden"> {source.name}</span>
        </button>
      </div>
      <form
        noValidate
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          run({ do: "change", id: source.id, patch: { intervalMinutes: Number(minutes) } });
        }}
      >
        <label htmlFor={fieldId}>
          Every <span className="visually-hidden">how many minutes for {source.name}</span>
        </label>
        <input
          id={fieldId}
          type="number"
          inputMode="numeric"
          min={5}
          step={1}
          value={minutes}
          onChange={(e) => setMinutes(e.target.value)}
          aria-invalid={intervalError ? true : undefined}
          aria-describedby={intervalError ? `${fieldId}-error` : undefined}
        />{" "}
        min{" "}
        <button type="submit" className="button small" disabled={pending}>
          Save<span className="visually-hidden"> interval of {source.name}</span>
        </button>
        <FieldError id={fieldId} messages={intervalError} />
      </form>
      <p className="small muted" role="status">
        {state.status === "done" ? state.message : (errors._form?.[0] ?? "")}
      </p>
    </div>
  );
}
