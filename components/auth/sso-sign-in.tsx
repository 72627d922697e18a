"use client";

import { useState } from "react";
import { FormAlert } from "@/components/ui/field";

/**
 * "Sign in with {name}": asks Atlas for the identity provider's address (which binds the sign-in to
 * this browser) and goes there. A plain button, so Enter and Space work and the name is its label.
 */
export function SsoSignIn({ name, next }: { name: string; next: string }) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState("");

  async function start() {
    setPending(true);
    setMessage("");
    const response = await fetch("/api/session/sso", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ next }),
    }).catch(() => null);
    const body = response ? await response.json().catch(() => ({})) : {};
    if (response?.ok && typeof body.url === "string") {
      window.location.assign(body.url);
      return;
    }
    setMessage(body.error ?? "Could not reach the server. Try again.");
    setPending(false);
  }

  return (
    <div className="sso-sign-in">
      <FormAlert messages={message ? [message] : undefined} />
      <button type="button" className="button primary" onClick={start} disabled={pending} aria-busy={pending}>
        Sign in with {name}
      </button>
    </div>
  );
}
