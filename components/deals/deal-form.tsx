"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useMemo, useRef, useState } from "react";
import { dealInput, fieldErrors } from "@/lib/validation";
import {
  BINDING_LABELS,
  BINDINGS,
  DATE_PRECISIONS,
  DEAL_TYPES,
  PRECISION_LABELS,
  STATUS_LABELS,
  STATUSES,
  TYPE_LABELS,
} from "@/lib/enums";
import { DEAL_FIELD_LABELS } from "@/lib/deal-columns";
import { errorsSince, formErrors, IDLE, type DealFormState } from "@/lib/form-state";
import { controlProps, Field, FieldError, FieldNote } from "@/components/ui/field";
import { DealFormStatus } from "./deal-form-status";
import { inputId, PartyRows, QuoteRows, SourceRows, type RowEditor } from "./deal-form-rows";
import {
  EMPTY_ROW,
  toDealPayload,
  type DealFormValues,
  type RowList,
  type TextField,
} from "./deal-form-values";
import { TechnologyAreas } from "./technology-areas";

export type SaveDeal = (previous: DealFormState, raw: unknown) => Promise<DealFormState>;
type SaveAnswer = DealFormState & { sent?: unknown };

/** A select over one of the deal's enumerations. */
function EnumSelect<V extends string>({
  id,
  label,
  options,
  labels,
  value,
  errors,
  onChange,
}: {
  id: string;
  label: string;
  options: readonly V[];
  labels: Record<V, string>;
  value: V;
  errors?: string[];
  onChange: (value: V) => void;
}) {
  return (
    <Field id={id} label={label} errors={errors}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value as V)}>
          {options.map((option) => (
            <option key={option} value={option}>
              {labels[option]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function DealForm({
  dealId,
  version: initialVersion,
  initialValues,
  technologyNames,
  teams = [],
  save,
  extra,
}: {
  dealId?: number;
  version?: number;
  initialValues: DealFormValues;
  technologyNames: string[];
  /**
   * The teams the editor may make the deal confidential to (theirs; every team for an admin). With
   * none, and a deal visible to everyone, the form shows no visibility choice.
   */
  teams?: { slug: string; name: string }[];
  /** The Server Action that validates and saves (the page passes it in). */
  save: SaveDeal;
  /** More for the action beside the deal (the article review's aliases to keep). */
  extra?: Record<string, unknown>;
}) {
  const [values, setValues] = useState(initialValues);
  const [version, setVersion] = useState(initialVersion);
  // Each answer keeps the values it answers, so errors are compared with what was sent for them.
  const [state, formAction, pending] = useActionState<SaveAnswer, { raw: unknown; sent: unknown }>(
    async ({ sent: _, ...previous }, { raw, sent }) => ({ ...(await save(previous, raw)), sent }),
    IDLE,
  );
  const statusRef = useRef<HTMLDivElement>(null);
  // A corrected field loses its error (and its line in the summary) as soon as it is valid.
  const errors = useMemo(() => {
    if (state.status !== "invalid") return {};
    const payload = toDealPayload(values);
    const checked = dealInput.safeParse(payload);
    return errorsSince(
      formErrors(state),
      state.sent,
      payload,
      checked.success ? {} : fieldErrors(checked.error),
    );
  }, [state, values]);

  useEffect(() => {
    if (state.status !== "idle") statusRef.current?.focus();
  }, [state]);

  const set = <K extends keyof DealFormValues>(key: K, value: DealFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const rows: RowEditor = {
    errors,
    update: (list, key, patch) =>
      setValues((v) => ({
        ...v,
        [list]: (v[list] as { key: string }[]).map((row) => (row.key === key ? { ...row, ...patch } : row)),
      })),
    remove: (list, key) =>
      setValues((v) => ({ ...v, [list]: (v[list] as { key: string }[]).filter((row) => row.key !== key) })),
    add: (list: RowList) => setValues((v) => ({ ...v, [list]: [...v[list], EMPTY_ROW[list]()] })),
  };

  function submit(overrideVersion?: number) {
    const v = overrideVersion ?? version;
    if (overrideVersion) setVersion(overrideVersion);
    const payload = toDealPayload(values);
    startTransition(() =>
      formAction({ raw: { ...extra, id: dealId, version: v, values: payload }, sent: payload }),
    );
  }

  const text = (key: TextField, type: string, hint?: string) => (
    <Field id={inputId(key)} label={DEAL_FIELD_LABELS[key]} hint={hint} errors={errors[key]}>
      {(control) => (
        <input type={type} {...control} value={values[key]} onChange={(e) => set(key, e.target.value)} />
      )}
    </Field>
  );

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-describedby="deal-form-status"
    >
      <DealFormStatus
        ref={statusRef}
        state={state}
        errors={errors}
        dealId={dealId}
        onOverride={(currentVersion) => submit(currentVersion)}
      />

      <div className="card form-section">
        {text("title", "text")}
        <div className="form-grid">
          {text("announcedOn", "date", "For a month or year, any day in it will do.")}
          <EnumSelect
            id={inputId("datePrecision")}
            label={DEAL_FIELD_LABELS.datePrecision}
            options={DATE_PRECISIONS}
            labels={PRECISION_LABELS}
            value={values.datePrecision}
            errors={errors.datePrecision}
            onChange={(v) => set("datePrecision", v)}
          />
          <EnumSelect
            id={inputId("binding")}
            label={DEAL_FIELD_LABELS.binding}
            options={BINDINGS}
            labels={BINDING_LABELS}
            value={values.binding}
            errors={errors.binding}
            onChange={(v) => set("binding", v)}
          />
          <EnumSelect
            id={inputId("status")}
            label={DEAL_FIELD_LABELS.status}
            options={STATUSES}
            labels={STATUS_LABELS}
            value={values.status}
            errors={errors.status}
            onChange={(v) => set("status", v)}
          />
          {text("statusOn", "date", "Optional: when a new status took effect.")}
          {(teams.length > 0 || values.visibility !== "everyone") && (
            <Field
              id={inputId("visibility")}
              label={DEAL_FIELD_LABELS.visibility}
              hint="A confidential deal exists only for its team's members and for admins."
              errors={errors.visibility}
            >
              {(control) => (
                <select
                  {...control}
                  value={values.visibility}
                  onChange={(e) => set("visibility", e.target.value)}
                >
                  <option value="everyone">Everyone</option>
                  {teams.map((team) => (
                    <option key={team.slug} value={team.slug}>
                      Confidential: {team.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </div>

        <fieldset className="field" {...controlProps(inputId("types"), { invalid: Boolean(errors.types) })}>
          <legend>{DEAL_FIELD_LABELS.types}</legend>
          <div className="checkbox-grid">
            {DEAL_TYPES.map((t) => (
              <label key={t} className="checkbox">
                <input
                  type="checkbox"
                  checked={values.types.includes(t)}
                  onChange={(e) =>
                    set(
                      "types",
                      e.target.checked ? [...values.types, t] : values.types.filter((x) => x !== t),
                    )
                  }
                />
                {TYPE_LABELS[t]}
              </label>
            ))}
          </div>
          <FieldError id={inputId("types")} messages={errors.types} />
          <FieldNote id={inputId("types")} />
        </fieldset>
      </div>

      <PartyRows parties={values.parties} editor={rows} />

      <TechnologyAreas
        id={inputId("technologies")}
        known={technologyNames}
        chosen={values.technologies}
        onChange={(chosen) => set("technologies", chosen)}
        errors={errors.technologies}
      />

      <div className="card form-section">
        <Field id={inputId("summary")} label={DEAL_FIELD_LABELS.summary} errors={errors.summary}>
          {(control) => (
            <textarea
              {...control}
              rows={4}
              value={values.summary}
              onChange={(e) => set("summary", e.target.value)}
            />
          )}
        </Field>
        <div className="form-grid">
          <Field
            id={inputId("value.amount")}
            label={DEAL_FIELD_LABELS["value.amount"]}
            hint="Disclosed amount, if any."
            errors={[...(errors["value.amount"] ?? []), ...(errors.value ?? [])]}
          >
            {(control) => (
              <input
                type="text"
                inputMode="decimal"
                {...control}
                value={values.amount}
                onChange={(e) => set("amount", e.target.value)}
                placeholder="e.g. 1250000.00"
              />
            )}
          </Field>
          <Field
            id={inputId("value.currency")}
            label={DEAL_FIELD_LABELS["value.currency"]}
            errors={errors["value.currency"]}
          >
            {(control) => (
              <input
                type="text"
                {...control}
                value={values.currency}
                maxLength={3}
                placeholder="USD"
                onChange={(e) => set("currency", e.target.value.toUpperCase())}
              />
            )}
          </Field>
          <Field
            id={inputId("expandsDealId")}
            label={DEAL_FIELD_LABELS.expandsDealId}
            hint="Optional: id of an earlier deal this one expands or replaces."
            errors={errors.expandsDealId}
          >
            {(control) => (
              <input
                type="text"
                inputMode="numeric"
                {...control}
                value={values.expandsDealId}
                onChange={(e) => set("expandsDealId", e.target.value)}
              />
            )}
          </Field>
        </div>
      </div>

      <SourceRows sources={values.sources} editor={rows} />
      <QuoteRows quotes={values.quotes} editor={rows} />

      <div className="form-footer">
        <button type="submit" className="button primary" disabled={pending}>
          {pending ? "Saving…" : "Save deal"}
        </button>
        <Link className="button" href={dealId ? `/deals/${dealId}` : "/deals"}>
          Cancel
        </Link>
        {version !== undefined && <span className="muted small">Editing version {version}</span>}
      </div>
    </form>
  );
}
