"use client";

import { startTransition, useActionState, useState } from "react";
import { formErrors, IDLE, type CreateUserState } from "@/lib/form-state";
import { USER_ROLE_LABELS, USER_ROLES, type UserRole } from "@/lib/enums";

export function NewUserForm({
  createUser,
}: {
  createUser: (previous: CreateUserState, raw: unknown) => Promise<CreateUserState>;
}) {
  const empty = { name: "", email: "", password: "", role: "viewer" as UserRole };
  const [values, setValues] = useState(empty);
  const [state, dispatch, pending] = useActionState<CreateUserState, unknown>(createUser, IDLE);
  const errors = formErrors(state);
  const set = (key: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  const a11y = (key: string) => ({
    id: `nu-${key}`,
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": errors[key] ? `nu-${key}-error` : undefined,
  });
  const error = (key: string) =>
    errors[key] ? (
      <div id={`nu-${key}-error`} className="field-error">
        {errors[key].join(" ")}
      </div>
    ) : null;
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
          Created an account for {state.email}. Give them their password by a safe channel.
        </div>
      )}
      {errors._form && (
        <div className="alert error" role="alert">
          {errors._form.join(" ")}
        </div>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="nu-name">Name</label>
          <input type="text" {...a11y("name")} value={values.name} onChange={set("name")} />
          {error("name")}
        </div>
        <div className="field">
          <label htmlFor="nu-email">Email</label>
          <input type="email" {...a11y("email")} value={values.email} onChange={set("email")} />
          {error("email")}
        </div>
        <div className="field">
          <label htmlFor="nu-password">Password</label>
          <input
            type="password"
            autoComplete="new-password"
            {...a11y("password")}
            value={values.password}
            onChange={set("password")}
          />
          {error("password")}
        </div>
        <div className="field">
          <label htmlFor="nu-role">Role</label>
          <select {...a11y("role")} value={values.role} onChange={set("role")}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {USER_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          {error("role")}
        </div>
      </div>
      <button type="submit" className="button primary" disabled={pending}>
        Create user
      </button>
    </form>
  );
}
