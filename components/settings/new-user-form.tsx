"use client";

import { useState } from "react";
import { type CreateUserState } from "@/lib/form-state";
import { USER_ROLE_LABELS, USER_ROLES, type UserRole } from "@/lib/enums";
import { useFormAction } from "@/components/ui/use-form-action";
import { Field, FormAlert, TextField } from "@/components/ui/field";

export function NewUserForm({
  createUser,
}: {
  createUser: (previous: CreateUserState, raw: unknown) => Promise<CreateUserState>;
}) {
  const empty = { name: "", email: "", password: "", role: "viewer" as UserRole };
  const [values, setValues] = useState(empty);
  const { state, errors, pending, onSubmit } = useFormAction(createUser, () => values);
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  return (
    <form noValidate onSubmit={onSubmit}>
      {state.status === "created" && (
        <div className="alert success" role="status">
          Created an account for {state.email}. Give them their password by a safe channel.
        </div>
      )}
      <FormAlert messages={errors._form} />
      <div className="form-grid">
        <TextField
          id="nu-name"
          label="Name"
          value={values.name}
          onChange={set("name")}
          errors={errors.name}
        />
        <TextField
          id="nu-email"
          label="Email"
          type="email"
          value={values.email}
          onChange={set("email")}
          errors={errors.email}
        />
        <TextField
          id="nu-password"
          label="Password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          errors={errors.password}
        />
        <Field id="nu-role" label="Role" errors={errors.role}>
          {(control) => (
            <select {...control} value={values.role} onChange={(e) => set("role")(e.target.value)}>
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
        Create user
      </button>
    </form>
  );
}
