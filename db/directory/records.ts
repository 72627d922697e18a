import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Audience } from "@/lib/filters";
import { visibleTo } from "../stats/filters";
import { getDb } from "../core/index";
import type { Reader, Tx } from "../core/connection";
import { isPg } from "../core/dialect";
import { actorColumns, type Actor } from "../audit/revisions";
import { findCompanyId, findTechnologyId } from "./lookups";
import { loadDeals } from "../deals/deals";
import { snapshotOf, writeRevision, type DealSnapshot } from "../deals/deal-writes";
import {
  companies,
  companySlugs,
  deals,
  merges,
  technologies,
  technologySlugs,
  type MergeKind,
} from "../schema";
import { InputError, NotFoundError } from "../core/errors";
import type { DealBrief } from "../types";

// What editing and merging companies and technology areas share: finding the record by any slug it
// ever had, locking it for the write, the deal revisions a merge writes and the merge log.
// db/directory/companies.ts and db/directory/technologies.ts hold what differs; db/directory/merges.ts undoes a merge of either.

/** Thrown inside a write to roll back a save that changed nothing. */
export class NoChange extends Error {}

type Company = typeof companies.$inferSelect;
type Technology = typeof technologies.$inferSelect;
type RecordRow<K extends MergeKind> = K extends "company" ? Company : Technology;

const TABLES = {
  company: { table: companies, slugs: companySlugs, owner: companySlugs.companyId, label: "Company" },
  technology: {
    table: technologies,
    slugs: technologySlugs,
    owner: technologySlugs.technologyId,
    label: "Technology area",
  },
} as const;

/** The table of a kind of record, for code written once for both (their shared columns only). */
export const recordTable = (kind: MergeKind) => TABLES[kind].table as typeof companies;

/** The record a slug names now or named before; `redirect` is its current slug when they differ. */
export async function resolveSlug(kind: MergeKind, slug: string, db: Reader = getDb()) {
  const { table, slugs, owner } = TABLES[kind];
  const t = table as typeof companies;
  let [row] = await db.select({ id: t.id, slug: t.slug }).from(t).where(eq(t.slug, slug)).limit(1);
  if (!row)
    [row] = await db
      .select({ id: t.id, slug: t.slug })
      .from(slugs)
      .innerJoin(t, eq(t.id, owner))
      .where(eq(slugs.slug, slug))
      .limit(1);
  return row ? { ...row, redirect: row.slug !== slug ? row.slug : null } : undefined;
}

/**
 * The rows with these ids. Inside a write on PostgreSQL they are locked (`FOR UPDATE`, in id order so
 * two writes never wait on each other in a circle) until it commits, so a read-check-write holds
 * against a concurrent transaction; SQLite's writes already run one at a time.
 */
export async function lockRows<K extends MergeKind>(tx: Tx, kind: K, ids: number[]) {
  return rowsById(tx, kind, ids, true);
}

async function rowsById<K extends MergeKind>(db: Reader, kind: K, ids: number[], lock: boolean) {
  const t = recordTable(kind);
  const query = db.select().from(t).where(inArray(t.id, ids)).orderBy(asc(t.id));
  return (await (lock && isPg ? query.for("update") : query)) as RecordRow<K>[];
}

async function findId(tx: Reader, kind: MergeKind, name: string) {
  return kind === "company" ? await findCompanyId(tx, name) : await findTechnologyId(tx, name);
}

/** The merge target `into` names, refused with a field error when unknown or the source itself. */
export async function resolveMergeTarget(tx: Reader, kind: MergeKind, sourceId: number, into: string) {
  const targetId = await findId(tx, kind, into);
  const what = kind === "company" ? "company" : "technology area";
  if (!targetId) throw new InputError({ into: [`No ${what} called "${into}"`] });
  if (targetId === sourceId) throw new InputError({ into: [`Choose a different ${what} to merge into`] });
  return targetId;
}

/**
 * The record a write is about, locked (see lockRows), with the merge target when `into` is given.
 * A record merged away while this write waited for its lock is looked up again by its slug, which
 * now leads to the survivor: the same answer as if the writes had run one after the other.
 */
export async function lockForWrite<K extends MergeKind>(
  tx: Tx,
  kind: K,
  slug: string,
  into?: string,
): Promise<{ current: RecordRow<K>; targetId: number }> {
  for (let attempt = 0; ; attempt++) {
    const found = await resolveSlug(kind, slug, tx);
    if (!found) throw new NotFoundError(TABLES[kind].label);
    const targetId = into === undefined ? 0 : await resolveMergeTarget(tx, kind, found.id, into);
    const ids = targetId ? [found.id, targetId] : [found.id];
    const rows = await lockRows(tx, kind, ids);
    const current = rows.find((r) => r.id === found.id);
    if (current && rows.length === ids.length) return { current, targetId };
    if (attempt === 3) throw new NotFoundError(TABLES[kind].label);
  }
}

/** The record a read is about (no lock). */
export async function mustRecord<K extends MergeKind>(
  db: Reader,
  kind: K,
  slug: string,
): Promise<RecordRow<K>> {
  const found = await resolveSlug(kind, slug, db);
  if (!found) throw new NotFoundError(TABLES[kind].label);
  const [row] = await rowsById(db, kind, [found.id], false);
  if (!row) throw new NotFoundError(TABLES[kind].label);
  return row;
}

/** Would `parentId` as the parent of `selfId` make a loop (A → B → A)? One query up the ancestry. */
export async function makesCycle(tx: Reader, kind: MergeKind, selfId: number, parentId: number) {
  const table = sql.identifier(kind === "company" ? "companies" : "technologies");
  const { rows } = await tx.execute<{ id: number }>(sql`WITH RECURSIVE up(id) AS (
      SELECT CAST(${parentId} AS integer) UNION SELECT t.parent_id FROM ${table} t JOIN up ON t.id = up.id WHERE t.parent_id IS NOT NULL
    ) SELECT id FROM up WHERE id = ${selfId} LIMIT 1`);
  return rows.length > 0;
}

/** A record's name by id, for messages. */
export async function recordName(tx: Reader, kind: MergeKind, id: number) {
  const t = recordTable(kind);
  const [row] = await tx.select({ name: t.name }).from(t).where(eq(t.id, id)).limit(1);
  return row?.name ?? `#${id}`;
}

/**
 * Before a record takes `newSlug`: its current slug becomes a redirect, and a redirect `newSlug`
 * (its own, from before: uniqueSlug allows no other) is taken back.
 */
export async function moveSlug(
  tx: Tx,
  kind: MergeKind,
  current: { id: number; slug: string },
  newSlug: string,
) {
  const { slugs } = TABLES[kind];
  await tx.delete(slugs).where(eq(slugs.slug, newSlug));
  if (kind === "company") await tx.insert(companySlugs).values({ slug: current.slug, companyId: current.id });
  else await tx.insert(technologySlugs).values({ slug: current.slug, technologyId: current.id });
}

// ---------------------------------------------------------------------------------------------
// What a merge does to deals

export type DealSnapshots = Map<number, { version: number; snapshot: DealSnapshot }>;

export async function dealSnapshots(tx: Reader, ids: number[]): Promise<DealSnapshots> {
  if (!ids.length) return new Map();
  const loaded = await loadDeals(tx, ids);
  return new Map(loaded.map((d) => [d.id, { version: d.version, snapshot: snapshotOf(d) }]));
}

/** One revision per affected deal; its version stays, as only a company's or area's identity changed. */
export async function writeDealRevisions(
  tx: Tx,
  before: DealSnapshots,
  action: "merge" | "unmerge",
  actor: Actor | string,
) {
  const after = await dealSnapshots(tx, [...before.keys()]);
  for (const [id, was] of before) {
    await writeRevision(tx, id, was.version, action, actor, was.snapshot, after.get(id)?.snapshot ?? null);
  }
}

/** The deals of `ids` that `audience` may see, briefly: another team's confidential deal is left out. */
export async function briefs(db: Reader, ids: number[], audience: Audience): Promise<DealBrief[]> {
  if (!ids.length) return [];
  return db
    .select({
      id: deals.id,
      title: deals.title,
      announcedOn: deals.announcedOn,
      datePrecision: deals.datePrecision,
    })
    .from(deals)
    .where(and(inArray(deals.id, ids), visibleTo(audience)))
    .orderBy(asc(deals.announcedOn), asc(deals.id));
}

export const ref = (r: { id: number; name: string; slug: string }) => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
});

/** Seconds since 1970: how merge payloads (JSON) keep a record's timestamps. */
export const unix = (d: Date) => Math.floor(d.getTime() / 1000);

// ---------------------------------------------------------------------------------------------
// The merge log

export async function recordMerge(
  tx: Tx,
  kind: MergeKind,
  source: { id: number; name: string },
  target: { id: number; name: string },
  payload: unknown,
  actor: Actor | string,
) {
  const [row] = await tx
    .insert(merges)
    .values({
      kind,
      sourceId: source.id,
      sourceName: source.name,
      targetId: target.id,
      targetName: target.name,
      payload,
      ...actorColumns(actor),
    })
    .returning({ id: merges.id });
  return row!.id;
}
