"use client";

import { useState } from "react";
import { Field, FormAlert, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { TeamFormState } from "@/lib/form-state";
import { emailList } from "@/lib/team-input";

type TeamAction = (previous: TeamFormState, raw: unknown) => Promise<TeamFormState>;

/**
 * A team's name and members (e-mail addresses, one per line or comma-separated): empty to create a
 * team, filled to change one (`slug` set). The server names a bad member as `members.N`, its place
 * in the list as sent; all of them are shown under the members box, each with the entry it is about.
 */
export function TeamForm({
  action,
  idPrefix,
  slug,
  name = "",
  members = [],
  submitLabel,
}: {
  action: TeamAction;
  idPrefix: string;
  slug?: string;
  name?: string;
  members?: string[];
  submitLabel: string;
}) {
  const [values, setValues] = useState({ name, members: members.join("\n") });
  const [sent, setSent] = useState<string[]>([]);
  const { state, errors, pending, onSubmit } = useFormAction(action, () => {
    const list = emailList(values.members);
    setSent(list);
    return { ...(slug && { slug }), name: values.name, members: list };
  });
  const memberErrors = Object.entries(errors).flatMap(([key, messages]) => {
    const index = /^members\.(\d+)$/.exec(key)?.[1];
    const entry = index === undefined ? undefined : sent[Number(index)];
    if (key !== "members" && entry === undefined) return [];
    return messages.map((m) => (entry === undefined || m.includes(entry) ? m : `${entry}: ${m}`));
  });
  // A created team is listed below the form: clear it for the next one (once per answer).
  const [answered, setAnswered] = useState(state);
  if (answered !== state) {
    setAnswered(state);
    if (state.status === "saved" && state.created) setValues({ name: "", members: "" });
  }
  const done = state.status === "saved";
  return (
    <form noValidate onSubmit={onSubmit}>
      {done && (
        <div className="alert success" role="status">
          {state.created ? `Created the team ${state.name}.` : `Saved ${state.name}.`}
        </div>
      )}
      <FormAlert messages={errors._form} />
      <TextField
        id={`${idPrefix}-name`}
        label="Team name"
        value={values.name}
        onChange={(value) => setValues((v) => ({ ...v, name: value }))}
        errors={errors.name}
      />
      <Field
        id={`${idPrefix}-members`}
        label="Members"
        hint="E-mail addresses of users, one per line or separated by commas."
        errors={memberErrors.length ? memberErrors : undefined}
      >
        {(control) => (
          <textarea
            {...control}
            rows={4}
            value={values.members}
            onChange={(e) => setValues((v) => ({ ...v, members: e.target.value }))}
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
