// What the data layer returns, as types only: client components and the API's callers import these,
// never the server-only modules that compute them.
import type { Interval } from "@/lib/buckets";
import type { Binding, DatePrecision, DealStatus, DealType, PartyRole, RevisionAction } from "@/lib/enums";
import type { DealInput, DealPlainField, DealVisibility } from "@/lib/validation";

export type CompanyRef = { id: number; name: string; slug: string };

export type TechnologyRef = { id: number; name: string; slug: string };

/** A deal as the API returns it: its plain fields (lib/validation.ts) as validated, its parts resolved. */
export interface DealRecord extends Pick<DealInput, DealPlainField> {
  id: number;
  version: number;
  types: DealType[];
  value: { amount: string; currency: string } | null;
  parties: { company: CompanyRef; role: PartyRole }[];
  technologies: TechnologyRef[];
  quotes: { text: string; speaker: string; speakerTitle: string | null; speakerCompany: string | null }[];
  sources: {
    url: string | null;
    title: string | null;
    publisher: string | null;
    publishedOn: string | null;
  }[];
  /** "everyone", or the team a confidential deal is visible to (issue 25). */
  visibility: DealVisibility;
  demo: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export type DealPage = { items: DealRecord[]; total: number; page: number; pageSize: number };

export type DealBrief = { id: number; title: string; announcedOn: string; datePrecision: DatePrecision };

export type DealDetail = DealRecord & {
  statusHistory: { status: DealStatus; effectiveOn: string | null; recordedAt: string }[];
  revisions: {
    id: number;
    version: number;
    action: RevisionAction;
    actor: string;
    at: string;
    changedFields: string[];
    before: unknown;
    after: unknown;
  }[];
  expands: DealBrief | null;
  expandedBy: DealBrief[];
  samePartners: DealBrief[];
};

export type CompanySummary = {
  id: number;
  name: string;
  slug: string;
  /** ISO 3166-1 alpha-2, with its English name and UN M49 region (lib/geo/countries.ts). */
  country: string | null;
  countryName: string | null;
  region: string | null;
  /** NAICS 2017 sector or subsector code, with its name (lib/geo/sectors.ts). */
  sector: string | null;
  sectorName: string | null;
  lei: string | null;
  wikidataId: string | null;
  ticker: string | null;
  aliases: string[];
  parent: CompanyRef | null;
  dealCount: number;
};

export type CompanyDetail = CompanySummary & {
  version: number;
  website: string | null;
  subsidiaries: CompanyRef[];
  partners: (CompanyRef & { dealCount: number })[];
};

export type TechnologySummary = TechnologyRef & {
  dealCount: number;
  version: number;
  parentId: number | null;
};

/** One company or technology change, as /activity and the record's page list it. */
export type RecordRevisionView = {
  id: number;
  entity: "company" | "technology";
  entityId: number;
  entityName: string;
  entitySlug: string | null;
  version: number;
  action: "create" | "update" | "merge" | "unmerge";
  actor: string;
  at: string;
  changedFields: string[];
  before: unknown;
  after: unknown;
  merge: { id: number; undone: boolean; sourceName: string; targetName: string } | null;
};

/** What a merge would do (POST …/merge with dryRun), shown before the analyst confirms. */
export type MergePreview = {
  kind: "company" | "technology";
  source: TechnologyRef;
  target: TechnologyRef;
  /** Deals whose party (or area) changes to the survivor. */
  movedDeals: DealBrief[];
  /** Deals where both are present and become one. */
  sharedDeals: DealBrief[];
  /** Deals that would be left with fewer than two distinct parties: they block the merge. */
  blockingDeals: DealBrief[];
  aliases: string[];
  /** Subsidiaries (or narrower areas) that move to the survivor. */
  children: TechnologyRef[];
  nameBecomesAlias: string | null;
  canMerge: boolean;
};

export type DuplicatePair = {
  a: CompanyRef;
  b: CompanyRef;
  score: number;
  reasons: { code: string; label: string }[];
};

export type Summary = {
  deals: number;
  companies: number;
  technologies: number;
  nonBindingMous: number;
  /** Deals whose binding is known (not Unknown): what nonBindingMouShare is a share of. */
  knownBinding: number;
  nonBindingMouShare: number;
  last12Months: number;
  previous12Months: number;
};

export type OverTime = {
  interval: Interval;
  /** Every period from the first to the last; `counts` by primary type, adding up to `total`. */
  buckets: { bucket: string; counts: Partial<Record<DealType, number>>; total: number }[];
};

export type CompanyRank = { id: number; name: string; slug: string; deals: number; partners: number };

export type TechnologyCount = { id: number; name: string; slug: string; deals: number };

export type TechnologiesOverTime = {
  interval: Interval;
  areas: { name: string; slug: string }[];
  buckets: { bucket: string; counts: Record<string, number> }[];
};

export type TypeBreakdown = {
  types: { type: DealType; deals: number }[];
  binding: { binding: Binding; deals: number }[];
};

export type TimelineLane = { key: string; name: string; slug: string; deals: number };

export type TimelineMarker = {
  lane: string;
  id: number;
  title: string;
  announcedOn: string;
  datePrecision: DatePrecision;
  types: DealType[];
  parties: string[];
  quote: { text: string; speaker: string } | null;
};

export type Timeline =
  | { groupBy: "company" | "technology"; mode: "deals"; lanes: TimelineLane[]; markers: TimelineMarker[] }
  | {
      groupBy: "company" | "technology";
      mode: "months";
      lanes: TimelineLane[];
      cells: { lane: string; month: string; deals: number }[];
    };

export type Network = {
  nodes: { id: number; name: string; slug: string; deals: number }[];
  edges: { source: number; target: number; deals: number }[];
};

/** A saved view as its owner and the team see it. */
export type SavedView = {
  id: number;
  name: string;
  path: string;
  shared: boolean;
  owner: { name: string };
  /** Whether the caller owns it. */
  mine: boolean;
  /** Whether the caller watches it. */
  watched: boolean;
  createdAt: string;
  updatedAt: string;
};

/** One change in the inbox: a revision of a deal that matches a watch. */
export type InboxItem = {
  revisionId: number;
  dealId: number;
  dealTitle: string;
  action: string;
  changedFields: string[];
  actor: string;
  at: string;
};

export type InboxGroup = {
  watch: { id: number; kind: "company" | "technology" | "view"; label: string; href: string };
  items: InboxItem[];
};

export type Inbox = {
  groups: InboxGroup[];
  /** Distinct unread changes over all watches (one change matching two watches counts once). */
  unread: number;
  /** The newest revision id shown: Mark all read marks up to here, never past what was seen. */
  newestRevisionId: number;
};

/** A share link as its view's owner sees it; the token itself is shown once, when made. */
export type ShareLink = {
  id: number;
  viewId: number;
  allowExport: boolean;
  /** ISO time after which the link is a 404, or null for no end. */
  expiresAt: string | null;
  expired: boolean;
  openCount: number;
  lastOpenedAt: string | null;
  createdAt: string;
};

/** A company or technology area on the compare page, with its deals under the page's filters. */
export type CompareItem = { name: string; slug: string; deals: number };

/** One category of a comparison (a period, a type, a country…): its deals for each item, by slug. */
export type CompareRow = { key: string; label: string; counts: Record<string, number> };

/** One panel of the compare page: the items side by side over the same categories. */
export type ComparePanel = { kind: "company" | "technology"; items: CompareItem[]; rows: CompareRow[] };

/** Deals two compared companies made together. */
export type ComparePair = { a: string; b: string; deals: number };

export type Comparison = {
  kind: "company" | "technology";
  interval: Interval;
  items: CompareItem[];
  overTime: CompareRow[];
  types: CompareRow[];
  /** Companies compared: their technology areas. Areas compared: their top companies. */
  mix: CompareRow[];
  countries: CompareRow[];
  sectors: CompareRow[];
  /** Companies compared: each one's top partners. Areas: empty (the mix ranks their companies). */
  partners: CompareRow[];
  /** Partners of two or more compared companies, or companies in two or more compared areas. */
  shared: CompareRow[];
  /** Companies compared: the deals between each pair. */
  between: ComparePair[];
};

/** Deals per party country (issue 23): a deal counts once in each country among its parties. */
export type CountryCounts = {
  items: { country: string; name: string; deals: number }[];
  /** Deals none of whose parties has a known country. */
  unknown: number;
};

/** The top cross-border corridors: deals with parties in both countries, `a` < `b` (ISO codes). */
export type CountryPairs = { items: { a: string; b: string; deals: number }[] };

/** Deals per two-digit NAICS sector of a party, a subsector counted under its sector. */
export type SectorCounts = {
  items: { sector: string; name: string; deals: number }[];
  /** Deals none of whose parties has a known sector. */
  unknown: number;
};

/** Deals per (party sector, technology area) cell of the heat map. */
export type SectorTechnologies = {
  items: { sector: string; name: string; technology: string; slug: string; deals: number }[];
};

/** The partners of the filtered deals by country and sector: distinct companies, each once. */
export type PartnerMix = {
  countries: { country: string; name: string; companies: number }[];
  sectors: { sector: string; name: string; companies: number }[];
  /** Partners with no known country, and with no known sector. */
  unknownCountry: number;
  unknownSector: number;
};
