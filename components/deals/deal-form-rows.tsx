"use client";

import { DEAL_FIELD_LABELS } from "@/lib/deal-columns";
import { ROLE_LABELS, ROLES, type PartyRole } from "@/lib/enums";
import type { FieldErrors } from "@/lib/form-state";
import { controlProps, Field, FieldError, FieldNote } from "@/components/ui/field";
import { CompanyInput } from "./company-input";
import type { DealFormValues, PartyValues, QuoteValues, RowList, SourceValues } from "./deal-form-values";

// The deal form's repeated groups: parties, sources and quotes. Rows are keyed by their stable
// `key`; error paths use the row's position, as the server reports them.

/** The DOM id of the input a server error path belongs to, so the error summary can link to it. */
export const inputId = (path: string) => `deal-${path.replace(/\./g, "-")}`;

export type RowEditor = {
  errors: FieldErrors;
  update: <K extends RowList>(list: K, key: string, patch: Partial<DealFormValues[K][number]>) => void;
  remove: (list: RowList, key: string) => void;
  add: (list: RowList) => void;
};

function GroupFieldset({
  list,
  legend,
  editor,
  children,
}: {
  list: RowList;
  legend: string;
  editor: RowEditor;
  children: React.ReactNode;
}) {
  const id = inputId(list);
  return (
    <fieldset className="card form-section" {...controlProps(id, { invalid: Boolean(editor.errors[list]) })}>
      <legend>{legend}</legend>
      <FieldError id={id} messages={editor.errors[list]} />
      <FieldNote id={id} />
      {children}
    </fieldset>
  );
}

/** Removes a row, never below `minimum` rows. */
function RemoveButton({
  list,
  rows,
  index,
  minimum,
  noun,
  editor,
}: {
  list: RowList;
  rows: { key: string }[];
  index: number;
  minimum: number;
  noun: string;
  editor: RowEditor;
}) {
  return (
    <button
      type="button"
      className="button small row-remove"
      onClick={() => editor.remove(list, rows[index]!.key)}
      disabled={rows.length <= minimum}
      aria-label={`Remove ${noun} ${index + 1}`}
    >
      Remove
    </button>
  );
}

function AddButton({ list, label, editor }: { list: RowList; label: string; editor: RowEditor }) {
  return (
    <button type="button" className="button small" onClick={() => editor.add(list)}>
      {label}
    </button>
  );
}

/** A text input of one row's field. */
function RowInput<K extends "sources" | "quotes">({
  list,
  index,
  row,
  field,
  label,
  type = "text",
  editor,
}: {
  list: K;
  index: number;
  row: DealFormValues[K][number];
  field: keyof DealFormValues[K][number] & string;
  label: string;
  type?: string;
  editor: RowEditor;
}) {
  const path = `${list}.${index}.${field}`;
  return (
    <Field id={inputId(path)} label={label} errors={editor.errors[path]} className="">
      {(control) => (
        <input
          type={type}
          {...control}
          value={(row as Record<string, string>)[field]}
          placeholder={type === "url" ? "https://" : undefined}
          onChange={(e) =>
            editor.update(list, row.key, { [field]: e.target.value } as Partial<DealFormValues[K][number]>)
          }
        />
      )}
    </Field>
  );
}

export function PartyRows({ parties, editor }: { parties: PartyValues[]; editor: RowEditor }) {
  return (
    <GroupFieldset list="parties" legend={DEAL_FIELD_LABELS.parties} editor={editor}>
      <p className="field-hint">
        Type a name or an alias (“SKT”, “MSFT”); a name that matches no company creates one.
      </p>
      {parties.map((party, i) => {
        const company = `parties.${i}.company`;
        return (
          <div key={party.key} className="repeat-row party-row">
            <div>
              <CompanyInput
                id={inputId(company)}
                label="Company"
                value={party.company}
                onChange={(value) => editor.update("parties", party.key, { company: value })}
                invalid={Boolean(editor.errors[company])}
                describedBy={editor.errors[company] ? `${inputId(company)}-error` : undefined}
              />
              <FieldError id={inputId(company)} messages={editor.errors[company]} />
              <FieldNote id={inputId(company)} />
            </div>
            <Field
              id={inputId(`parties.${i}.role`)}
              label="Role"
              errors={editor.errors[`parties.${i}.role`]}
              className=""
            >
              {(control) => (
                <select
                  {...control}
                  value={party.role}
                  onChange={(e) => editor.update("parties", party.key, { role: e.target.value as PartyRole })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <RemoveButton list="parties" rows={parties} index={i} minimum={2} noun="party" editor={editor} />
          </div>
        );
      })}
      <AddButton list="parties" label="Add party" editor={editor} />
    </GroupFieldset>
  );
}

const SOURCE_INPUTS = [
  ["url", "Source URL", "url"],
  ["title", "Source title", "text"],
  ["publisher", "Publisher", "text"],
  ["publishedOn", "Published on", "date"],
] as const;
const QUOTE_INPUTS = [
  ["speaker", "Speaker"],
  ["speakerTitle", "Speaker title"],
  ["speakerCompany", "Speaker company"],
] as const;

export function SourceRows({ sources, editor }: { sources: SourceValues[]; editor: RowEditor }) {
  return (
    <GroupFieldset list="sources" legend={DEAL_FIELD_LABELS.sources} editor={editor}>
      {sources.map((source, i) => (
        <div key={source.key} className="repeat-row source-row">
          {SOURCE_INPUTS.map(([field, label, type]) => (
            <RowInput key={field} list="sources" index={i} row={source} {...{ field, label, type, editor }} />
          ))}
          <RemoveButton list="sources" rows={sources} index={i} minimum={1} noun="source" editor={editor} />
        </div>
      ))}
      <AddButton list="sources" label="Add source" editor={editor} />
    </GroupFieldset>
  );
}

export function QuoteRows({ quotes, editor }: { quotes: QuoteValues[]; editor: RowEditor }) {
  return (
    <GroupFieldset list="quotes" legend={DEAL_FIELD_LABELS.quotes} editor={editor}>
      {quotes.length === 0 && <p className="muted small">No quotes yet.</p>}
      {quotes.map((quote, i) => (
        <div key={quote.key} className="repeat-row quote-row">
          <Field
            id={inputId(`quotes.${i}.text`)}
            label="Quote"
            errors={editor.errors[`quotes.${i}.text`]}
            className="quote-text"
          >
            {(control) => (
              <textarea
                rows={3}
                {...control}
                value={quote.text}
                onChange={(e) => editor.update("quotes", quote.key, { text: e.target.value })}
              />
            )}
          </Field>
          {QUOTE_INPUTS.map(([field, label]) => (
            <RowInput key={field} list="quotes" index={i} row={quote} {...{ field, label, editor }} />
          ))}
          <RemoveButton list="quotes" rows={quotes} index={i} minimum={0} noun="quote" editor={editor} />
        </div>
      ))}
      <AddButton list="quotes" label="Add quote" editor={editor} />
    </GroupFieldset>
  );
}
