"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { type OwnerFormState } from "@/lib/form-state";
import { useFormAction } from "@/components/ui/use-form-action";
import { FormAlert, TextField } from "@/components/ui/field";

export function SetupForm({
  createOwner,
}: {
  createOwner: (previous: OwnerFormState, raw: unknown) => Promise<OwnerFormState>;
}) {
  const router = useRouter();
  const [values, setValues] = useState({ name: "", email: "", password: "" });
  const { state, errors, pending, onSubmit } = useFormAction(createOwner, () => values);

  useEffect(() => {
    if (state.status !== "created") return;
    // The account exists: sign in with what was just typed, then go to the app.
    fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: values.email, password: values.password }),
    }).then(() => {
      router.replace("/");
      router.refresh();
    });
  }, [state, values.email, values.password, router]);

  const field = (name: keyof typeof values, label: string, type: string, autoComplete: string) => (
    <TextField
      id={`setup-${name}`}
      label={label}
      type={type}
      autoComplete={autoComplete}
      value={values[name]}
      onChange={(value) => setValues((v) => ({ ...v, [name]: value }))}
      errors={errors[name]}
    />
  );

  return (
    <form noValidate onSubmit={onSubmit}>
      <FormAlert messages={errors._form} />
      {field("name", "Name", "text", "name")}
      {field("email", "Email", "email", "username")}
      {field("password", "Password", "password", "new-password")}
      <button type="submit" className="button primary" disabled={pending || state.status === "created"}>
        Create owner account
      </button>
    </form>
  );
}
