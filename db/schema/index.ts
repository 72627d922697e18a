// The tables of the engine this process runs on (db/core/engine.ts). The rest of the data layer imports
// them from here and is typed against the PostgreSQL definitions: the two schemas describe the same
// tables (db/schema/parity.test.ts), and PostgreSQL query builders have no synchronous methods, so
// code written against these types runs on both engines.
import { ENGINE } from "../core/engine";
import * as pg from "./pg";
import * as sqlite from "./sqlite";

export * from "@/lib/enums";

const tables = (ENGINE === "pg" ? pg : sqlite) as unknown as typeof pg;

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
  teams,
  teamMembers,
  apiTokens,
  auditEvents,
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
  statCountries,
  statCountryPairs,
  statSectors,
  statSectorTechnologies,
  statDealKeys,
  statGeoKeys,
  statKeyCounts,
  newsSources,
  candidates,
  newsItems,
} = tables;

/** Every table, for copies and tests. */
export const schema = tables;
