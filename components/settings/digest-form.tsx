"use client";

import { useState } from "react";
import type { DigestState } from "@/lib/form-state";
import { DIGEST_FREQUENCIES, type DigestFrequency } from "@/lib/enums";
import { WEEKDAYS, type DigestSchedule } from "@/lib/digest-schedule";
import { useFormAction } from "@/components/ui/use-form-action";
import { Field, FormAlert } from "@/components/ui/field";

const FREQUENCY_LABELS: Record<DigestFrequency, string> = { off: "Off", daily: "Daily", weekly: "Weekly" };
const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;

type Action = (previous: DigestState, raw: unknown) => Promise<DigestState>;

/** The digest's schedule, and the test button beside it. */
export function DigestForm({
  save,
  sendTest,
  initial,
  zones,
  canSend,
}: {
  save: Action;
  sendTest: Action;
  initial: DigestSchedule;
  zones: string[];
  canSend: boolean;
}) {
  const [values, setValues] = useState(initial);
  const { state, errors, pending, onSubmit } = useFormAction(save, () => values);
  const test = useFormAction(sendTest, () => ({}));
  const set = <K extends keyof DigestSchedule>(key: K, value: DigestSchedule[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  return (
    <>
      <form noValidate onSubmit={onSubmit}>
        {state.status === "saved" && (
          <p className="alert success" role="status">
            {values.frequency === "off"
              ? "Digests are off."
              : "Saved. Your next digest comes at the hour you chose."}
          </p>
        )}
        <FormAlert messages={errors._form} />
        <div className="form-grid">
          <Field id="dg-frequency" label="How often" errors={errors.frequency}>
            {(control) => (
              <select
                {...control}
                value={values.frequency}
                onChange={(e) => set("frequency", e.target.value as DigestFrequency)}
              >
                {DIGEST_FREQUENCIES.map((f) => (
                  <option key={f} value={f}>
                    {FREQUENCY_LABELS[f]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {values.frequency === "weekly" && (
            <Field id="dg-weekday" label="Day" errors={errors.weekday}>
              {(control) => (
                <select
                  {...control}
                  value={values.weekday}
                  onChange={(e) => set("weekday", Number(e.target.value))}
                >
                  {WEEKDAYS.map((day, i) => (
                    <option key={day} value={i + 1}>
                      {day}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field id="dg-hour" label="Hour" errors={errors.hour}>
            {(control) => (
              <select {...control} value={values.hour} onChange={(e) => set("hour", Number(e.target.value))}>
                {Array.from({ length: 24 }, (_, h) => (
                  <option key={h} value={h}>
                    {hourLabel(h)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="dg-zone" label="Time zone" errors={errors.timeZone}>
            {(control) => (
              <select {...control} value={values.timeZone} onChange={(e) => set("timeZone", e.target.value)}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="button primary" disabled={pending}>
          Save digest settings
        </button>
      </form>
      <form noValidate onSubmit={test.onSubmit}>
        <h2>Test</h2>
        {test.state.status === "queued" && (
          <p className="alert success" role="status">
            A test digest is on its way to your e-mail address; it arrives within a minute.
          </p>
        )}
        <FormAlert messages={test.errors._form} />
        <button type="submit" className="button" disabled={test.pending || !canSend}>
          Send me a test digest
        </button>
      </form>
    </>
  );
}
