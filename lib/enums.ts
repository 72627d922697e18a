// Enumerations as `as const` arrays, shared by the schema, zod and the UI. They live outside
// db/schema.ts so client components can import them without pulling Drizzle into the browser.
export const DEAL_TYPES = [
  "mou",
  "strategic_partnership",
  "joint_venture",
  "investment",
  "licensing",
  "rd_collaboration",
  "commercial_agreement",
  "acquisition",
  "other",
] as const;
export const BINDINGS = ["binding", "non_binding", "unknown"] as const;
export const STATUSES = ["announced", "active", "expanded", "completed", "terminated"] as const;
export const ROLES = [
  "partner",
  "investor",
  "investee",
  "acquirer",
  "target",
  "licensor",
  "licensee",
  "supplier",
  "customer",
] as const;
export const DATE_PRECISIONS = ["day", "month", "year"] as const;
// "merge" and "unmerge": a company or technology merge (or its undo) changed the deal's parties or areas.
export const REVISION_ACTIONS = ["create", "update", "delete", "restore", "merge", "unmerge"] as const;
export const MERGE_KINDS = ["company", "technology"] as const;
export type MergeKind = (typeof MERGE_KINDS)[number];
export const RECORD_ACTIONS = ["create", "update", "merge", "unmerge"] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];
/** What a user can watch: a company, a technology area, or one of the saved views they can see. */
export const WATCH_KINDS = ["company", "technology", "view"] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];
export const WEBHOOK_EVENTS = [
  "deal.created",
  "deal.updated",
  "deal.deleted",
  "deal.restored",
  "company.merged",
  "import.completed",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** pending: waiting for its (next) attempt; delivered: a 2xx came back; failed: given up after 24 h. */
export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
/** How often a user's e-mail digest comes; "off" sends none. */
export const DIGEST_FREQUENCIES = ["off", "daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];
/**
 * pending: waiting for its (next) attempt; sent: the SMTP server took it; empty: a scheduled digest
 * with nothing changed (nothing is sent); failed: given up.
 */
export const DIGEST_SEND_STATUSES = ["pending", "sent", "empty", "failed"] as const;

export type DealType = (typeof DEAL_TYPES)[number];
export type Binding = (typeof BINDINGS)[number];
export type DealStatus = (typeof STATUSES)[number];
export type PartyRole = (typeof ROLES)[number];
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export type RevisionAction = (typeof REVISION_ACTIONS)[number];

/** What a revision did to a deal, as the inbox and the digest e-mail say it. */
export const REVISION_ACTION_LABELS: Record<RevisionAction, string> = {
  create: "Added",
  update: "Changed",
  delete: "Deleted",
  restore: "Restored",
  merge: "Companies merged",
  unmerge: "Merge undone",
};

export const TYPE_LABELS: Record<DealType, string> = {
  mou: "Memorandum of understanding",
  strategic_partnership: "Strategic partnership",
  joint_venture: "Joint venture",
  investment: "Investment",
  licensing: "Licensing",
  rd_collaboration: "R&D collaboration",
  commercial_agreement: "Commercial agreement",
  acquisition: "Acquisition",
  other: "Other",
};
/** Short forms for table cells and badges. */
export const TYPE_SHORT: Record<DealType, string> = { ...TYPE_LABELS, mou: "MoU", rd_collaboration: "R&D" };
export const BINDING_LABELS: Record<Binding, string> = {
  binding: "Binding",
  non_binding: "Non-binding",
  unknown: "Unknown",
};
export const STATUS_LABELS: Record<DealStatus, string> = {
  announced: "Announced",
  active: "Active",
  expanded: "Expanded",
  completed: "Completed",
  terminated: "Terminated",
};
export const ROLE_LABELS: Record<PartyRole, string> = {
  partner: "Partner",
  investor: "Investor",
  investee: "Investee",
  acquirer: "Acquirer",
  target: "Target",
  licensor: "Licensor",
  licensee: "Licensee",
  supplier: "Supplier",
  customer: "Customer",
};
export const PRECISION_LABELS: Record<DatePrecision, string> = { day: "Day", month: "Month", year: "Year" };

/** Access roles, weakest first: each can do everything the ones before it can. */
export const USER_ROLES = ["viewer", "editor", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const USER_ROLE_LABELS: Record<UserRole, string> = {
  viewer: "Viewer",
  editor: "Editor",
  admin: "Admin",
};

/** News feeds (issue 22): the syndication formats a source can be, detected from its content. */
export const FEED_FORMATS = ["rss", "atom", "json"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];
export const FEED_FORMAT_LABELS: Record<FeedFormat, string> = {
  rss: "RSS 2.0",
  atom: "Atom 1.0",
  json: "JSON Feed 1.1",
};

/** What a feed item was read as: a new deal, a change to a recorded one, talk of one, or nothing. */
export const CANDIDATE_KINDS = ["deal", "status_change", "rumour", "not_deal"] as const;
export type CandidateKind = (typeof CANDIDATE_KINDS)[number];
export const CANDIDATE_KIND_LABELS: Record<CandidateKind, string> = {
  deal: "Deal",
  status_change: "Status change",
  rumour: "Rumour",
  not_deal: "Not a deal",
};
export const CANDIDATE_STATUSES = ["waiting", "accepted", "dismissed"] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export const DISMISS_REASONS = ["not_deal", "out_of_scope", "duplicate"] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];
export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  not_deal: "Not a deal",
  out_of_scope: "Out of scope",
  duplicate: "Duplicate",
};

/** The publisher a source without a link is recorded under when the analyst names none (issue 21). */
export const PASTED_TEXT_PUBLISHER = "Pasted text";
/** What an API token may do (lib/scopes.ts: the role each needs, and a role's own scopes). */
export const API_SCOPES = [
  "deals:read",
  "stats:read",
  "export",
  "deals:write",
  "companies:write",
  "import",
  "admin",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What the security audit log records (db/audit/events.ts). */
export const AUDIT_KINDS = [
  "sign-in",
  "sign-in-failed",
  "sign-out",
  "sso-link",
  "role-changed",
  "team-created",
  "team-changed",
  "team-deleted",
  "user-deactivated",
  "user-reactivated",
  "token-created",
  "token-revoked",
  "share-link-created",
  "export",
  "backup",
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  "sign-in": "Sign-in",
  "sign-in-failed": "Failed sign-in",
  "sign-out": "Sign-out",
  "sso-link": "SSO account linked",
  "role-changed": "Role changed",
  "team-created": "Team created",
  "team-changed": "Team changed",
  "team-deleted": "Team deleted",
  "user-deactivated": "User deactivated",
  "user-reactivated": "User reactivated",
  "token-created": "API token created",
  "token-revoked": "API token revoked",
  "share-link-created": "Share link created",
  export: "Export",
  backup: "Backup",
};
