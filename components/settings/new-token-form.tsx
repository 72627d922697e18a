"use client";

import { useState } from "react";
import { type CreateTokenState } from "@/lib/form-state";
import { USER_ROLE_LABELS, USER_ROLES, type UserRole } from "@/lib/enums";
import { useFormAction } from "@/components/ui/use-form-action";
import { Field, FormAlert, TextField } from "@/components/ui/field";

export function NewTokenForm({
  createToken,
}: {
  createToken: (previous: CreateTokenState, raw: unknown) => Promise<CreateTokenState>;
}) {
  const [values, setValues] = useState({ name: "", role: "viewer" as UserRole });
  const { state, errors, pending, onSubmit } = useFormAction(createToken, () => values);
  return (
    <form noValidate onSubmit={onSubmit}>
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
      <FormAlert messages={errors._form} />
      <div className="form-grid">
        <TextField
          id="nt-name"
          label="Token name"
          value={values.name}
          onChange={(name) => setValues((v) => ({ ...v, name }))}
          errors={errors.name}
        />
        <Field id="nt-role" label="Token role" errors={errors.role}>
          {(control) => (
            <select
              {...control}
              value={values.role}
              onChange={(e) => setValues((v) => ({ ...v, role: e.target.value as UserRole }))}
            >
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {USER_ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" className="button primary" disabled={pending}>
        Create token
      </button>
    </form>
  );
}
