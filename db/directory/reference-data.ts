import "server-only";
import { eq, isNotNull, or } from "drizzle-orm";
import { countryByCode } from "@/lib/geo/countries";
import { countryCodeOf, sectorCodeOf } from "@/lib/geo/reference-names";
import { isSectorCode } from "@/lib/geo/sectors";
import type { Db } from "../core/connection";
import { takeDealWriteTurn } from "../core/write-order";
import { clearCompanyCsvLines } from "../deals/csv-lines";
import { writeRecordRevision } from "../audit/revisions";
import { companies } from "../schema";
import { countDeals, dealsOf } from "../stats/stat-counts";
import { withSubsidiaries } from "../stats/filters";

// Companies' country and sector were free text before they became codes (issue 23). This step of
// the migrate command maps each stored value to its code where the answer is unambiguous; a value
// it cannot map is cleared from the code column but kept in the company's history (a revision by
// "reference data migration" whose `before` holds the old text) and reported in the migration log.
// Stored codes pass through unchanged, so running it again finds nothing to do.

export const REFERENCE_MIGRATION_ACTOR = "reference data migration";

export type ReferenceMigrationReport = {
  mapped: { company: string; field: "country" | "sector"; from: string; to: string }[];
  unmatched: { company: string; field: "country" | "sector"; value: string }[];
};

export async function migrateCompanyReferences(db: Db): Promise<ReferenceMigrationReport> {
  const report: ReferenceMigrationReport = { mapped: [], unmatched: [] };
  const rows = await db
    .select({
      id: companies.id,
      name: companies.name,
      country: companies.country,
      sector: companies.sector,
      version: companies.version,
      demo: companies.demo,
    })
    .from(companies)
    .where(or(isNotNull(companies.country), isNotNull(companies.sector)));
  const stale = rows.filter(
    (r) =>
      (r.country !== null && !countryByCode(r.country)) || (r.sector !== null && !isSectorCode(r.sector)),
  );
  // An upper-case code stored in lower case is stale too: the filters compare codes exactly.
  const lowerCase = rows.filter(
    (r) => r.country && countryByCode(r.country) && r.country !== r.country.toUpperCase(),
  );
  if (!stale.length && !lowerCase.length) return report;
  await db.write(async (tx) => {
    await takeDealWriteTurn(tx); // before the deals to recount are read (db/core/write-order.ts)
    // Their deals move between the geography counts (with Roll up, their subsidiaries' deals too).
    const changing = [...new Set([...stale, ...lowerCase].map((r) => r.id))];
    const affected = await dealsOf(tx, "company", await withSubsidiaries(tx, changing));
    await countDeals(tx, affected, -1);
    await clearCompanyCsvLines(tx, changing);
    for (const r of lowerCase)
      if (!stale.includes(r))
        await tx.update(companies).set({ country: r.country!.toUpperCase() }).where(eq(companies.id, r.id));
    for (const r of stale) {
      const before: Record<string, string | null> = {};
      const after: Record<string, string | null> = {};
      for (const field of ["country", "sector"] as const) {
        const value = r[field];
        const valid = field === "country" ? !!countryByCode(value) : value !== null && isSectorCode(value);
        if (value === null || valid) continue;
        const code = field === "country" ? countryCodeOf(value) : sectorCodeOf(value);
        before[field] = value;
        after[field] = code ?? null;
        if (code) report.mapped.push({ company: r.name, field, from: value, to: code });
        else if (!r.demo) report.unmatched.push({ company: r.name, field, value });
      }
      // Generated demo companies carried "ZZ" for "no country": nothing worth a history entry.
      if (r.demo) {
        await tx.update(companies).set(after).where(eq(companies.id, r.id));
        continue;
      }
      await tx
        .update(companies)
        .set({ ...after, version: r.version + 1 })
        .where(eq(companies.id, r.id));
      await writeRecordRevision(tx, {
        entity: "company",
        entityId: r.id,
        version: r.version + 1,
        action: "update",
        actor: REFERENCE_MIGRATION_ACTOR,
        before,
        after,
      });
    }
    await countDeals(tx, affected, 1);
  });
  return report;
}
