"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { safeNextPath } from "@/lib/safe-next-path";

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

  const field = (name: "email" | "password") => ({
    id: `signin-${name}`,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `signin-${name}-error` : undefined,
  });

  return (
    <form onSubmit={submit} noValidate>
      {message && (
        <div className="alert error" role="alert">
          {message}
        </div>
      )}
      <div className="field">
        <label htmlFor="signin-email">Email</label>
        <input
          type="email"
          autoComplete="username"
          {...field("email")}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        {errors.email && (
          <div id="signin-email-error" className="field-error">
            {errors.email.join(" ")}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor="signin-password">Password</label>
        <input
          type="password"
          autoComplete="current-password"
          {...field("password")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {errors.password && (
          <div id="signin-password-error" className="field-error">
            {errors.password.join(" ")}
          </div>
        )}
      </div>
      <button type="submit" className="button primary" disabled={pending}>
        Sign in
      </button>
    </form>
  );
}
