import "server-only";
import { count, eq, inArray, sql } from "drizzle-orm";
import realDeals from "./demo/real-deals.json";
import { companyKey, labelKey, slugify } from "@/lib/names";
import { createCompany } from "./directory";
import { createDeal, refreshDealCells } from "./deal-writes";
import { insertSearchRows } from "./search";
import { rebuildStatCounts } from "./stat-counts";
import { isPg } from "./dialect";
import type { Db } from "./index";
import {
  BINDINGS,
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  DEAL_TYPES,
  quotes,
  revisions,
  sources,
  STATUSES,
  statusHistory,
  technologies,
} from "./schema";
import { companyInput, dealInput } from "./validation";

type RealDeal = (typeof realDeals.deals)[number] & { expands?: number };

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(deals);
  return (row?.n ?? 0) === 0;
}

/**
 * Loads the 54 real, sourced deals (and their companies) through the same validation and mutations
 * as the form and the API. Deals another deal builds on are created first so the link can be set.
 */
export async function seedRealDeals(db: Db): Promise<{ companies: number; deals: number }> {
  // Parents before subsidiaries, so each parent can be resolved by name.
  const pending = [...realDeals.companies];
  let created = 0;
  while (pending.length) {
    const index = pending.findIndex((c) => !c.parent || !pending.some((p) => p.name === c.parent));
    const [company] = pending.splice(index, 1);
    await createCompany(companyInput.parse(company), {}, db);
    created++;
  }

  const list = realDeals.deals as RealDeal[];
  const ids = new Map<number, number>();
  const expandedOn = new Map<number, string>();
  list.forEach((d) => d.expands !== undefined && expandedOn.set(d.expands, d.announcedOn));
  const create = async (i: number) => {
    if (ids.has(i)) return;
    const raw = list[i]!;
    if (raw.expands !== undefined) await create(raw.expands);
    const input = dealInput.parse({
      ...raw,
      expandsDealId: raw.expands !== undefined ? ids.get(raw.expands) : null,
      statusOn: raw.status === "expanded" ? expandedOn.get(i) : undefined,
    });
    ids.set(i, (await createDeal(input, { actor: "seed" }, db)).id);
  };
  for (let i = 0; i < list.length; i++) await create(i);
  return { companies: created, deals: ids.size };
}

// ---------------------------------------------------------------------------------------------
// Generated demo data: clearly fictional companies and deals for benchmarks and full charts.

/** mulberry32: a tiny seeded PRNG, so `--demo N` always builds the same data set. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  "zen",
  "tro",
  "va",
  "qu",
  "lix",
  "mor",
  "dan",
  "ex",
  "ori",
  "pla",
  "nex",
  "tal",
  "ver",
  "syn",
  "kor",
  "bel",
  "amo",
  "rix",
];
const NOUNS = [
  "Systems",
  "Networks",
  "Telecom",
  "Labs",
  "Dynamics",
  "Robotics",
  "Cloud",
  "Semiconductor",
  "Mobility",
  "Analytics",
];
const GENERATED_AREAS = [
  "5G",
  "AI",
  "Cloud",
  "IoT",
  "Edge computing",
  "Big data",
  "Smart factory",
  "Media & entertainment",
  "Productivity software",
  "Semiconductors",
  "6G",
  "Cybersecurity",
  "Data centers",
  "Open RAN",
  "Quantum",
  "Robotics",
  "Autonomous vehicles",
  "AR/VR",
  "Blockchain",
  "Fintech",
  "Healthcare IT",
  "Satellite",
  "Energy storage",
  "Smart cities",
  "E-commerce",
  "Gaming",
  "Digital twins",
  "Drones",
  "Wearables",
  "Network virtualization",
  "Large language models",
  "Optical networking",
  "Batteries",
  "Agritech",
  "Logistics",
  "Biotech",
  "Smart home",
  "Payments",
  "Messaging",
  "Metaverse",
];

function roleFor(types: readonly string[], position: number) {
  if (types.includes("investment")) return position === 0 ? ("investor" as const) : ("investee" as const);
  if (types.includes("licensing")) return position === 0 ? ("licensor" as const) : ("licensee" as const);
  return "partner" as const;
}

/** Marks every generated source, so generated deals can always be told from real ones. */
export const GENERATED_SOURCE = "https://example.com/partnership-atlas/generated";

/**
 * Adds `n` fictional deals (about n/20 fictional companies, 40 areas) flagged `demo`. Bulk inserts in
 * one transaction: going through createDeal row by row would take minutes at 100,000 deals.
 */
const ANALYZE_GENERATED = sql`ANALYZE deals, deal_parties, deal_types, deal_technologies, quotes, sources, companies, company_aliases`;

export async function generateDemoDeals(db: Db, n: number): Promise<{ companies: number; deals: number }> {
  const random = prng(n);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const companyCount = Math.max(10, Math.round(n / 20));
  const BATCH = 500;

  return db.write(async (tx) => {
    const techIds: number[] = [];
    for (const name of GENERATED_AREAS) {
      const [existing] = await tx
        .select({ id: technologies.id })
        .from(technologies)
        .where(eq(technologies.nameKey, labelKey(name)));
      const [created] = existing
        ? [existing]
        : await tx
            .insert(technologies)
            .values({ name, nameKey: labelKey(name), slug: slugify(name) })
            .returning({ id: technologies.id });
      techIds.push(created!.id);
    }

    const companyIds: number[] = [];
    const usedKeys = new Set((await tx.select({ key: companies.nameKey }).from(companies)).map((r) => r.key));
    const newCompanies: (typeof companies.$inferInsert)[] = [];
    for (let i = 0; newCompanies.length < companyCount; i++) {
      const stem = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join("");
      const name = `${stem[0]!.toUpperCase()}${stem.slice(1)} ${pick(NOUNS)} (fictional)`;
      const key = companyKey(name);
      if (usedKeys.has(key)) continue;
      usedKeys.add(key);
      newCompanies.push({ name, nameKey: key, slug: `${slugify(name)}-${i}`, demo: true, country: "ZZ" });
    }
    // In batches: one statement per row would be a round trip each on PostgreSQL.
    for (let i = 0; i < newCompanies.length; i += BATCH) {
      const rows = await tx
        .insert(companies)
        .values(newCompanies.slice(i, i + BATCH))
        .returning({ id: companies.id });
      companyIds.push(...rows.map((r) => r.id));
    }
    // A few big groups make the company charts skewed like real ones (power law on picks).
    const pickCompany = () => companyIds[Math.floor(companyIds.length * random() ** 2.2)]!;

    const start = Date.UTC(2015, 0, 1);
    const span = Date.UTC(2026, 10, 1) - start;
    for (let done = 0; done < n; done += BATCH) {
      const size = Math.min(BATCH, n - done);
      const rows = Array.from({ length: size }, () => {
        const date = new Date(start + random() * span).toISOString().slice(0, 10);
        const precision = random() < 0.1 ? ("month" as const) : ("day" as const);
        return {
          title: "",
          announcedOn: precision === "month" ? `${date.slice(0, 8)}01` : date,
          datePrecision: precision,
          binding: pick(BINDINGS),
          status: random() < 0.6 ? ("announced" as const) : pick(STATUSES),
          summary: "",
          demo: true,
        };
      });
      const parts = rows.map(() => {
        const a = pickCompany();
        let b = pickCompany();
        while (b === a) b = companyIds[Math.floor(random() * companyIds.length)]!;
        const parties =
          random() < 0.15 ? [a, b, companyIds[Math.floor(random() * companyIds.length)]!] : [a, b];
        const types = [...new Set([pick(DEAL_TYPES), ...(random() < 0.4 ? [pick(DEAL_TYPES)] : [])])];
        const techs = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(techIds)))];
        return { parties: [...new Set(parties)], types, techs };
      });
      rows.forEach((row, i) => {
        const area = GENERATED_AREAS[techIds.indexOf(parts[i]!.techs[0]!)]!;
        row.title = `Fictional ${pick(["alliance", "pact", "venture", "agreement", "collaboration"])} on ${area} #${done + i + 1}`;
        row.summary = `Generated demo record about ${area}; not a real announcement.`;
      });
      const inserted = await tx.insert(deals).values(rows).returning({ id: deals.id });
      const dealIds = inserted.map((r) => r.id);
      await tx
        .insert(dealTypes)
        .values(dealIds.flatMap((dealId, i) => parts[i]!.types.map((type) => ({ dealId, type }))));
      await tx.insert(dealParties).values(
        dealIds.flatMap((dealId, i) =>
          parts[i]!.parties.map((companyId, position) => ({
            dealId,
            companyId,
            position,
            role: roleFor(parts[i]!.types, position),
          })),
        ),
      );
      await tx
        .insert(dealTechnologies)
        .values(
          dealIds.flatMap((dealId, i) => parts[i]!.techs.map((technologyId) => ({ dealId, technologyId }))),
        );
      await tx
        .insert(sources)
        .values(
          dealIds.map((dealId) => ({ dealId, position: 0, url: GENERATED_SOURCE, publisher: "Generated" })),
        );
      const quoted = dealIds.filter(() => random() < 0.3);
      if (quoted.length) {
        await tx.insert(quotes).values(
          quoted.map((dealId) => ({
            dealId,
            position: 0,
            text: "We are excited about this fictional partnership.",
            speaker: "A. Fictional",
            speakerTitle: "CEO",
          })),
        );
      }
      await tx.insert(statusHistory).values(
        dealIds.map((dealId, i) => ({
          dealId,
          status: rows[i]!.status,
          effectiveOn: rows[i]!.announcedOn,
        })),
      );
      await tx.insert(revisions).values(
        dealIds.map((dealId) => ({
          dealId,
          version: 1,
          action: "create" as const,
          actor: "generator",
          changedFields: [],
        })),
      );
      const batch = inArray(sql`d.id`, dealIds);
      await insertSearchRows(tx, batch);
      await refreshDealCells(tx, batch);
      // PostgreSQL plans the derived rows' subqueries from table statistics, which a table filled
      // inside this one transaction does not have until analysed: without it every batch scans
      // whole tables and generation grows with the square of the size (177 s for 100,000 deals).
      if (isPg && (done / BATCH) % 20 === 0) await tx.execute(ANALYZE_GENERATED);
    }
    // One pass over everything is cheaper than keeping the counts up to date batch by batch.
    await rebuildStatCounts(tx);
    return { companies: companyIds.length, deals: n };
  });
}
