"use client";

import { startTransition, useActionState, useState } from "react";
import { Field, FieldError, FormAlert, TextField } from "@/components/ui/field";
import { WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/enums";
import { formErrors, IDLE, type CreateWebhookState } from "@/lib/form-state";

export function NewWebhookForm({
  createWebhook,
  teams,
}: {
  createWebhook: (previous: CreateWebhookState, raw: unknown) => Promise<CreateWebhookState>;
  /** The teams an endpoint may be registered for, to receive their confidential deals too. */
  teams: { slug: string; name: string }[];
}) {
  const [url, setUrl] = useState("");
  const [team, setTeam] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["deal.created", "deal.updated"]);
  const [state, dispatch, pending] = useActionState<CreateWebhookState, unknown>(createWebhook, IDLE);
  const errors = formErrors(state);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ url, events, team: team || null }));
      }}
    >
      {state.status === "created" && (
        <div className="alert success" role="status">
          <p>
            <strong>Endpoint added.</strong> Copy its signing secret now: it is shown only once.
          </p>
          <label htmlFor="new-webhook-secret">Signing secret</label>
          <input id="new-webhook-secret" type="text" readOnly value={state.secret} />
        </div>
      )}
      <FormAlert messages={errors._form} />
      <TextField id="wh-url" label="Endpoint URL" value={url} onChange={setUrl} errors={errors.url} />
      <Field
        id="wh-team"
        label="Deals it receives"
        hint="A team's endpoint also receives that team's confidential deals."
        errors={errors.team}
      >
        {(control) => (
          <select {...control} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">Public deals only</option>
            {teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                Public deals and {t.name}&apos;s confidential deals
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset aria-describedby={errors.events ? "wh-events-error" : undefined}>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event} className="check">
            <input
              type="checkbox"
              checked={events.includes(event)}
              onChange={(e) =>
                setEvents((list) => (e.target.checked ? [...list, event] : list.filter((x) => x !== event)))
              }
            />{" "}
            {event}
          </label>
        ))}
        <FieldError id="wh-events" messages={errors.events} />
      </fieldset>
      <button type="submit" className="button primary" disabled={pending}>
        Add endpoint
      </button>
    </form>
  );
}
