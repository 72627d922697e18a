import type { Binding, DatePrecision, DealStatus, DealType, PartyRole } from "@/lib/enums";

/** One article after HTML reading: plain text with paragraph breaks, plus what the page said about itself. */
export interface ExtractInput {
  text: string;
  title?: string | null;
  url?: string | null;
  publisher?: string | null;
  /** YYYY-MM-DD, from the page's metadata or the analyst. */
  publishedOn?: string | null;
}

export interface GazetteerCompany {
  slug: string;
  name: string;
  aliases: string[];
}
export interface GazetteerTechnology {
  slug: string;
  name: string;
  synonyms?: string[];
}
export interface KnownSpeaker {
  name: string;
  title: string | null;
  company: string | null;
}
/** The database's own lists, used as dictionaries by the extractor and the resolver. */
export interface Gazetteer {
  companies: GazetteerCompany[];
  technologies: GazetteerTechnology[];
  speakers?: KnownSpeaker[];
}

export interface DraftParty {
  company: string;
  role: PartyRole;
}
export interface DraftQuote {
  text: string;
  speaker: string;
  speakerTitle: string | null;
  speakerCompany: string | null;
}
export interface DraftSource {
  url: string | null;
  title: string | null;
  publisher: string | null;
  publishedOn: string | null;
}
/** Exactly the input of POST /api/deals, with null or empty where the article did not say. */
export interface Draft {
  title: string | null;
  announcedOn: string | null;
  datePrecision: DatePrecision | null;
  types: DealType[];
  binding: Binding;
  status: DealStatus;
  summary: string;
  value: { amount: string; currency: string } | null;
  parties: DraftParty[];
  technologies: string[];
  quotes: DraftQuote[];
  sources: DraftSource[];
  expandsDealId: null;
}

export interface EvidenceItem {
  snippet: string;
  /** Character offsets into ExtractInput.text. */
  start: number;
  end: number;
  /** 0..1 */
  confidence: number;
}
/** Keyed by field path: "parties.0.company", "announcedOn", "types", "quotes.1.speaker". */
export type Evidence = Record<string, EvidenceItem>;

export interface CompanyRef {
  slug: string;
  name: string;
}
export interface CompanyResolution {
  name: string;
  match: CompanyRef | null;
  suggestions: (CompanyRef & { score: number })[];
}

export interface ExtractResult {
  draft: Draft;
  evidence: Evidence;
  companies: CompanyResolution[];
  /**
   * Technology areas the article turns on that the directory lacks ("EV batteries"), each with the
   * words that name it: proposed for the editor to add, never put in the draft unasked.
   */
  newAreas: { name: string; evidence: EvidenceItem }[];
  warnings: string[];
}

/** The seam for another implementation (e.g. a model) that the UI and API never need to know about. */
export interface Extractor {
  extract(input: ExtractInput, gazetteer: Gazetteer): ExtractResult;
}
