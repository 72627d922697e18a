// PostgreSQL twin of ./sqlite.ts: same tables, columns, nullability, keys and indexes (checked by
// db/schema/parity.test.ts), with PostgreSQL's own types: identity keys, date, timestamptz, jsonb, bigint.
import { sql } from "drizzle-orm";
import {
  customType,
  type AnyPgColumn,
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

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
} from "@/lib/enums";

export * from "@/lib/enums";

/**
 * Text that lists sort by (names, titles), in the "C" collation: byte order, as SQLite sorts, so
 * both engines list and export in the same order whatever the cluster's default locale is.
 */
const sortedText = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const companies = pgTable(
  "companies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: sortedText("name").notNull(),
    // Normalised form of the name (case, punctuation and legal suffixes removed): the identity key.
    nameKey: text("name_key").notNull(),
    slug: text("slug").notNull(),
    country: text("country"),
    sector: text("sector"),
    website: text("website"),
    parentId: integer("parent_id").references((): AnyPgColumn => companies.id, { onDelete: "set null" }),
    demo: boolean("demo").notNull().default(false),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("companies_name_key_idx").on(t.nameKey),
    uniqueIndex("companies_slug_idx").on(t.slug),
    index("companies_parent_idx").on(t.parentId),
  ],
);

export const companyAliases = pgTable(
  "company_aliases",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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

export const technologies = pgTable(
  "technologies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: sortedText("name").notNull(),
    nameKey: text("name_key").notNull(),
    slug: text("slug").notNull(),
    /** The broader area this one counts under when rolling up (Large language models → AI). */
    parentId: integer("parent_id").references((): AnyPgColumn => technologies.id, {
      onDelete: "set null",
    }),
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
export const companySlugs = pgTable(
  "company_slugs",
  {
    slug: text("slug").primaryKey(),
    companyId: integer("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
  },
  (t) => [index("company_slugs_company_idx").on(t.companyId)],
);

export const technologySlugs = pgTable(
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
export const companyNonDuplicates = pgTable(
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

export const deals = pgTable(
  "deals",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    title: sortedText("title").notNull(),
    announcedOn: date("announced_on", { mode: "string" }).notNull(),
    datePrecision: text("date_precision", { enum: DATE_PRECISIONS }).notNull().default("day"),
    binding: text("binding", { enum: BINDINGS }).notNull().default("unknown"),
    status: text("status", { enum: STATUSES }).notNull().default("announced"),
    summary: text("summary").notNull().default(""),
    valueMinor: bigint("value_minor", { mode: "number" }),
    currency: text("currency"),
    expandsDealId: integer("expands_deal_id").references((): AnyPgColumn => deals.id, {
      onDelete: "set null",
    }),
    version: integer("version").notNull().default(1),
    demo: boolean("demo").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    // The list's orders, restricted to live rows (the default order is the hottest path). A filtered
    // page walks one of them (db/deals.ts): binding, status and date ride along, so testing them
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
  ],
);

export const dealTypes = pgTable(
  "deal_types",
  {
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    type: text("type", { enum: DEAL_TYPES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.dealId, t.type] }), index("deal_types_type_idx").on(t.type, t.dealId)],
);

export const dealParties = pgTable(
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

export const dealTechnologies = pgTable(
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
export const dealCells = pgTable("deal_cells", {
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
});

export const quotes = pgTable(
  "quotes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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

export const sources = pgTable(
  "sources",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    url: text("url").notNull(),
    title: text("title"),
    publisher: text("publisher"),
    publishedOn: date("published_on", { mode: "string" }),
  },
  (t) => [index("sources_deal_idx").on(t.dealId)],
);

export const statusHistory = pgTable(
  "status_history",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    status: text("status", { enum: STATUSES }).notNull(),
    // Calendar date the status took effect; null when the sources do not say.
    effectiveOn: date("effective_on", { mode: "string" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("status_history_deal_idx").on(t.dealId)],
);

// ---------------------------------------------------------------------------------------------
// Accounts. The first four tables are the ones better-auth's Drizzle adapter manages (keys are the
// field names it uses); `role` and `deactivatedAt` are ours, declared to it as additional fields.

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: sortedText("name").notNull(),
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role", { enum: USER_ROLES }).notNull().default("viewer"),
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    token: text("token").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("sessions_token_idx").on(t.token), index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
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
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    password: text("password"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

/** Tokens for scripts: only a SHA-256 of the secret is kept; the secret is shown once. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    name: text("name").notNull(),
    role: text("role", { enum: USER_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the secret, to tell tokens apart in the list. */
    prefix: text("prefix").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_idx").on(t.tokenHash),
    index("api_tokens_created_by_idx").on(t.createdByUserId),
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
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const revisions = pgTable(
  "revisions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dealId: integer("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    action: text("action", { enum: REVISION_ACTIONS }).notNull(),
    ...actedBy(),
    changedFields: jsonb("changed_fields").$type<string[]>().notNull(),
    before: jsonb("before").$type<unknown>(),
    after: jsonb("after").$type<unknown>(),
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
export const idempotencyKeys = pgTable(
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
export const merges = pgTable(
  "merges",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    kind: text("kind", { enum: MERGE_KINDS }).notNull(),
    sourceId: integer("source_id").notNull(),
    sourceName: text("source_name").notNull(),
    targetId: integer("target_id").notNull(),
    targetName: text("target_name").notNull(),
    payload: jsonb("payload").$type<unknown>().notNull(),
    ...actedBy(),
    undoneAt: timestamp("undone_at", { withTimezone: true }),
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
export const recordRevisions = pgTable(
  "record_revisions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    entity: text("entity", { enum: MERGE_KINDS }).notNull(),
    entityId: integer("entity_id").notNull(),
    version: integer("version").notNull(),
    action: text("action", { enum: RECORD_ACTIONS }).notNull(),
    ...actedBy(),
    changedFields: jsonb("changed_fields").$type<string[]>().notNull(),
    before: jsonb("before").$type<unknown>(),
    after: jsonb("after").$type<unknown>(),
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
export const savedViews = pgTable(
  "saved_views",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
 * One thing a user follows. Exactly one of the three targets is set, matching `kind`; deleting the
 * target (a merged company, a deleted view) deletes the watch. `sinceRevisionId` is the newest
 * revision when the watch was made, so the inbox never shows what happened before it.
 */
export const watches = pgTable(
  "watches",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
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
 * `feedKey` holds the SHA-256 of the feed key, which is shown once when made (db/inbox.ts).
 */
export const userFollow = pgTable(
  "user_follow",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    inboxReadRevisionId: integer("inbox_read_revision_id").notNull().default(0),
    feedKey: text("feed_key"),
    feedKeyCreatedAt: timestamp("feed_key_created_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("user_follow_feed_key_idx").on(t.feedKey)],
);

// ---------------------------------------------------------------------------------------------
// Webhooks: endpoints, and an outbox of events written in the same transaction as the change, so a
// change is never lost and a rolled-back one never sent. A worker delivers them (server/webhooks.ts).

export const webhooks = pgTable(
  "webhooks",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    url: text("url").notNull(),
    events: jsonb("events").$type<string[]>().notNull(),
    /** Kept readable: every delivery is signed with it (HMAC-SHA256). Shown to the admin once. */
    secret: text("secret").notNull(),
    createdByUserId: text("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    /** Since when deliveries have failed without a success in between; 24 h of it disables the endpoint. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [index("webhooks_created_by_idx").on(t.createdByUserId)],
);

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    /** The id receivers see, to refuse repeats. */
    publicId: text("public_id").notNull(),
    event: text("event", { enum: WEBHOOK_EVENTS }).notNull(),
    actor: text("actor").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    data: jsonb("data").$type<unknown>().notNull(),
  },
  (t) => [uniqueIndex("webhook_events_public_id_idx").on(t.publicId)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
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
// Shared state of several app servers on one database (issue 9).

/**
 * One row whose `version` every write transaction increments (db/connection.ts `write`): caches
 * of every app server compare it to know whether the data changed since they computed an answer.
 */
export const dataChanges = pgTable("data_changes", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});

/**
 * Failed (or still running) sign-in attempts, one row each, per limiter bucket ("pair:…",
 * "client:…", "account:…"): counted in the database so the limits hold across app servers.
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    bucket: text("bucket").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sign_in_failures_bucket_idx").on(t.bucket, t.at)],
);

/**
 * Settings every app server must share, kept in the database. Never the session secret: older
 * versions kept one here (`auth_secret`) on PostgreSQL; the start step now removes it
 * (server/auth/secret.ts), as BETTER_AUTH_SECRET must come from the environment.
 */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// ---------------------------------------------------------------------------------------------
// Per-bucket counts (db/stat-counts.ts); see ./sqlite.ts for what each table holds.

export const statDealMonths = pgTable(
  "stat_deal_months",
  {
    month: text("month").notNull(),
    binding: text("binding").notNull(),
    typesMask: integer("types_mask").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.binding, t.typesMask] })],
);

export const statCompanies = pgTable(
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

export const statCompanyPairs = pgTable(
  "stat_company_pairs",
  {
    grouped: boolean("grouped").notNull(),
    companyId: integer("company_id").notNull(),
    partnerId: integer("partner_id").notNull(),
    deals: integer("deals").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grouped, t.companyId, t.partnerId] })],
);

export const statCompanyMonths = pgTable(
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

export const statTechnologies = pgTable(
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
