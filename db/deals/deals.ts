import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { DealFilters } from "@/lib/filters";
import { fromMinorUnits } from "@/lib/money";
import { withPlainFields } from "@/lib/validation";
import type { Reader } from "../core/connection";
import {
  dealFilterParts,
  dealsWithParty,
  visibleTo,
  whereOfParts,
  type DealFilterParts,
} from "../stats/filters";
import { dealMonthSums, monthCountScope } from "../stats/stat-counts";
import { audienceOf, mayView, teamsById, type Viewer } from "../accounts/visibility";
import { isPg } from "../core/dialect";
import { getDb } from "../core/index";
import { readAll } from "../core/read-all";
import type { DealRecord, DealPage, DealDetail } from "../types";
import {
  companies,
  dealParties,
  deals,
  dealTechnologies,
  dealTypes,
  quotes,
  revisions,
  sources,
  statusHistory,
  technologies,
} from "../schema";
import { revisionView } from "../audit/revision-view";

// Deal reads: lists, one deal, and the deal page.

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Loads deals with all their parts, in the order of `ids`. Six indexed queries whatever the count. */
export async function loadDeals(db: Reader, ids: number[]): Promise<DealRecord[]> {
  if (ids.length === 0) return [];
  const [rows, partyRows, typeRows, techRows, quoteRows, sourceRows] = await readAll(db, [
    db.select().from(deals).where(inArray(deals.id, ids)),
    db
      .select({
        dealId: dealParties.dealId,
        role: dealParties.role,
        id: companies.id,
        name: companies.name,
        slug: companies.slug,
      })
      .from(dealParties)
      .innerJoin(companies, eq(companies.id, dealParties.companyId))
      .where(inArray(dealParties.dealId, ids))
      .orderBy(asc(dealParties.dealId), asc(dealParties.position)),
    db
      .select()
      .from(dealTypes)
      .where(inArray(dealTypes.dealId, ids))
      .orderBy(asc(dealTypes.dealId), asc(dealTypes.position)),
    db
      .select({
        dealId: dealTechnologies.dealId,
        id: technologies.id,
        name: technologies.name,
        slug: technologies.slug,
      })
      .from(dealTechnologies)
      .innerJoin(technologies, eq(technologies.id, dealTechnologies.technologyId))
      .where(inArray(dealTechnologies.dealId, ids))
      .orderBy(asc(technologies.name)),
    db
      .select()
      .from(quotes)
      .where(inArray(quotes.dealId, ids))
      .orderBy(asc(quotes.dealId), asc(quotes.position)),
    db
      .select()
      .from(sources)
      .where(inArray(sources.dealId, ids))
      .orderBy(asc(sources.dealId), asc(sources.position)),
  ]);

  const group = <T extends { dealId: number }>(items: T[]) => {
    const map = new Map<number, T[]>();
    for (const item of items) {
      const list = map.get(item.dealId);
      if (list) list.push(item);
      else map.set(item.dealId, [item]);
    }
    return map;
  };
  const teamOf = await teamsById(
    rows.flatMap((d) => d.teamId ?? []),
    db,
  );
  const partiesBy = group(partyRows);
  const typesBy = group(typeRows);
  const techBy = group(techRows);
  const quotesBy = group(quoteRows);
  const sourcesBy = group(sourceRows);

  const byId = new Map(
    rows.map((d): [number, DealRecord] => [
      d.id,
      {
        id: d.id,
        version: d.version,
        ...withPlainFields(d, {
          // As given: the first is the primary type the stacked charts count the deal under.
          types: (typesBy.get(d.id) ?? []).map((t) => t.type),
          value:
            d.valueMinor !== null && d.currency
              ? { amount: fromMinorUnits(d.valueMinor, d.currency), currency: d.currency }
              : null,
          parties: (partiesBy.get(d.id) ?? []).map((p) => ({
            company: { id: p.id, name: p.name, slug: p.slug },
            role: p.role,
          })),
          technologies: (techBy.get(d.id) ?? []).map(({ id, name, slug }) => ({ id, name, slug })),
          quotes: (quotesBy.get(d.id) ?? []).map(({ text, speaker, speakerTitle, speakerCompany }) => ({
            text,
            speaker,
            speakerTitle,
            speakerCompany,
          })),
          sources: (sourcesBy.get(d.id) ?? []).map(({ url, title, publisher, publishedOn }) => ({
            url,
            title,
            publisher,
            publishedOn,
          })),
          visibility: d.teamId === null ? "everyone" : { team: teamOf.get(d.teamId)!.slug },
        }),
        demo: d.demo,
        createdAt: iso(d.createdAt)!,
        updatedAt: iso(d.updatedAt)!,
        deletedAt: iso(d.deletedAt),
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const ORDER = {
  "-announcedOn": [desc(deals.announcedOn), desc(deals.id)],
  announcedOn: [asc(deals.announcedOn), asc(deals.id)],
  title: [asc(deals.title), asc(deals.id)],
  "-updatedAt": [desc(deals.updatedAt), desc(deals.id)],
} as const;

/** The index that holds live deals in each list order (db/schema), to walk a page off. */
const SORT_INDEX = {
  "-announcedOn": "deals_live_announced_idx",
  announcedOn: "deals_live_announced_idx",
  title: "deals_live_title_idx",
  "-updatedAt": "deals_live_updated_idx",
} as const;

/** The deals a count leaves out: deleted ones (deals_deleted_idx) and the audience's hidden ones. */
const leftOut = (hidden: SQL) =>
  sql`SELECT id FROM deals WHERE deleted_at IS NOT NULL UNION SELECT h.id FROM ${hidden} h`;

/**
 * The exact number of deals a filter matches, asked so that indexes answer without visiting deal
 * rows (at a million deals a visit per matching deal costs over 100 ms). Deleted deals and the
 * confidential deals the reader does not see are few (deals_deleted_idx, deals_team_idx), so they
 * are subtracted rather than each live deal being checked:
 *   - no filter: all deals (SQLite counts a b-tree's pages, not its rows) less those left out;
 *   - only parties, areas, types, text: the first set's ids from its own index, in the others;
 *   - only binding/status: deals_binding_idx / deals_status_idx alone, less the matches left out
 *     (CROSS JOIN: SQLite would otherwise look every binding match up to test it for deletion);
 *   - with dates: as the WHERE says (the range reads deals_live_announced_idx).
 */
function countQuery({ sets, fields, dates, hidden }: DealFilterParts, where: SQL): SQL {
  if (dates.length || (sets.length && fields.length))
    return sql`SELECT count(*) AS n FROM deals WHERE ${where}`;
  if (fields.length) {
    const match = and(...fields);
    return sql`SELECT (SELECT count(*) FROM deals WHERE ${match})
      - (SELECT count(*) FROM (${leftOut(hidden)}) d CROSS JOIN deals WHERE deals.id = d.id AND ${match}) AS n`;
  }
  const [first, ...rest] = sets;
  if (!first)
    return sql`SELECT (SELECT count(*) FROM deals) - (SELECT count(*) FROM (${leftOut(hidden)}) d) AS n`;
  const ids = first.repeats ? sql`(SELECT DISTINCT deal_id FROM ${first.ids} d)` : first.ids;
  return sql`SELECT count(*) AS n FROM ${ids} s WHERE s.deal_id NOT IN (${leftOut(hidden)})${sql.join(
    rest.map((set) => sql` AND s.deal_id IN ${set.ids}`),
  )}`;
}

export async function listDeals(f: DealFilters, db: Reader = getDb()): Promise<DealPage> {
  const parts = await dealFilterParts(db, f);
  const empty = { items: [], total: 0, page: f.page, pageSize: f.pageSize };
  if (!parts) return empty;
  const where = whereOfParts(parts);
  const offset = (f.page - 1) * f.pageSize;
  const counted = monthCountScope(f);
  const count = async (query: SQL) =>
    // A filter the per-bucket counts hold (types, bindings, whole months, one country, sector or
    // cross-border value) is counted from them, as the dashboard's summary is, in a few rows: counting
    // it in the deals table visits every match (a type and a binding: 130–180 ms at a million deals).
    counted && parts.sets.length + parts.fields.length + parts.dates.length > 0 && query === totalQuery
      ? ((await dealMonthSums(db, counted))[0]?.total ?? 0)
      : Number((await db.execute<{ n: number }>(query)).rows[0]!.n);
  const totalQuery = countQuery(parts, where);
  const builtPage = () =>
    db
      .select({ id: deals.id })
      .from(deals)
      .where(where)
      .orderBy(...ORDER[f.sort])
      .limit(f.pageSize)
      .offset(offset);
  let total: number;
  let idRows: { id: number }[];
  const filtered = parts.sets.length + parts.fields.length + parts.dates.length > 0;
  if (isPg || !filtered) {
    [total, idRows] = await readAll(db, [count(totalQuery), builtPage()]);
  } else {
    // SQLite plans a filtered page by collecting every match and sorting them, which is right for
    // few matches and slow for many (a type or binding: 150,000+ deals at a million). Walking the
    // order's index and stopping at the page visits about (offset + page) × deals / matches index
    // entries, each several times cheaper than collecting a match (no deal row, no sort): taken
    // when that is fewer than four per match. `+id` keeps the sets from being looked up in it.
    total = await count(totalQuery);
    // The highest id stands for the number of deals: read off the end of one b-tree, where a count
    // of them reads thousands of pages that the list's other reads keep pushing out of the cache.
    const highestId = await count(sql`SELECT coalesce(max(${deals.id}), 0) AS n FROM deals`);
    if (offset >= total) idRows = [];
    else if ((offset + f.pageSize) * highestId < 4 * total * total) {
      const walk = sql`SELECT ${deals.id} FROM deals INDEXED BY ${sql.identifier(SORT_INDEX[f.sort])}
        WHERE ${whereOfParts(parts, sql`+${deals.id}`)}
        ORDER BY ${sql.join([...ORDER[f.sort]], sql`, `)} LIMIT ${f.pageSize} OFFSET ${offset}`;
      idRows = (await db.execute<{ id: number }>(walk)).rows;
    } else idRows = await builtPage();
  }
  const items = await loadDeals(
    db,
    idRows.map((r) => r.id),
  );
  return { items, total, page: f.page, pageSize: f.pageSize };
}

/**
 * One deal, or undefined when there is none for this viewer: a deleted deal unless asked for, and a
 * confidential deal of a team the viewer does not see (without a viewer: any confidential deal) —
 * to them it does not exist, so every caller answers it as any missing deal, a 404.
 */
export async function getDeal(
  id: number,
  options: { includeDeleted?: boolean; viewer?: Viewer } = {},
  db: Reader = getDb(),
): Promise<DealRecord | undefined> {
  const [[row], [deal]] = await Promise.all([
    db.select({ teamId: deals.teamId }).from(deals).where(eq(deals.id, id)),
    loadDeals(db, [id]),
  ]);
  if (!deal || !row || !mayView(options.viewer, row.teamId)) return undefined;
  if (deal.deletedAt && !options.includeDeleted) return undefined;
  return deal;
}

/** Everything the deal page shows, deleted deals included (so they can be restored). */
export async function getDealDetail(
  id: number,
  viewer: Viewer,
  db: Reader = getDb(),
): Promise<DealDetail | undefined> {
  const deal = await getDeal(id, { includeDeleted: true, viewer }, db);
  if (!deal) return undefined;
  const audience = await audienceOf(viewer, db);
  const brief = {
    id: deals.id,
    title: deals.title,
    announcedOn: deals.announcedOn,
    datePrecision: deals.datePrecision,
  };
  // Other deals in which the first two parties meet again.
  const pair = deal.parties.slice(0, 2).map((p) => p.company.id);
  const [history, revs, [expands], expandedBy, samePartners] = await readAll(db, [
    db.select().from(statusHistory).where(eq(statusHistory.dealId, id)).orderBy(asc(statusHistory.id)),
    db.select().from(revisions).where(eq(revisions.dealId, id)).orderBy(desc(revisions.id)),
    deal.expandsDealId
      ? db
          .select(brief)
          .from(deals)
          .where(and(eq(deals.id, deal.expandsDealId), visibleTo(audience)))
      : Promise.resolve([]),
    db
      .select(brief)
      .from(deals)
      .where(and(eq(deals.expandsDealId, id), isNull(deals.deletedAt), visibleTo(audience)))
      .orderBy(asc(deals.announcedOn)),
    pair.length === 2
      ? db
          .select(brief)
          .from(deals)
          .where(
            and(
              isNull(deals.deletedAt),
              visibleTo(audience),
              sql`${deals.id} <> ${id}`,
              ...pair.map((companyId) => dealsWithParty(db, deals.id, [companyId])),
            ),
          )
          .orderBy(desc(deals.announcedOn))
          .limit(20)
      : Promise.resolve([]),
  ]);
  return {
    ...deal,
    statusHistory: history.map((h) => ({
      status: h.status,
      effectiveOn: h.effectiveOn,
      recordedAt: h.recordedAt.toISOString(),
    })),
    revisions: revs.map((r) => ({ id: r.id, ...revisionView(r) })),
    expands: expands ?? null,
    expandedBy,
    samePartners,
  };
}
