import type { DealRecord } from "@/db/queries";
import type { Binding, DatePrecision, DealStatus, DealType, PartyRole } from "@/lib/enums";

// What the deal form edits (all strings, as inputs hold them) and how it becomes the API's deal shape.

export type PartyValues = { company: string; role: PartyRole };
export type QuoteValues = { text: string; speaker: string; speakerTitle: string; speakerCompany: string };
export type SourceValues = { url: string; title: string; publisher: string; publishedOn: string };

export type DealFormValues = {
  title: string;
  announcedOn: string;
  datePrecision: DatePrecision;
  types: DealType[];
  binding: Binding;
  status: DealStatus;
  statusOn: string;
  summary: string;
  amount: string;
  currency: string;
  parties: PartyValues[];
  technologies: string[];
  quotes: QuoteValues[];
  sources: SourceValues[];
  expandsDealId: string;
};

export const emptyParty = (): PartyValues => ({ company: "", role: "partner" });
export const emptyQuote = (): QuoteValues => ({
  text: "",
  speaker: "",
  speakerTitle: "",
  speakerCompany: "",
});
export const emptySource = (): SourceValues => ({ url: "", title: "", publisher: "", publishedOn: "" });

export function toFormValues(deal?: DealRecord): DealFormValues {
  if (!deal) {
    return {
      title: "",
      announcedOn: "",
      datePrecision: "day",
      types: [],
      binding: "unknown",
      status: "announced",
      statusOn: "",
      summary: "",
      amount: "",
      currency: "",
      parties: [emptyParty(), emptyParty()],
      technologies: [],
      quotes: [],
      sources: [emptySource()],
      expandsDealId: "",
    };
  }
  return {
    title: deal.title,
    announcedOn: deal.announcedOn,
    datePrecision: deal.datePrecision,
    types: deal.types,
    binding: deal.binding,
    status: deal.status,
    statusOn: "",
    summary: deal.summary,
    amount: deal.value?.amount ?? "",
    currency: deal.value?.currency ?? "",
    parties: deal.parties.map((p) => ({ company: p.company.name, role: p.role })),
    technologies: deal.technologies.map((t) => t.name),
    quotes: deal.quotes.map((q) => ({
      text: q.text,
      speaker: q.speaker,
      speakerTitle: q.speakerTitle ?? "",
      speakerCompany: q.speakerCompany ?? "",
    })),
    sources: deal.sources.map((s) => ({
      url: s.url,
      title: s.title ?? "",
      publisher: s.publisher ?? "",
      publishedOn: s.publishedOn ?? "",
    })),
    expandsDealId: deal.expandsDealId ? String(deal.expandsDealId) : "",
  };
}

/** The form's values as the deal JSON the server validates; rows keep their indexes so errors line up. */
export function toDealPayload(v: DealFormValues) {
  const amount = v.amount.trim().replace(/[,\s]/g, "");
  const currency = v.currency.trim();
  const expands = v.expandsDealId.trim();
  return {
    title: v.title,
    announcedOn: v.announcedOn,
    datePrecision: v.datePrecision,
    types: v.types,
    binding: v.binding,
    status: v.status,
    statusOn: v.statusOn || null,
    summary: v.summary,
    value: amount || currency ? { amount, currency } : null,
    parties: v.parties,
    technologies: v.technologies,
    quotes: v.quotes,
    sources: v.sources,
    expandsDealId: expands === "" ? null : /^\d+$/.test(expands) ? Number(expands) : expands,
  };
}
