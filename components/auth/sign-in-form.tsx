"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { safeNextPath } from "@/lib/safe-next-path";
import { FormAlert, TextField } from "@/components/ui/field";

type Errors = Record<string, string[]>;

export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState("");
  const [pending, setPending] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setErrors({});
    setMessage("");
    const response = await fetch("/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }).catch(() => null);
    if (response?.ok) {
      // Checked again here: the prop is ours, but the form must never be the one hop that leaks.
      router.replace(safeNextPath(next));
      router.refresh();
      return;
    }
    const body = response ? await response.json().catch(() => ({})) : {};
    setErrors(body.fieldErrors ?? {});
    setMessage(body.fieldErrors ? "" : (body.error ?? "Could not reach the server. Try again."));
    setPending(false);
  }

  return (
    <form onSubmit={submit} noValidate>
      <FormAlert messages={message ? [message] : undefined} />
      <TextField
        id="signin-email"
        label="Email"
        type="email"
        autoComplete="username"
        value={email}
        onChange={setEmail}
        errors={errors.email}
      />
      <TextField
        id="signin-password"
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        errors={errors.password}
      />
      <button type="submit" className="button primary" disabled={pending}>
        Sign in
      </button>
    </form>
  );
}
