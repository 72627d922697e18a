"use client";

import { startTransition, useActionState, useState } from "react";
import { formErrors, IDLE, type CreateTokenState } from "@/lib/form-state";
import { USER_ROLE_LABELS, USER_ROLES, type UserRole } from "@/lib/enums";

export function NewTokenForm({
  createToken,
}: {
  createToken: (previous: CreateTokenState, raw: unknown) => Promise<CreateTokenState>;
}) {
  const [values, setValues] = useState({ name: "", role: "viewer" as UserRole });
  const [state, dispatch, pending] = useActionState<CreateTokenState, unknown>(createToken, IDLE);
  const errors = formErrors(state);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch(values));
      }}
    >
      {state.status === "created" && (
        <div className="alert success" role="status">
          <p>
            <strong>Token “{state.name}” created.</strong> Copy it now: it is shown only once and stored only
            as a hash.
          </p>
          <label htmlFor="new-token">New token</label>
          <input
            id="new-token"
            type="text"
            readOnly
            value={state.secret}
            onFocus={(e) => e.target.select()}
          />
        </div>
      )}
      {errors._form && (
        <div className="alert error" role="alert">
          {errors._form.join(" ")}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="nt-name">Token name</label>
          <input
            id="nt-name"
            type="text"
            value={values.name}
            onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? "nt-name-error" : undefined}
          />
          {errors.name && (
            <div id="nt-name-error" className="field-error">
              {errors.name.join(" ")}
            </div>
          )}
        </div>
        <div className="field">
          <label htmlFor="nt-role">Token role</label>
          <select
            id="nt-role"
            value={values.role}
            onChange={(e) => setValues((v) => ({ ...v, role: e.target.value as UserRole }))}
          >
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {USER_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="submit" className="button primary" disabled={pending}>
        Create token
      </button>
    </form>
  );
}
