"use client";

import Link from "next/link";
import type { Ref } from "react";
import type { DealFormState, FieldErrors } from "@/lib/form-state";
import { inputId } from "./deal-form-rows";

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

const ROW_FIELD_LABELS: Record<string, string> = {
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
const ROW_LABELS: Record<string, string> = { parties: "Party", sources: "Source", quotes: "Quote" };

/** "parties.1.company" → "Party 2 company": how the error summary names a field. */
function labelFor(path: string): string {
  if (FIELD_LABELS[path]) return FIELD_LABELS[path];
  const [list = "", index, field] = path.split(".");
  const row = ROW_LABELS[list] ?? list;
  return `${row} ${Number(index) + 1}${field ? ` ${ROW_FIELD_LABELS[field] ?? field}` : ""}`;
}

/**
 * What the last save said: every field error at once with links to the fields, a version conflict
 * with a way to keep the analyst's input, or a plain message. Focused after each attempt.
 */
export function DealFormStatus({
  ref,
  state,
  errors,
  dealId,
  onOverride,
}: {
  ref: Ref<HTMLDivElement>;
  state: DealFormState;
  errors: FieldErrors;
  dealId?: number;
  onOverride: (currentVersion: number) => void;
}) {
  const errorCount = Object.keys(errors).length;
  return (
    <div id="deal-form-status" ref={ref} tabIndex={-1}>
      {errorCount > 0 && (
        <div className="alert error" role="alert">
          <strong>
            {errorCount === 1 ? "One field needs" : `${errorCount} fields need`} attention. Nothing was saved.
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
            <button type="button" className="button danger" onClick={() => onOverride(state.currentVersion)}>
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
  );
}
