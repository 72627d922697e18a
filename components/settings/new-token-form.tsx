"use client";

import { useState } from "react";
import { type CreateTokenState } from "@/lib/form-state";
import { API_SCOPES, USER_ROLE_LABELS, USER_ROLES, type ApiScope, type UserRole } from "@/lib/enums";
import { SCOPE_DESCRIPTIONS, SCOPE_ROLE } from "@/lib/scopes";
import { hasRole } from "@/lib/roles";
import { useFormAction } from "@/components/ui/use-form-action";
import { Field, FieldError, FormAlert, TextField } from "@/components/ui/field";

export function NewTokenForm({
  createToken,
}: {
  createToken: (previous: CreateTokenState, raw: unknown) => Promise<CreateTokenState>;
}) {
  const [values, setValues] = useState({
    name: "",
    role: "viewer" as UserRole,
    scopes: [] as ApiScope[],
    expires: "",
  });
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
              onChange={(e) => {
                const role = e.target.value as UserRole;
                // Scopes beyond the new role would be refused: drop them with the role.
                setValues((v) => ({
                  ...v,
                  role,
                  scopes: v.scopes.filter((s) => hasRole(role, SCOPE_ROLE[s])),
                }));
              }}
            >
              {USER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {USER_ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          id="nt-expires"
          label="Expires after (optional)"
          type="date"
          value={values.expires}
          onChange={(expires) => setValues((v) => ({ ...v, expires }))}
          errors={errors.expires}
          hint="The token works through this day (UTC); empty: it never expires."
        />
      </div>
      <fieldset aria-describedby={`nt-scopes-hint${errors.scopes ? " nt-scopes-error" : ""}`}>
        <legend>Scopes</legend>
        <p id="nt-scopes-hint" className="field-hint">
          None checked: every scope of the role. A call outside the scopes is refused with 403.
        </p>
        {API_SCOPES.filter((scope) => hasRole(values.role, SCOPE_ROLE[scope])).map((scope) => (
          <label key={scope} className="check">
            <input
              type="checkbox"
              checked={values.scopes.includes(scope)}
              onChange={(e) =>
                setValues((v) => ({
                  ...v,
                  scopes: e.target.checked ? [...v.scopes, scope] : v.scopes.filter((x) => x !== scope),
                }))
              }
            />{" "}
            <code>{scope}</code> — {SCOPE_DESCRIPTIONS[scope]}
          </label>
        ))}
        <FieldError id="nt-scopes" messages={errors.scopes} />
      </fieldset>
      <button type="submit" className="button primary" disabled={pending}>
        Create token
      </button>
    </form>
  );
}
