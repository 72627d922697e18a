"use client";

import Link from "next/link";
import type { Ref } from "react";
import type { DealInputRaw } from "@/lib/validation";
import { DEAL_FIELD_LABELS } from "@/lib/deal-columns";
import type { DealFormState, FieldErrors } from "@/lib/form-state";
import { inputId } from "./deal-form-rows";

const FIELD_LABELS: Record<string, string> = { ...DEAL_FIELD_LABELS, _form: "Form" };

type RowField<K extends "parties" | "quotes" | "sources"> = keyof NonNullable<DealInputRaw[K]>[number];
/** Typed by the rows' input paths, so a new row field without a label fails to compile. */
const ROW_FIELD_LABELS: Record<RowField<"parties"> | RowField<"quotes"> | RowField<"sources">, string> = {
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
  return `${row} ${Number(index) + 1}${field ? ` ${ROW_FIELD_LABELS[field as keyof typeof ROW_FIELD_LABELS] ?? field}` : ""}`;
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
