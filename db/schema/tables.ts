// Every table of Atlas, declared once for both engines with the column kit (db/core/column-kit.ts);
// ./sqlite.ts and ./pg.ts build them for each engine, and drizzle-kit generates each engine's
// migrations from those. Only tables are exported here.
import { sql } from "drizzle-orm";

import { type AnyColumn, col, index, primaryKey, table, uniqueIndex } from "@/db/core/column-kit";
import {
  BINDINGS,
  DATE_PRECISIONS,
  MERGE_KINDS,
  RECORD_ACTIONS,
  DEAL_TYPES,
  REVISION_ACTIONS,
  ROLES,
  STATUSES,
  USER_ROLES,
  WATCH_KINDS,
  WEBHOOK_EVENTS,
  DELIVERY_STATUSES,
  DIGEST_FREQUENCIES,
  DIGEST_SEND_STATUSES,
  FEED_FORMATS,
  CANDIDATE_KINDS,
  CANDIDATE_STATUSES,
  DISMISS_REASONS,
  AUDIT_KINDS,
  type ApiScope,
} from "@/lib/enums";

const { id, integer, bigint, text, sortedText, boolean, date, timestamp, timestampMs, json } = col;

const createdAt = () => timestamp("created_at").notNull().defaultNow();
const updatedAt = () => timestamp("updated_at").notNull().defaultNow();

export const companies = table(
  "companies",
  {
    id: id(),
    name: sortedText("name").notNull(),
    // Normalised form of the name (case, punctuation and legal suffixes removed): the identity key.
    nameKey: text("name_key").notNull(),
    slug: text("slug").notNull(),
    /** ISO 3166-1 alpha-2 (lib/geo/countries.ts). */
    country: text("country"),
    /** A NAICS 2017 sector or subsector code (lib/geo/sectors.ts). */
    sector: text("sector"),
    website: text("website"),
    /** Legal Entity Identifier (ISO 17442, 20 characters with check digits). */
    lei: text("lei"),
    /** Wikidata item, "Q…". */
    wikidataId: text("wikidata_id"),
    /** Stock ticker with its exchange, "NASDAQ:MSFT". */
    ticker: text("ticker"),
    parentId: integer("parent_id").references((): AnyColumn => companies.id, { onDelete: "set null" }),
    demo: boolean("demo").notNull().default(false),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("companies_name_key_idx").on(t.nameKey),
    uniqueIndex("companies_slug_idx").on(t.slug),
    index("companies_parent_idx").on(t.parentId),
    // The country and sector filters find a country's companies here, then their deals by party.
    index("companies_country_idx").on(t.country),
    index("companies_sector_idx").on(t.sector),
  ],
);

export const companyAliases = table(
  "company_aliases",
  {
    id: id(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    alias: text("alias").notNull(),
    aliasKey: text("alias_key").notNull(),
  },
  // Several spellings may share a key ("Microsoft Corp.", "Microsoft Corporation"); the mutations
  // guarantee a key never points at two different companies.
  (t) => [
    index("company_aliases_key_idx").on(t.aliasKey),
    uniqueIndex("company_aliases_company_alias_idx").on(t.companyId, t.alias),
  ],
);

export const technologies = table(
  "technologies",
  {
    id: id(),
    name: sortedText("name").notNull(),
    nameKey: text("name_key").notNull(),
    slug: text("slug").notNull(),
    /** The broader area this one counts under when rolling up (Large language models → AI). */
    parentId: integer("parent_id").references((): AnyColumn => technologies.id, {
      onDelete: "set null",
    }),
    /** Words that name the area in articles, besides its name: editors keep them (issue 21). */
    synonyms: json("synonyms").$type<string[]>(),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("technologies_name_key_idx").on(t.nameKey),
    uniqueIndex("technologies_slug_idx").on(t.slug),
    index("technologies_parent_idx").on(t.parentId),
  ],
);

/** Slugs a company had before a rename or a merge: old links redirect to the current page. */
export const companySlugs = table(
  "company_slugs",
  {
    slug: text("slug").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
  },
  (t) => [index("company_slugs_company_idx").on(t.companyId)],
);

export const technologySlugs = table(
  "technology_slugs",
  {
    slug: text("slug").primaryKey(),
    technologyId: integer("technology_id")
      .notNull()
      .references(() => technologies.id, { onDelete: "cascade" }),
  },
  (t) => [index("technology_slugs_technology_idx").on(t.technologyId)],
);

/** Pairs an analyst marked "Not a duplicate", smaller id first, so the pair is not suggested again. */
export const companyNonDuplicates = table(
  "company_non_duplicates",
  {
    companyA: integer("company_a")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    companyB: integer("company_b")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.companyA, t.companyB] }),
    index("company_non_duplicates_b_idx").on(t.companyB),
  ],
);

export const deals = table(
  "deals",
  {
    id: id(),
    title: sortedText("title").notNull(),
    announcedOn: date("announced_on").notNull(),
    datePrecision: text("date_precision", { enum: DATE_PRECISIONS }).notNull().default("day"),
    binding: text("binding", { enum: BINDINGS }).notNull().default("unknown"),
    status: text("status", { enum: STATUSES }).notNull().default("announced"),
    summary: text("summary").notNull().default(""),
    valueMinor: bigint("value_minor"),
    currency: text("currency"),
    expandsDealId: integer("expands_deal_id").references((): AnyColumn => deals.id, {
      onDelete: "set null",
    }),
    /**
     * The team a confidential deal is visible to; null is everyone (issue 25). Restrict, not
     * cascade: a team that owns deals, deleted ones included, cannot be deleted (db/accounts/teams.ts).
     */
    teamId: integer("team_id").references((): AnyColumn => teams.id, { onDelete: "restrict" }),
    version: integer("version").notNull().default(1),
    demo: boolean("demo").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at"),
  },
  (t) => [
    // The list's orders, restricted to live rows (the default order is the hottest path). A filtered
    // page walks one of them (db/deals/deals.ts): binding, status and date ride along, so testing them
    // reads no deal row.
    index("deals_live_announced_idx")
      .on(t.announcedOn, t.id, t.binding, t.status)
      .where(sql`deleted_at IS NULL`),
    index("deals_live_updated_idx")
      .on(t.updatedAt, t.id, t.announcedOn, t.binding, t.status)
      .where(sql`deleted_at IS NULL`),
    index("deals_live_title_idx")
      .on(t.title, t.id, t.announcedOn, t.binding, t.status)
      .where(sql`deleted_at IS NULL`),
    // Deleted deals are few: aggregates exclude them with NOT IN over this small index.
    index("deals_deleted_idx")
      .on(t.id)
      .where(sql`deleted_at IS NOT NULL`),
    index("deals_status_idx").on(t.status),
    index("deals_binding_idx").on(t.binding),
    index("deals_expands_idx").on(t.expandsDealId),
    // Confidential deals are few, as deleted ones: every reader that leaves out the ones it may not
    // see looks their ids up here. Ordered by id, so a total's UNION with the deleted ones merges
    // without walking the deal rows; a plan needs no statistics to prefer it (test/list-plans.test.ts).
    index("deals_team_idx")
      .on(t.id, t.teamId)
      .where(sql`team_id IS NOT NULL`),
  ],
);

export const dealTypes = table(
  "deal_types",
  {
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    type: text("type", { enum: DEAL_TYPES }).notNull(),
    /** The order the types were given in (form, API, CSV); the first is the deal's primary type. */
    position: integer("position").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.dealId, t.type] }), index("deal_types_type_idx").on(t.type, t.dealId)],
);

export const dealParties = table(
  "deal_parties",
  {
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "restrict" }),
    role: text("role", { enum: ROLES }).notNull().default("partner"),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.dealId, t.companyId] }),
    index("deal_parties_company_idx").on(t.companyId, t.dealId),
  ],
);

export const dealTechnologies = table(
  "deal_technologies",
  {
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    technologyId: integer("technology_id")
      .notNull()
      .references(() => technologies.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.dealId, t.technologyId] }),
    index("deal_technologies_technology_idx").on(t.technologyId, t.dealId),
  ],
);

/**
 * Each deal's parts pre-joined into the text cells of the CSV report, rewritten with the parts in
 * the same transaction (db/mutations.ts writeDealParts). A 100,000-deal export then reads one row
 * per deal instead of probing five tables; nothing else reads it.
 */
export const dealCells = table(
  "deal_cells",
  {
    dealId: integer("deal_id")
      .primaryKey()
      .references(() => deals.id, { onDelete: "cascade" }),
    types: text("types").notNull(),
    parties: text("parties").notNull(),
    technologies: text("technologies").notNull(),
    firstSourceUrl: text("first_source_url"),
    quoteCount: integer("quote_count").notNull(),
    sourcesJson: text("sources_json").notNull(),
    quotesJson: text("quotes_json").notNull(),
    /**
     * The deal's line of the deals CSV layout, ready to send (db/deals/csv-lines.ts). Whatever changes
     * what it shows clears it (every rewrite of these cells does), and a background pass writes it
     * again; an export formats a deal without one itself.
     */
    csvLine: text("csv_line"),
  },
  // The background pass finds the deals without a line in this index alone.
  (t) => [
    index("deal_cells_missing_line_idx")
      .on(t.dealId)
      .where(sql`csv_line IS NULL`),
  ],
);

export const quotes = table(
  "quotes",
  {
    id: id(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    text: text("text").notNull(),
    speaker: text("speaker").notNull(),
    speakerTitle: text("speaker_title"),
    speakerCompany: text("speaker_company"),
  },
  (t) => [index("quotes_deal_idx").on(t.dealId)],
);

export const sources = table(
  "sources",
  {
    id: id(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** Null for pasted text that has no link: then the publisher names it (issue 21). */
    url: text("url"),
    title: text("title"),
    publisher: text("publisher"),
    publishedOn: date("published_on"),
  },
  (t) => [index("sources_deal_idx").on(t.dealId)],
);

export const statusHistory = table(
  "status_history",
  {
    id: id(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    status: text("status", { enum: STATUSES }).notNull(),
    // Calendar date the status took effect; null when the sources do not say.
    effectiveOn: date("effective_on"),
    recordedAt: timestamp("recorded_at").notNull().defaultNow(),
  },
  (t) => [index("status_history_deal_idx").on(t.dealId)],
);

// ---------------------------------------------------------------------------------------------
// Accounts. The first four tables are the ones better-auth's Drizzle adapter manages (keys are the
// field names it uses); `role` and `deactivatedAt` are ours, declared to it as additional fields.

export const users = table(
  "users",
  {
    id: text("id").primaryKey(),
    name: sortedText("name").notNull(),
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role", { enum: USER_ROLES }).notNull().default("viewer"),
    deactivatedAt: timestamp("deactivated_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

export const sessions = table(
  "sessions",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sessions_token_idx").on(t.token), index("sessions_user_idx").on(t.userId)],
);

export const accounts = table(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = table(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

/**
 * Groups of users an admin keeps (issue 25): a confidential deal will be visible to its team's
 * members and to admins only. `nameKey` (lib/names.ts labelKey) makes names unique whatever their
 * case; `slug` is the team's address in the API and follows renames.
 */
export const teams = table(
  "teams",
  {
    id: id(),
    name: sortedText("name").notNull(),
    nameKey: text("name_key").notNull(),
    slug: text("slug").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("teams_name_key_idx").on(t.nameKey), uniqueIndex("teams_slug_idx").on(t.slug)],
);

/** Who belongs to a team; deleting either side removes the membership. */
export const teamMembers = table(
  "team_members",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** Tokens for scripts: only a SHA-256 of the secret is kept; the secret is shown once. */
export const apiTokens = table(
  "api_tokens",
  {
    id: id(),
    name: text("name").notNull(),
    role: text("role", { enum: USER_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the secret, to tell tokens apart in the list. */
    prefix: text("prefix").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
    /**
     * What the token may do (lib/scopes.ts). Null for tokens made before scopes: they keep their
     * role's scopes. `role` is then the least role holding these scopes.
     */
    scopes: json("scopes").$type<ApiScope[]>(),
    /** After this moment the token is refused with 401; null never expires. */
    expiresAt: timestamp("expires_at"),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_idx").on(t.tokenHash),
    index("api_tokens_created_by_idx").on(t.createdByUserId),
  ],
);

/**
 * The security audit log (db/audit/events.ts): sign-ins, sign-outs, role changes, tokens, share
 * links, exports and backups. Written outside the action's transaction, so a failure to record
 * never fails the action; rows older than AUDIT_RETENTION_DAYS are pruned by the webhook worker.
 * `actor` is the display name (or the email tried, for a failed sign-in); `actor_user_id` links
 * the user while it exists, for the filter by user.
 */
export const auditEvents = table(
  "audit_events",
  {
    id: id(),
    at: timestampMs("at").notNull(),
    actor: text("actor").notNull(),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorTokenId: integer("actor_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    kind: text("kind", { enum: AUDIT_KINDS }).notNull(),
    detail: json("detail").$type<Record<string, unknown>>().notNull(),
    ip: text("ip"),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at),
    index("audit_events_kind_idx").on(t.kind, t.at),
    index("audit_events_actor_user_idx").on(t.actorUserId, t.at),
    index("audit_events_actor_token_idx").on(t.actorTokenId),
  ],
);

/**
 * Who made a recorded change and when: `actor` is the display name (a user's name and email, a
 * token's name, or a channel); the ids link to the user or token while they exist.
 */
const actedBy = () => ({
  actor: text("actor").notNull(),
  actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
  actorTokenId: integer("actor_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
  at: timestamp("at").notNull().defaultNow(),
});

export const revisions = table(
  "revisions",
  {
    id: id(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    action: text("action", { enum: REVISION_ACTIONS }).notNull(),
    ...actedBy(),
    changedFields: json("changed_fields").$type<string[]>().notNull(),
    before: json("before").$type<unknown>(),
    after: json("after").$type<unknown>(),
  },
  (t) => [
    index("revisions_deal_idx").on(t.dealId, t.id),
    index("revisions_at_idx").on(t.at),
    index("revisions_actor_user_idx").on(t.actorUserId),
    index("revisions_actor_token_idx").on(t.actorTokenId),
  ],
);

/**
 * Answers to writes sent with an `Idempotency-Key` header, kept 24 h so a retried request gets the
 * first answer instead of writing twice. Written in the same transaction as the write it protects.
 * `principal` is "user:<id>" or "token:<id>" (no foreign key: the row outlives neither by long).
 */
export const idempotencyKeys = table(
  "idempotency_keys",
  {
    principal: text("principal").notNull(),
    key: text("key").notNull(),
    // "POST /api/deals" or "POST /api/import": a key is never shared between endpoints.
    endpoint: text("endpoint").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    location: text("location"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.principal, t.key] }),
    index("idempotency_keys_created_idx").on(t.createdAt),
  ],
);

/**
 * Every merge of two companies or two technology areas, with exactly what it moved (`payload`), so
 * it can be undone. The merged record is deleted; its id is never reused (AUTOINCREMENT), so undo
 * brings it back under the same id. No foreign keys on the two ids for that reason.
 */
export const merges = table(
  "merges",
  {
    id: id(),
    kind: text("kind", { enum: MERGE_KINDS }).notNull(),
    sourceId: integer("source_id").notNull(),
    sourceName: text("source_name").notNull(),
    targetId: integer("target_id").notNull(),
    targetName: text("target_name").notNull(),
    payload: json("payload").$type<unknown>().notNull(),
    ...actedBy(),
    undoneAt: timestamp("undone_at"),
    undoneBy: text("undone_by"),
  },
  (t) => [
    index("merges_target_idx").on(t.kind, t.targetId),
    index("merges_source_idx").on(t.kind, t.sourceId),
    index("merges_actor_user_idx").on(t.actorUserId),
    index("merges_actor_token_idx").on(t.actorTokenId),
  ],
);

/**
 * The history of companies and technology areas, like `revisions` for deals. `entityId` has no
 * foreign key: a merged record's history must survive its deletion, to be shown again on undo.
 */
export const recordRevisions = table(
  "record_revisions",
  {
    id: id(),
    entity: text("entity", { enum: MERGE_KINDS }).notNull(),
    entityId: integer("entity_id").notNull(),
    version: integer("version").notNull(),
    action: text("action", { enum: RECORD_ACTIONS }).notNull(),
    ...actedBy(),
    changedFields: json("changed_fields").$type<string[]>().notNull(),
    before: json("before").$type<unknown>(),
    after: json("after").$type<unknown>(),
    mergeId: integer("merge_id").references(() => merges.id, { onDelete: "set null" }),
  },
  (t) => [
    index("record_revisions_entity_idx").on(t.entity, t.entityId, t.id),
    index("record_revisions_at_idx").on(t.at),
    index("record_revisions_actor_user_idx").on(t.actorUserId),
    index("record_revisions_actor_token_idx").on(t.actorTokenId),
    index("record_revisions_merge_idx").on(t.mergeId),
  ],
);

// ---------------------------------------------------------------------------------------------
// Following: saved views, watches and each user's inbox watermark and feed key (issue 14).

/** A filtered page saved under a name; `path` is validated against that page's filter schema. */
export const savedViews = table(
  "saved_views",
  {
    id: id(),
    ownerUserId: text("owner_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: sortedText("name").notNull(),
    path: text("path").notNull(),
    shared: boolean("shared").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("saved_views_owner_idx").on(t.ownerUserId), index("saved_views_shared_idx").on(t.shared)],
);

/**
 * A read-only link to a saved view for people without an account (issue 24). Only the SHA-256 of
 * the link's 256-bit token is kept; the URL is shown once. Revoking deletes the row, so a revoked
 * link and one that never existed answer alike (404). Openings are counted for the owner.
 */
export const shareLinks = table(
  "share_links",
  {
    id: id(),
    viewId: integer("view_id")
      .notNull()
      .references(() => savedViews.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    allowExport: boolean("allow_export").notNull().default(false),
    expiresAt: timestamp("expires_at"),
    openCount: integer("open_count").notNull().default(0),
    lastOpenedAt: timestamp("last_opened_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("share_links_token_hash_idx").on(t.tokenHash),
    index("share_links_view_idx").on(t.viewId),
    index("share_links_created_by_idx").on(t.createdByUserId),
  ],
);

/**
 * One thing a user follows. Exactly one of the three targets is set, matching `kind`; deleting the
 * target (a merged company, a deleted view) deletes the watch. `sinceRevisionId` is the newest
 * revision when the watch was made, so the inbox never shows what happened before it.
 */
export const watches = table(
  "watches",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: WATCH_KINDS }).notNull(),
    companyId: integer("company_id").references(() => companies.id, { onDelete: "cascade" }),
    technologyId: integer("technology_id").references(() => technologies.id, { onDelete: "cascade" }),
    viewId: integer("view_id").references(() => savedViews.id, { onDelete: "cascade" }),
    sinceRevisionId: integer("since_revision_id").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("watches_user_idx").on(t.userId),
    uniqueIndex("watches_user_company_idx").on(t.userId, t.companyId),
    uniqueIndex("watches_user_technology_idx").on(t.userId, t.technologyId),
    uniqueIndex("watches_user_view_idx").on(t.userId, t.viewId),
    index("watches_company_idx").on(t.companyId),
    index("watches_technology_idx").on(t.technologyId),
    index("watches_view_idx").on(t.viewId),
  ],
);

/**
 * Per-user follow state. `inboxReadRevisionId` is the inbox watermark: the newest revision id when
 * the user last marked all read (an id, not a time, so two changes in the same second never blur).
 * `feedKey` holds the SHA-256 of the feed key, which is shown once when made (db/follow/inbox.ts).
 */
export const userFollow = table(
  "user_follow",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    inboxReadRevisionId: integer("inbox_read_revision_id").notNull().default(0),
    feedKey: text("feed_key"),
    feedKeyCreatedAt: timestamp("feed_key_created_at"),
  },
  (t) => [uniqueIndex("user_follow_feed_key_idx").on(t.feedKey)],
);

// ---------------------------------------------------------------------------------------------
// Webhooks: endpoints, and an outbox of events written in the same transaction as the change, so a
// change is never lost and a rolled-back one never sent. A worker delivers them (server/webhooks.ts).

export const webhooks = table(
  "webhooks",
  {
    id: id(),
    url: text("url").notNull(),
    events: json("events").$type<string[]>().notNull(),
    /** Kept readable: every delivery is signed with it (HMAC-SHA256). Shown to the admin once. */
    secret: text("secret").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /**
     * The team whose confidential deals the endpoint also receives (issue 25); null: public deals
     * only. Restrict, as for deals: a team an endpoint is registered for cannot be deleted
     * (db/accounts/teams.ts), since setting it null would quietly change what the receiver gets.
     */
    teamId: integer("team_id").references((): AnyColumn => teams.id, { onDelete: "restrict" }),
    createdAt: createdAt(),
    /** Since when deliveries have failed without a success in between; 24 h of it disables the endpoint. */
    failingSince: timestamp("failing_since"),
    disabledAt: timestamp("disabled_at"),
  },
  (t) => [index("webhooks_created_by_idx").on(t.createdByUserId), index("webhooks_team_idx").on(t.teamId)],
);

export const webhookEvents = table(
  "webhook_events",
  {
    id: id(),
    /** The id receivers see, to refuse repeats. */
    publicId: text("public_id").notNull(),
    event: text("event", { enum: WEBHOOK_EVENTS }).notNull(),
    actor: text("actor").notNull(),
    occurredAt: timestamp("occurred_at").notNull(),
    data: json("data").$type<unknown>().notNull(),
  },
  (t) => [uniqueIndex("webhook_events_public_id_idx").on(t.publicId)],
);

export const webhookDeliveries = table(
  "webhook_deliveries",
  {
    id: id(),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestampMs("next_attempt_at").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

// ---------------------------------------------------------------------------------------------
// E-mail digests (issue 24): each user's choice, and a queue of digests to send that a worker
// drains (server/digests.ts), like the webhook outbox.

/**
 * A user's digest: how often, at which hour (0–23) of which weekday (1 = Monday … 7, weekly only)
 * in their IANA time zone. `sentRevisionId` is the digest's own watermark: the newest revision the
 * last digest covered (the inbox's "Mark all read" does not move it). `scheduledPeriod` is the
 * last period queued, so the scheduler writes nothing while the period has not changed.
 */
export const digestSettings = table("digest_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  frequency: text("frequency", { enum: DIGEST_FREQUENCIES }).notNull().default("off"),
  hour: integer("hour").notNull().default(8),
  weekday: integer("weekday").notNull().default(1),
  timeZone: text("time_zone").notNull().default("UTC"),
  sentRevisionId: integer("sent_revision_id").notNull().default(0),
  scheduledPeriod: text("scheduled_period"),
  updatedAt: updatedAt(),
});

/**
 * One digest to send. `period` is "daily:2026-12-07", "weekly:2026-12-07" (the period's first day
 * in the user's zone) or "test:<uuid>"; the unique (user, period) key, written when the digest is
 * queued, is what makes a period's digest go out once however many servers schedule it.
 */
export const digestSends = table(
  "digest_sends",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    test: boolean("test").notNull().default(false),
    status: text("status", { enum: DIGEST_SEND_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestampMs("next_attempt_at").notNull(),
    lastError: text("last_error"),
    /** How many changes the digest listed, once sent. */
    changes: integer("changes"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at"),
  },
  (t) => [
    uniqueIndex("digest_sends_user_period_idx").on(t.userId, t.period),
    index("digest_sends_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
  ],
);

// ---------------------------------------------------------------------------------------------
// News feeds (issue 22): the sources Atlas polls, every item it has seen once, and the candidates
// (drafted deals and the like) that items become for an editor's decision. Nothing here is a deal
// until a person accepts it.

/**
 * A feed Atlas polls. `url` is the feed itself; `pageUrl` the web page it was found on, when the
 * editor gave a page. `etag`/`lastModified` make the next poll conditional; `nextFetchAt` and
 * `failures` carry the back-off across restarts. `lastError` is in words, for the sources page.
 */
export const newsSources = table(
  "news_sources",
  {
    id: id(),
    name: sortedText("name").notNull(),
    url: text("url").notNull(),
    pageUrl: text("page_url"),
    format: text("format", { enum: FEED_FORMATS }),
    active: boolean("active").notNull().default(true),
    intervalMinutes: integer("interval_minutes").notNull().default(30),
    etag: text("etag"),
    lastModified: text("last_modified"),
    lastFetchedAt: timestamp("last_fetched_at"),
    lastSuccessAt: timestamp("last_success_at"),
    nextFetchAt: timestampMs("next_fetch_at").notNull(),
    failures: integer("failures").notNull().default(0),
    lastError: text("last_error"),
    itemsSeen: integer("items_seen").notNull().default(0),
    candidatesMade: integer("candidates_made").notNull().default(0),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("news_sources_url_idx").on(t.url), index("news_sources_due_idx").on(t.nextFetchAt)],
);

/**
 * A decision waiting for an editor: one announcement, however many items reported it. `kind` is what
 * the items were read as; `draft` the drafted deal with its evidence (the shape of POST /api/extract);
 * `score` 0–100; `reason` says in words why it was classed so. `knownDealId` is a recorded deal it
 * matches ("already known"); `dealId` the deal it was accepted into or attached to. `groupKey` is
 * what items of one announcement share (parties and month), so a later item joins it.
 */
export const candidates = table(
  "candidates",
  {
    id: id(),
    kind: text("kind", { enum: CANDIDATE_KINDS }).notNull(),
    status: text("status", { enum: CANDIDATE_STATUSES }).notNull().default("waiting"),
    score: integer("score").notNull().default(0),
    reason: text("reason").notNull(),
    draft: json("draft").$type<unknown>(),
    groupKey: text("group_key"),
    knownDealId: integer("known_deal_id").references(() => deals.id, { onDelete: "set null" }),
    dealId: integer("deal_id").references(() => deals.id, { onDelete: "set null" }),
    dismissReason: text("dismiss_reason", { enum: DISMISS_REASONS }),
    decidedByUserId: text("decided_by_user_id").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("candidates_status_idx").on(t.status, t.id),
    index("candidates_group_idx").on(t.groupKey),
    index("candidates_known_deal_idx").on(t.knownDealId),
    index("candidates_deal_idx").on(t.dealId),
  ],
);

/**
 * One feed item, stored once: the same guid from a source, the same canonical link (tracking
 * parameters removed) or the same text (`contentHash`, SHA-256 of the normalised text) is never
 * stored or processed twice. `processedAt` is set once the item was read and classed.
 */
export const newsItems = table(
  "news_items",
  {
    id: id(),
    sourceId: integer("source_id")
      .notNull()
      .references(() => newsSources.id, { onDelete: "cascade" }),
    guid: text("guid").notNull(),
    canonicalUrl: text("canonical_url"),
    contentHash: text("content_hash").notNull(),
    title: text("title").notNull(),
    url: text("url"),
    publishedAt: timestamp("published_at"),
    /** The text read: the feed's full content, or the linked page when the feed had only a summary. */
    content: text("content").notNull(),
    candidateId: integer("candidate_id").references(() => candidates.id, { onDelete: "set null" }),
    processedAt: timestamp("processed_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("news_items_source_guid_idx").on(t.sourceId, t.guid),
    uniqueIndex("news_items_canonical_url_idx").on(t.canonicalUrl),
    uniqueIndex("news_items_content_hash_idx").on(t.contentHash),
    index("news_items_candidate_idx").on(t.candidateId),
    index("news_items_unprocessed_idx")
      .on(t.id)
      .where(sql`processed_at is null`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Shared state of several app servers on one database (issue 9).

/**
 * One row whose `version` every write transaction increments (db/core/connection.ts `write`): caches
 * of every app server compare it to know whether the data changed since they computed an answer.
 */
export const dataChanges = table("data_changes", {
  id: integer("id").primaryKey(),
  version: bigint("version").notNull().default(0),
});

/**
 * Failed (or still running) sign-in attempts, one row each, per limiter bucket ("pair:…",
 * "client:…", "account:…"): counted in the database so the limits hold across app servers.
 */
export const signInFailures = table(
  "sign_in_failures",
  {
    id: id(),
    bucket: text("bucket").notNull(),
    at: timestampMs("at").notNull(),
  },
  (t) => [index("sign_in_failures_bucket_idx").on(t.bucket, t.at)],
);

/**
 * Settings every app server must share, kept in the database. Never the session secret: older
 * versions kept one here (`auth_secret`) on PostgreSQL; the start step now removes it
 * (server/auth/secret.ts), as BETTER_AUTH_SECRET must come from the environment.
 */
export const appSettings = table("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// ---------------------------------------------------------------------------------------------
// Per-bucket counts (db/stats/stat-counts.ts): the dashboard's aggregates for all deals and for single
// filters, kept up to date in the same transaction as every write that changes what they count, so
// those views cost a few thousand rows at any size instead of a pass over every deal. `grouped`
// rows count a subsidiary's deals under its parent group (companies) or an area's deals under its
// broader areas too (technologies), each deal once, as Roll up does. `type` is a deal type or "*"
// (every deal). Rows fall to 0 rather than being deleted; readers skip them.
// drizzle/sqlite/0011_stat_counts.sql creates these tables WITHOUT ROWID (edited by hand; Drizzle
// has no option for it): the primary key is then the table, so a lookup by key reads no second
// b-tree and SQLite's planner does not prefer a covering secondary index over the key.

/** Live deals per announcement month, binding and set of types (bit i = DEAL_TYPES[i]). */
export const statDealMonths = table(
  "stat_deal_months",
  {
    month: text("month").notNull(),
    binding: text("binding").notNull(),
    typesMask: integer("types_mask").notNull(),
    /** The deals' primary type (first given): stacked charts count each deal once, under it. */
    primaryType: text("primary_type").notNull().default(""),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.binding, t.typesMask, t.primaryType] })],
);

/** Live deals per company (or group) and type, and for "*" rows the number of distinct partners. */
export const statCompanies = table(
  "stat_companies",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    companyId: integer("company_id").notNull(),
    deals: integer("deals").notNull(),
    partners: integer("partners").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.grouped, t.type, t.companyId] }),
    index("stat_companies_deals_idx").on(t.grouped, t.type, t.deals),
    index("stat_companies_partners_idx").on(t.grouped, t.type, t.partners),
  ],
);

/** Live deals two companies (or two groups) share, both directions. */
export const statCompanyPairs = table(
  "stat_company_pairs",
  {
    grouped: boolean("grouped").notNull(),
    companyId: integer("company_id").notNull(),
    partnerId: integer("partner_id").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.companyId, t.partnerId] })],
);

/** Live deals per company (or group), type and month: the timeline's lanes. */
export const statCompanyMonths = table(
  "stat_company_months",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    companyId: integer("company_id").notNull(),
    month: text("month").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.grouped, t.type, t.companyId, t.month] }),
    // Companies' deals in a range of months (rankings and counts for a date range).
    index("stat_company_months_month_idx").on(t.grouped, t.type, t.month, t.companyId, t.deals),
  ],
);

/** Live deals per technology area (or with its narrower areas), type and month. */
export const statTechnologies = table(
  "stat_technologies",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    month: text("month").notNull(),
    technologyId: integer("technology_id").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.type, t.month, t.technologyId] })],
);

/**
 * One row per (filter key, live public deal): the deals of one company (kind 0), of a group's
 * subsidiaries (1), of one area (2) or of the areas narrower than one (3) as one range of the
 * primary key, with what the deal-level widgets read (date, binding, types), so a company's or
 * area's dashboard reads its own deals' rows and no deal row (db/stats/deal-keys.ts).
 */
export const statDealKeys = table(
  "stat_deal_keys",
  {
    kind: integer("kind").notNull(),
    keyId: integer("key_id").notNull(),
    announcedOn: date("announced_on").notNull(),
    dealId: integer("deal_id").notNull(),
    binding: text("binding").notNull(),
    typesMask: integer("types_mask").notNull(),
    primaryType: text("primary_type").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.keyId, t.announcedOn, t.dealId] })],
);

/**
 * stat_deal_months per geography filter key (issue 26): one country ("country:US"), one sector with
 * its subsectors ("sector:51"), cross-border or domestic ("cross:1", "cross:0"), each as its filter
 * defines it (`grouped`: with Roll up). These filters match 13-90 % of deals, too many for per-deal
 * rows; the summary's totals, deals over time and the type and binding shares read these instead.
 * Per month like stat_deal_months, as the over-time chart's buckets need; only this table is keyed.
 */
export const statGeoKeys = table(
  "stat_geo_keys",
  {
    grouped: boolean("grouped").notNull(),
    fkey: text("fkey").notNull(),
    month: text("month").notNull(),
    binding: text("binding").notNull(),
    typesMask: integer("types_mask").notNull(),
    primaryType: text("primary_type").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.fkey, t.month, t.binding, t.typesMask, t.primaryType] })],
);

/**
 * The widgets of exactly one filter key (issue 26): one area ("area:12", with its narrower areas when
 * `grouped`), or one key of stat_geo_keys ("country:US", "sector:51", "cross:1"), with Roll up as
 * `grouped`. Per key, what its deals count in each widget (`dim`): "tm" area (k1) × month (k2),
 * "ta" own area, "co" company or group, "c" country, "cp" country pair, "s" sector, "st" sector ×
 * area (k1, k2). Bounded by keys × buckets, never by deals: no type, binding or month beside "tm".
 */
export const statKeyCounts = table(
  "stat_key_counts",
  {
    grouped: boolean("grouped").notNull(),
    fkey: text("fkey").notNull(),
    dim: text("dim").notNull(),
    k1: text("k1").notNull(),
    k2: text("k2").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.fkey, t.dim, t.k1, t.k2] })],
);

// Geography and industry (db/stats/geo.ts): per year, not month: a country or sector (or a pair of
// them) times every month would be millions of rows at a million deals, and the charts are read by
// the year. A range of whole years reads these; any other range reads the base tables. `grouped`
// rows take a subsidiary's missing country or sector from its group, as Roll up does.

/** Live deals per party country ('' for deals none of whose parties has one), type and year. */
export const statCountries = table(
  "stat_countries",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    year: text("year").notNull(),
    country: text("country").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.type, t.year, t.country] })],
);

/** Live deals whose parties include both countries (a < b), per type and year. */
export const statCountryPairs = table(
  "stat_country_pairs",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    year: text("year").notNull(),
    countryA: text("country_a").notNull(),
    countryB: text("country_b").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.type, t.year, t.countryA, t.countryB] })],
);

/** Live deals per party sector (two-digit NAICS; '' for none known), type and year. */
export const statSectors = table(
  "stat_sectors",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    year: text("year").notNull(),
    sector: text("sector").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.type, t.year, t.sector] })],
);

/** Live deals per (party sector, technology area) pair, type and year. */
export const statSectorTechnologies = table(
  "stat_sector_technologies",
  {
    grouped: boolean("grouped").notNull(),
    type: text("type").notNull(),
    year: text("year").notNull(),
    sector: text("sector").notNull(),
    technologyId: integer("technology_id").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.type, t.year, t.sector, t.technologyId] })],
);
