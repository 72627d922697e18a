"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { saveDeal, type DealFormState } from "@/app/(dashboard)/deals/actions";
import {
  BINDING_LABELS,
  BINDINGS,
  DATE_PRECISIONS,
  DEAL_TYPES,
  PRECISION_LABELS,
  ROLE_LABELS,
  ROLES,
  STATUS_LABELS,
  STATUSES,
  TYPE_LABELS,
} from "@/lib/enums";
import { CompanyInput } from "./company-input";
import { emptyParty, emptyQuote, emptySource, toDealPayload, type DealFormValues } from "./deal-form-values";

const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  announcedOn: "Announced on",
  datePrecision: "Date precision",
  types: "Deal types",
  binding: "Binding",
  status: "Status",
  statusOn: "Status since",
  summary: "Summary",
  value: "Value",
  "value.amount": "Value",
  "value.currency": "Currency",
  parties: "Parties",
  technologies: "Technology areas",
  quotes: "Quotes",
  sources: "Sources",
  expandsDealId: "Expands deal",
  _form: "Form",
};

function labelFor(path: string): string {
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const [list, index, field] = path.split(".");
  const n = Number(index) + 1;
  const names: Record<string, string> = {
    company: "company",
    role: "role",
    url: "URL",
    title: "title",
    publisher: "publisher",
    publishedOn: "published on",
    text: "Quote",
    speaker: "Speaker",
    speakerTitle: "Speaker title",
    speakerCompany: "Speaker company",
  };
  const row =
    list === "parties" ? "Party" : list === "sources" ? "Source" : list === "quotes" ? "Quote" : list;
  return `${row} ${n}${field ? ` ${names[field] ?? field}` : ""}`;
}

/** The DOM id of the input a server error path belongs to, so the summary can link to it. */
const inputId = (path: string) => `deal-${path.replace(/\./g, "-")}`;

export function DealForm({
  dealId,
  version: initialVersion,
  initialValues,
  technologyNames,
}: {
  dealId?: number;
  version?: number;
  initialValues: DealFormValues;
  technologyNames: string[];
}) {
  const [values, setValues] = useState(initialValues);
  const [version, setVersion] = useState(initialVersion);
  const [areas, setAreas] = useState(() => [...new Set([...technologyNames, ...initialValues.technologies])]);
  const [newArea, setNewArea] = useState("");
  const [state, formAction, pending] = useActionState<DealFormState, unknown>(saveDeal, { status: "idle" });
  const summaryRef = useRef<HTMLDivElement>(null);

  const errors = state.status === "invalid" ? state.fieldErrors : {};
  const errorCount = Object.keys(errors).length;

  useEffect(() => {
    if (state.status !== "idle") summaryRef.current?.focus();
  }, [state]);

  const set = <K extends keyof DealFormValues>(key: K, value: DealFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const setRow = <K extends "parties" | "quotes" | "sources">(
    key: K,
    index: number,
    patch: Partial<DealFormValues[K][number]>,
  ) =>
    setValues((v) => ({
      ...v,
      [key]: (v[key] as DealFormValues[K][number][]).map((row, i) =>
        i === index ? { ...row, ...patch } : row,
      ),
    }));
  const removeRow = (key: "parties" | "quotes" | "sources", index: number) =>
    setValues((v) => ({ ...v, [key]: (v[key] as unknown[]).filter((_, i) => i !== index) }));

  function submit(overrideVersion?: number) {
    const v = overrideVersion ?? version;
    if (overrideVersion) setVersion(overrideVersion);
    startTransition(() => formAction({ id: dealId, version: v, values: toDealPayload(values) }));
  }

  /** Props that tie an input to its error message (aria-describedby) and mark it invalid. */
  const a11y = (path: string, hint?: string) => {
    const has = Boolean(errors[path]);
    const ids = [has ? `${inputId(path)}-error` : null, hint ? `${inputId(path)}-hint` : null].filter(
      Boolean,
    );
    return {
      id: inputId(path),
      "aria-invalid": has || undefined,
      "aria-describedby": ids.length ? ids.join(" ") : undefined,
    };
  };
  const errorText = (path: string) =>
    errors[path] ? (
      <div id={`${inputId(path)}-error`} className="field-error">
        {errors[path]!.join(" ")}
      </div>
    ) : null;

  /** A select over one of the deal's enumerations, with its label and error. */
  const enumSelect = <K extends "datePrecision" | "binding" | "status">(
    key: K,
    label: string,
    options: readonly DealFormValues[K][],
    labels: Record<DealFormValues[K], string>,
  ) => (
    <div className="field">
      <label htmlFor={inputId(key)}>{label}</label>
      <select
        {...a11y(key)}
        value={values[key]}
        onChange={(e) => set(key, e.target.value as DealFormValues[K])}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
      {errorText(key)}
    </div>
  );

  /** A text input in a repeated row (sources, quotes). */
  const rowInput = <K extends "sources" | "quotes">(
    list: K,
    index: number,
    field: keyof DealFormValues[K][number] & string,
    label: string,
    type = "text",
  ) => {
    const path = `${list}.${index}.${field}`;
    const row = values[list][index] as Record<string, string>;
    return (
      <div>
        <label htmlFor={inputId(path)}>{label}</label>
        <input
          type={type}
          {...a11y(path)}
          value={row[field]}
          onChange={(e) =>
            setRow(list, index, { [field]: e.target.value } as Partial<DealFormValues[K][number]>)
          }
        />
        {errorText(path)}
      </div>
    );
  };

  /** Removes row `index` of a repeated group, never below `minimum` rows. */
  const removeButton = (
    list: "parties" | "sources" | "quotes",
    index: number,
    minimum: number,
    noun: string,
  ) => (
    <button
      type="button"
      className="button small row-remove"
      onClick={() => removeRow(list, index)}
      disabled={values[list].length <= minimum}
      aria-label={`Remove ${noun} ${index + 1}`}
    >
      Remove
    </button>
  );

  function addArea() {
    const name = newArea.trim().replace(/\s+/g, " ");
    if (!name) return;
    const existing = areas.find((a) => a.toLowerCase() === name.toLowerCase());
    const chosen = existing ?? name;
    if (!existing) setAreas((list) => [...list, name]);
    if (!values.technologies.includes(chosen)) set("technologies", [...values.technologies, chosen]);
    setNewArea("");
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      aria-describedby="deal-form-status"
    >
      <div id="deal-form-status" ref={summaryRef} tabIndex={-1}>
        {errorCount > 0 && (
          <div className="alert error" role="alert">
            <strong>
              {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention. Nothing was
              saved.
            </strong>
            <ul>
              {Object.entries(errors).map(([path, messages]) => (
                <li key={path}>
                  <a href={`#${inputId(path)}`}>{labelFor(path)}</a>: {messages.join(" ")}
                </li>
              ))}
            </ul>
          </div>
        )}
        {state.status === "conflict" && (
          <div className="alert error" role="alert">
            <p>
              <strong>Not saved: {state.message}</strong>
            </p>
            <p>Your changes are still in the form below.</p>
            <div className="actions">
              <Link className="button" href={`/deals/${dealId}`} target="_blank">
                Open the saved version in a new tab
              </Link>
              <button type="button" className="button danger" onClick={() => submit(state.currentVersion)}>
                Save my version anyway
              </button>
            </div>
          </div>
        )}
        {state.status === "error" && (
          <div className="alert error" role="alert">
            {state.message}
          </div>
        )}
      </div>

      <div className="card form-section">
        <div className="field">
          <label htmlFor={inputId("title")}>Title</label>
          <input
            type="text"
            {...a11y("title")}
            value={values.title}
            onChange={(e) => set("title", e.target.value)}
          />
          {errorText("title")}
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={inputId("announcedOn")}>Announced on</label>
            <input
              type="date"
              {...a11y("announcedOn", "y")}
              value={values.announcedOn}
              onChange={(e) => set("announcedOn", e.target.value)}
            />
            <div id={`${inputId("announcedOn")}-hint`} className="field-hint">
              For a month or year, any day in it will do.
            </div>
            {errorText("announcedOn")}
          </div>
          {enumSelect("datePrecision", "Date precision", DATE_PRECISIONS, PRECISION_LABELS)}
          {enumSelect("binding", "Binding", BINDINGS, BINDING_LABELS)}
          {enumSelect("status", "Status", STATUSES, STATUS_LABELS)}
          <div className="field">
            <label htmlFor={inputId("statusOn")}>Status since</label>
            <input
              type="date"
              {...a11y("statusOn", "y")}
              value={values.statusOn}
              onChange={(e) => set("statusOn", e.target.value)}
            />
            <div id={`${inputId("statusOn")}-hint`} className="field-hint">
              Optional: when a new status took effect.
            </div>
            {errorText("statusOn")}
          </div>
        </div>

        <fieldset className="field" {...a11y("types")} id={inputId("types")}>
          <legend>Deal types</legend>
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
          {errorText("types")}
        </fieldset>
      </div>

      <fieldset className="card form-section" {...a11y("parties")} id={inputId("parties")}>
        <legend>Parties</legend>
        <p className="field-hint">
          Type a name or an alias (“SKT”, “MSFT”); a name that matches no company creates one.
        </p>
        {errorText("parties")}
        {values.parties.map((party, i) => (
          <div key={i} className="repeat-row party-row">
            <div>
              <CompanyInput
                id={inputId(`parties.${i}.company`)}
                label="Company"
                value={party.company}
                onChange={(company) => setRow("parties", i, { company })}
                invalid={Boolean(errors[`parties.${i}.company`])}
                describedBy={
                  errors[`parties.${i}.company`] ? `${inputId(`parties.${i}.company`)}-error` : undefined
                }
              />
              {errorText(`parties.${i}.company`)}
            </div>
            <div>
              <label htmlFor={inputId(`parties.${i}.role`)}>Role</label>
              <select
                {...a11y(`parties.${i}.role`)}
                value={party.role}
                onChange={(e) => setRow("parties", i, { role: e.target.value as (typeof ROLES)[number] })}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
              {errorText(`parties.${i}.role`)}
            </div>
            {removeButton("parties", i, 2, "party")}
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() => set("parties", [...values.parties, emptyParty()])}
        >
          Add party
        </button>
      </fieldset>

      <fieldset className="card form-section" {...a11y("technologies")} id={inputId("technologies")}>
        <legend>Technology areas</legend>
        <div className="checkbox-grid">
          {areas.map((name) => (
            <label key={name} className="checkbox">
              <input
                type="checkbox"
                checked={values.technologies.includes(name)}
                onChange={(e) =>
                  set(
                    "technologies",
                    e.target.checked
                      ? [...values.technologies, name]
                      : values.technologies.filter((x) => x !== name),
                  )
                }
              />
              {name}
            </label>
          ))}
        </div>
        {errorText("technologies")}
        <div className="actions" style={{ marginTop: "0.75rem", alignItems: "flex-end" }}>
          <div style={{ flex: "0 1 280px" }}>
            <label htmlFor="deal-new-area">New technology area</label>
            <input
              id="deal-new-area"
              type="text"
              value={newArea}
              onChange={(e) => setNewArea(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  addArea();
                }
              }}
            />
          </div>
          <button type="button" className="button small" onClick={addArea}>
            Add area
          </button>
        </div>
      </fieldset>

      <div className="card form-section">
        <div className="field">
          <label htmlFor={inputId("summary")}>Summary</label>
          <textarea
            {...a11y("summary")}
            rows={4}
            value={values.summary}
            onChange={(e) => set("summary", e.target.value)}
          />
          {errorText("summary")}
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={inputId("value.amount")}>Value</label>
            <input
              type="text"
              inputMode="decimal"
              {...a11y("value.amount", "y")}
              value={values.amount}
              onChange={(e) => set("amount", e.target.value)}
              placeholder="e.g. 1250000.00"
            />
            <div id={`${inputId("value.amount")}-hint`} className="field-hint">
              Disclosed amount, if any.
            </div>
            {errorText("value.amount")}
            {errorText("value")}
          </div>
          <div className="field">
            <label htmlFor={inputId("value.currency")}>Currency</label>
            <input
              type="text"
              {...a11y("value.currency")}
              value={values.currency}
              maxLength={3}
              placeholder="USD"
              onChange={(e) => set("currency", e.target.value.toUpperCase())}
            />
            {errorText("value.currency")}
          </div>
          <div className="field">
            <label htmlFor={inputId("expandsDealId")}>Expands deal</label>
            <input
              type="text"
              inputMode="numeric"
              {...a11y("expandsDealId", "y")}
              value={values.expandsDealId}
              onChange={(e) => set("expandsDealId", e.target.value)}
            />
            <div id={`${inputId("expandsDealId")}-hint`} className="field-hint">
              Optional: id of an earlier deal this one expands or replaces.
            </div>
            {errorText("expandsDealId")}
          </div>
        </div>
      </div>

      <fieldset className="card form-section" {...a11y("sources")} id={inputId("sources")}>
        <legend>Sources</legend>
        {errorText("sources")}
        {values.sources.map((source, i) => (
          <div key={i} className="repeat-row source-row">
            <div>
              <label htmlFor={inputId(`sources.${i}.url`)}>Source URL</label>
              <input
                type="url"
                {...a11y(`sources.${i}.url`)}
                value={source.url}
                placeholder="https://"
                onChange={(e) => setRow("sources", i, { url: e.target.value })}
              />
              {errorText(`sources.${i}.url`)}
            </div>
            {rowInput("sources", i, "title", "Source title")}
            {rowInput("sources", i, "publisher", "Publisher")}
            {rowInput("sources", i, "publishedOn", "Published on", "date")}
            {removeButton("sources", i, 1, "source")}
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() => set("sources", [...values.sources, emptySource()])}
        >
          Add source
        </button>
      </fieldset>

      <fieldset className="card form-section" {...a11y("quotes")} id={inputId("quotes")}>
        <legend>Quotes</legend>
        {errorText("quotes")}
        {values.quotes.length === 0 && <p className="muted small">No quotes yet.</p>}
        {values.quotes.map((quote, i) => (
          <div key={i} className="repeat-row quote-row">
            <div className="quote-text">
              <label htmlFor={inputId(`quotes.${i}.text`)}>Quote</label>
              <textarea
                rows={3}
                {...a11y(`quotes.${i}.text`)}
                value={quote.text}
                onChange={(e) => setRow("quotes", i, { text: e.target.value })}
              />
              {errorText(`quotes.${i}.text`)}
            </div>
            {rowInput("quotes", i, "speaker", "Speaker")}
            {rowInput("quotes", i, "speakerTitle", "Speaker title")}
            {rowInput("quotes", i, "speakerCompany", "Speaker company")}
            {removeButton("quotes", i, 0, "quote")}
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() => set("quotes", [...values.quotes, emptyQuote()])}
        >
          Add quote
        </button>
      </fieldset>

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
