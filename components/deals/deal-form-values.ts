import type { DealRecord } from "@/db/types";
import type { Draft as DealDraft } from "@/lib/extract/types";
import type { Binding, DatePrecision, DealStatus, DealType, PartyRole } from "@/lib/enums";
import { dealFields, type DealInputRaw } from "@/lib/validation";

// What the deal form edits (all strings, as inputs hold them) and how it becomes the API's deal shape.

/**
 * Each repeated row carries a stable `key`, so React keeps a row's state (the company type-ahead,
 * focus) with that row when an earlier one is removed. Keys never reach the server.
 */
type Row = { key: string };
export type PartyValues = Row & { company: string; role: PartyRole };
export type QuoteValues = Row & {
  text: string;
  speaker: string;
  speakerTitle: string;
  speakerCompany: string;
};
export type SourceValues = Row & { url: string; title: string; publisher: string; publishedOn: string };
export type RowList = "parties" | "quotes" | "sources";

let lastKey = 0;
const rowKey = () => `row-${++lastKey}`;

/**
 * The deal input's fields the form edits with controls and conversions of their own. Every other
 * field is text, held and sent as typed: a new text field needs no code here (a number or a choice
 * does, and fails to compile in toDealPayload until it has it).
 */
const NOT_TEXT = [
  "datePrecision",
  "types",
  "binding",
  "status",
  "value",
  "parties",
  "technologies",
  "quotes",
  "sources",
  "expandsDealId",
  "visibility",
] as const;
export type TextField = Exclude<keyof DealInputRaw, (typeof NOT_TEXT)[number]>;
const TEXT_FIELDS = Object.keys(dealFields.shape).filter(
  (key) => !(NOT_TEXT as readonly string[]).includes(key),
) as TextField[];

/** The text fields of a deal, a draft or nothing, as the inputs hold them. */
const textValues = (source: Partial<Record<TextField, string | null>>) =>
  Object.fromEntries(TEXT_FIELDS.map((key) => [key, source[key] ?? ""])) as Record<TextField, string>;

export type DealFormValues = Record<TextField, string> & {
  datePrecision: DatePrecision;
  types: DealType[];
  binding: Binding;
  status: DealStatus;
  amount: string;
  currency: string;
  parties: PartyValues[];
  technologies: string[];
  quotes: QuoteValues[];
  sources: SourceValues[];
  expandsDealId: string;
  /** "everyone", or the slug of the team a confidential deal is visible to. */
  visibility: string;
};

const emptyParty = (): PartyValues => ({ key: rowKey(), company: "", role: "partner" });
const emptyQuote = (): QuoteValues => ({
  key: rowKey(),
  text: "",
  speaker: "",
  speakerTitle: "",
  speakerCompany: "",
});
const emptySource = (): SourceValues => ({
  key: rowKey(),
  url: "",
  title: "",
  publisher: "",
  publishedOn: "",
});
export const EMPTY_ROW = { parties: emptyParty, quotes: emptyQuote, sources: emptySource } as const;

type Nullable<T> = { [K in keyof T]: T[K] | null };
const quoteRow = (q: Nullable<Omit<QuoteValues, "key">>): QuoteValues => ({
  key: rowKey(),
  text: q.text ?? "",
  speaker: q.speaker ?? "",
  speakerTitle: q.speakerTitle ?? "",
  speakerCompany: q.speakerCompany ?? "",
});
const sourceRow = (s: Nullable<Omit<SourceValues, "key">>): SourceValues => ({
  key: rowKey(),
  url: s.url ?? "",
  title: s.title ?? "",
  publisher: s.publisher ?? "",
  publishedOn: s.publishedOn ?? "",
});

export function toFormValues(deal?: DealRecord): DealFormValues {
  if (!deal) {
    return {
      ...textValues({}),
      datePrecision: "day",
      types: [],
      binding: "unknown",
      status: "announced",
      amount: "",
      currency: "",
      parties: [emptyParty(), emptyParty()],
      technologies: [],
      quotes: [],
      sources: [emptySource()],
      expandsDealId: "",
      visibility: "everyone",
    };
  }
  return {
    // statusOn stays empty: the deal has none, only a history of statuses.
    ...textValues(deal),
    datePrecision: deal.datePrecision,
    types: deal.types,
    binding: deal.binding,
    status: deal.status,
    amount: deal.value?.amount ?? "",
    currency: deal.value?.currency ?? "",
    parties: deal.parties.map((p) => ({ key: rowKey(), company: p.company.name, role: p.role })),
    technologies: deal.technologies.map((t) => t.name),
    quotes: deal.quotes.map(quoteRow),
    sources: deal.sources.map(sourceRow),
    expandsDealId: deal.expandsDealId ? String(deal.expandsDealId) : "",
    visibility: deal.visibility === "everyone" ? "everyone" : deal.visibility.team,
  };
}

/** A drafted deal (from an article) as form values: what the extractor could not fill stays empty. */
export function draftToFormValues(draft: DealDraft): DealFormValues {
  const empty = toFormValues();
  return {
    ...empty,
    ...textValues(draft),
    datePrecision: draft.datePrecision ?? "day",
    types: draft.types,
    binding: draft.binding,
    status: draft.status,
    amount: draft.value?.amount ?? "",
    currency: draft.value?.currency ?? "",
    parties: [...draft.parties.map((p) => ({ key: rowKey(), ...p })), ...empty.parties].slice(
      0,
      Math.max(2, draft.parties.length),
    ),
    technologies: draft.technologies,
    quotes: draft.quotes.map(quoteRow),
    sources: draft.sources.length ? draft.sources.map(sourceRow) : empty.sources,
  };
}

/** The form's values as the deal JSON the server validates; rows keep their indexes so errors line up. */
export function toDealPayload(v: DealFormValues) {
  const amount = v.amount.trim().replace(/[,\s]/g, "");
  const currency = v.currency.trim();
  const expands = v.expandsDealId.trim();
  // Typed as the input: a field taken as text here that does not accept text fails to compile.
  const text: Pick<DealInputRaw, TextField> = textValues(v);
  return {
    ...text,
    datePrecision: v.datePrecision,
    types: v.types,
    binding: v.binding,
    status: v.status,
    statusOn: v.statusOn || null,
    value: amount || currency ? { amount, currency } : null,
    parties: v.parties.map(({ key, ...party }) => party),
    technologies: v.technologies,
    quotes: v.quotes.map(({ key, ...quote }) => quote),
    sources: v.sources.map(({ key, ...source }) => source),
    expandsDealId: expands === "" ? null : /^\d+$/.test(expands) ? Number(expands) : expands,
    visibility: v.visibility === "everyone" ? ("everyone" as const) : { team: v.visibility },
  };
}
