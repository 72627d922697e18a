// The tables of ./tables.ts on PostgreSQL (drizzle.pg.config.ts generates drizzle/pg from this file).
import { pgTables } from "@/db/core/kit-pg";

import * as declared from "./tables";

export * from "@/lib/enums";

export const {
  companies,
  companyAliases,
  technologies,
  companySlugs,
  technologySlugs,
  companyNonDuplicates,
  deals,
  dealTypes,
  dealParties,
  dealTechnologies,
  dealCells,
  quotes,
  sources,
  statusHistory,
  users,
  sessions,
  accounts,
  verifications,
  apiTokens,
  revisions,
  idempotencyKeys,
  merges,
  recordRevisions,
  savedViews,
  shareLinks,
  watches,
  userFollow,
  webhooks,
  webhookEvents,
  webhookDeliveries,
  digestSettings,
  digestSends,
  dataChanges,
  signInFailures,
  appSettings,
  statDealMonths,
  statCompanies,
  statCompanyPairs,
  statCompanyMonths,
  statTechnologies,
} = pgTables(declared);
