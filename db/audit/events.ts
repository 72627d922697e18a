import "server-only";
import { and, count, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import type { AuditKind } from "@/lib/enums";
import type { AuditQuery } from "@/lib/audit-query";
import { getDb, type Db, type Reader } from "../core/index";
import { auditEvents } from "../schema";
import type { Actor } from "./revisions";

// The security audit log. Recording happens after the action it records, outside its transaction,
// and never throws: an audit row that cannot be written is logged, and the action still succeeds.

export type AuditEntry = {
  /** Who acted: an actor, or the email tried for a failed sign-in. */
  actor: Actor | string;
  detail?: Record<string, unknown>;
  ip?: string | null;
};

// No view of deals reads these rows: writing them leaves cached dashboards valid.
const BOOKKEEPING = { bookkeeping: true };

/** Records an event; never fails the caller (the failure is logged instead). */
export async function recordAudit(kind: AuditKind, entry: AuditEntry, db: Db = getDb()): Promise<void> {
  const who = typeof entry.actor === "string" ? { name: entry.actor } : entry.actor;
  try {
    await db.write(
      (tx) =>
        tx.insert(auditEvents).values({
          at: new Date(),
          actor: who.name,
          actorUserId: who.userId ?? null,
          actorTokenId: who.tokenId ?? null,
          kind,
          detail: entry.detail ?? {},
          ip: entry.ip ?? null,
        }),
      BOOKKEEPING,
    );
  } catch (error) {
    console.error(`Could not record the audit event ${kind}:`, error);
  }
}

export type AuditFilters = Omit<AuditQuery, "page" | "pageSize">;

const DAY_MS = 24 * 60 * 60_000;

function where(f: AuditFilters): SQL | undefined {
  const parts: SQL[] = [];
  if (f.kind) parts.push(eq(auditEvents.kind, f.kind));
  if (f.user) parts.push(eq(auditEvents.actorUserId, f.user));
  if (f.from) parts.push(gte(auditEvents.at, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) parts.push(lt(auditEvents.at, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + DAY_MS)));
  return parts.length ? and(...parts) : undefined;
}

const columns = {
  at: auditEvents.at,
  actor: auditEvents.actor,
  kind: auditEvents.kind,
  detail: auditEvents.detail,
  ip: auditEvents.ip,
};

/** One page of events, newest first, and how many match in all. */
export async function listAuditEvents(q: AuditQuery, db: Reader = getDb()) {
  const filter = where(q);
  const [items, [total]] = await Promise.all([
    db
      .select(columns)
      .from(auditEvents)
      .where(filter)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(auditEvents).where(filter),
  ]);
  return { items, total: total?.n ?? 0 };
}

const CSV_BATCH = 1000;

/** Every matching event, newest first, a batch at a time (for the CSV export). */
export async function* auditEventBatches(f: AuditFilters, db: Reader = getDb()) {
  const filter = where(f);
  for (let offset = 0; ; offset += CSV_BATCH) {
    const rows = await db
      .select(columns)
      .from(auditEvents)
      .where(filter)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(CSV_BATCH)
      .offset(offset);
    if (rows.length) yield rows;
    if (rows.length < CSV_BATCH) return;
  }
}

/** The retention period: AUDIT_RETENTION_DAYS (default 365). */
export function auditRetentionDays(): number {
  const days = Number(process.env.AUDIT_RETENTION_DAYS ?? 365);
  return Number.isFinite(days) && days > 0 ? days : 365;
}

/**
 * Deletes up to `limit` events older than the retention period; returns how many. Batched, so
 * the write lock is never held for a whole year's backlog at once.
 */
export async function pruneAuditEvents(now: Date, limit: number, db: Db = getDb()): Promise<number> {
  const cutoff = new Date(now.getTime() - auditRetentionDays() * DAY_MS);
  return db.write(async (tx) => {
    const old = await tx
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(lt(auditEvents.at, cutoff))
      .limit(limit);
    if (!old.length) return 0;
    await tx.delete(auditEvents).where(
      inArray(
        auditEvents.id,
        old.map((row) => row.id),
      ),
    );
    return old.length;
  }, BOOKKEEPING);
}
