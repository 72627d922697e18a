import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lt, lte, notExists, sql } from "drizzle-orm";
import type { WebhookEvent } from "@/lib/enums";
import type { Actor } from "../audit/revisions";
import { affectedRows } from "../core/connection";
import { getDb, type Db, type Reader, type Tx } from "../core/index";
import { isPg } from "../core/dialect";
import { NotFoundError } from "../core/errors";
import { loadDeals } from "../deals/deals";
import { webhookDeliveries, webhookEvents, webhooks } from "../schema";

// The webhook outbox. Events are written by the transaction that makes the change (enqueueEvent
// takes that transaction), so they commit or roll back with it; the worker in server/webhooks.ts
// only ever reads committed rows. Nothing is written while no endpoint wants the event.

/** Subscribed, enabled endpoints for an event. */
async function subscribers(tx: Reader, event: WebhookEvent) {
  const hooks = await tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(isNull(webhooks.disabledAt));
  return hooks.filter((w) => w.events.includes(event));
}

/** Writes an event and one pending delivery per subscribed endpoint, inside the caller's transaction. */
export async function enqueueEvent(
  tx: Tx,
  event: WebhookEvent,
  actor: Actor | string,
  data: () => unknown | Promise<unknown>,
  only?: number,
): Promise<string | null> {
  const targets = (await subscribers(tx, event)).filter((w) => only === undefined || w.id === only);
  if (!targets.length) return null;
  const publicId = `evt_${randomUUID()}`;
  const now = new Date();
  const [{ id }] = (await tx
    .insert(webhookEvents)
    .values({
      publicId,
      event,
      actor: typeof actor === "string" ? actor : actor.name,
      occurredAt: now,
      data: await data(),
    })
    .returning({ id: webhookEvents.id })) as [{ id: number }];
  await tx
    .insert(webhookDeliveries)
    .values(targets.map((w) => ({ webhookId: w.id, eventId: id, nextAttemptAt: now })));
  return publicId;
}

const DEAL_EVENTS: Record<string, WebhookEvent> = {
  create: "deal.created",
  update: "deal.updated",
  merge: "deal.updated",
  unmerge: "deal.updated",
  delete: "deal.deleted",
  restore: "deal.restored",
};

/** The deal event of a revision, with the deal in its API shape (called where revisions are written). */
export async function enqueueDealEvent(tx: Tx, action: string, dealId: number, actor: Actor | string) {
  const event = DEAL_EVENTS[action];
  if (!event) return;
  await enqueueEvent(tx, event, actor, async () => ({
    deal: (await loadDeals(tx, [dealId]))[0] ?? { id: dealId },
  }));
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function createWebhook(
  input: { url: string; events: WebhookEvent[] },
  createdByUserId: string | null,
  db: Db = getDb(),
) {
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return db.write(async (tx) => {
    const [{ id }] = (await tx
      .insert(webhooks)
      .values({ url: input.url, events: input.events, secret, createdByUserId })
      .returning({ id: webhooks.id })) as [{ id: number }];
    return { id, secret };
  });
}

export async function deleteWebhook(id: number, db: Db = getDb()) {
  await db.write(async (tx) => {
    const gone = affectedRows(await tx.delete(webhooks).where(eq(webhooks.id, id)));
    if (!gone) throw new NotFoundError("Webhook");
  });
}

/** Every endpoint with its ten most recent deliveries (the secret is never listed). */
export async function listWebhooks(db: Reader = getDb()) {
  const hooks = await db.select().from(webhooks).orderBy(asc(webhooks.id));
  return Promise.all(
    hooks.map(async (w) => ({
      id: w.id,
      url: w.url,
      events: w.events,
      createdAt: iso(w.createdAt)!,
      failingSince: iso(w.failingSince),
      disabledAt: iso(w.disabledAt),
      deliveries: (
        await db
          .select({
            id: webhookDeliveries.id,
            event: webhookEvents.event,
            eventId: webhookEvents.publicId,
            status: webhookDeliveries.status,
            attempts: webhookDeliveries.attempts,
            lastStatusCode: webhookDeliveries.lastStatusCode,
            lastError: webhookDeliveries.lastError,
            nextAttemptAt: webhookDeliveries.nextAttemptAt,
            deliveredAt: webhookDeliveries.deliveredAt,
          })
          .from(webhookDeliveries)
          .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
          .where(eq(webhookDeliveries.webhookId, w.id))
          .orderBy(desc(webhookDeliveries.id))
          .limit(10)
      ).map((d) => ({ ...d, nextAttemptAt: iso(d.nextAttemptAt), deliveredAt: iso(d.deliveredAt) })),
    })),
  );
}

/** **Send test**: a `deal.created`-shaped ping to one endpoint only, through the same outbox. */
export async function sendTestEvent(id: number, actor: Actor | string, db: Db = getDb()) {
  return db.write(async (tx) => {
    const [hook] = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id));
    if (!hook) throw new NotFoundError("Webhook");
    // A test reaches a disabled endpoint too: that is how an admin checks it works again.
    const now = new Date();
    const publicId = `evt_${randomUUID()}`;
    const [{ id: eventId }] = (await tx
      .insert(webhookEvents)
      .values({
        publicId,
        event: "deal.created",
        actor: typeof actor === "string" ? actor : actor.name,
        occurredAt: now,
        data: { test: true, deal: null },
      })
      .returning({ id: webhookEvents.id })) as [{ id: number }];
    await tx.insert(webhookDeliveries).values({ webhookId: id, eventId, nextAttemptAt: now });
    return publicId;
  });
}

// ---------------------------------------------------------------------------------------------
// What the worker needs

export type DueDelivery = {
  id: number;
  attempts: number;
  webhookId: number;
  url: string;
  secret: string;
  body: string;
  occurredAt: Date;
};

/**
 * Claims up to `limit` due deliveries: their next attempt is pushed `leaseMs` ahead in the same
 * transaction, so a second worker (or a restart mid-send) does not send them twice at once. With
 * several app servers on one PostgreSQL, the due rows are taken `FOR UPDATE SKIP LOCKED`: a worker
 * claiming at the same moment skips the rows another holds instead of waiting for them and then
 * claiming them again; once the lease is committed they are no longer due. On SQLite the writes
 * are serial, which gives the same guarantee.
 */
export async function claimDueDeliveries(
  now: Date,
  leaseMs: number,
  limit = 20,
  db: Db = getDb(),
): Promise<DueDelivery[]> {
  return db.write(async (tx) => {
    const due = and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now));
    const order = [asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id)];
    const ids = isPg
      ? await tx
          .select({ id: webhookDeliveries.id })
          .from(webhookDeliveries)
          .where(due)
          .orderBy(...order)
          .limit(limit)
          .for("update", { skipLocked: true })
      : undefined;
    if (ids && !ids.length) return [];
    const rows = await tx
      .select({
        id: webhookDeliveries.id,
        attempts: webhookDeliveries.attempts,
        webhookId: webhooks.id,
        url: webhooks.url,
        secret: webhooks.secret,
        publicId: webhookEvents.publicId,
        event: webhookEvents.event,
        actor: webhookEvents.actor,
        occurredAt: webhookEvents.occurredAt,
        data: webhookEvents.data,
      })
      .from(webhookDeliveries)
      .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(
        ids
          ? inArray(
              webhookDeliveries.id,
              ids.map((r) => r.id),
            )
          : due,
      )
      .orderBy(...order)
      .limit(limit);
    if (rows.length)
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            webhookDeliveries.id,
            rows.map((r) => r.id),
          ),
        );
    return rows.map((r) => ({
      id: r.id,
      attempts: r.attempts,
      webhookId: r.webhookId,
      url: r.url,
      secret: r.secret,
      occurredAt: r.occurredAt,
      body: JSON.stringify({
        id: r.publicId,
        event: r.event,
        occurredAt: r.occurredAt.toISOString(),
        actor: r.actor,
        data: r.data,
      }),
    }));
  });
}

/** Gives up on a delivery after this long, and disables an endpoint failing this long. */
export const GIVE_UP_MS = 24 * 60 * 60 * 1000;

export async function recordDelivery(
  delivery: DueDelivery,
  outcome: { ok: true; status: number } | { ok: false; status?: number; error: string; retryAt: Date },
  now: Date,
  db: Db = getDb(),
): Promise<{ disabled: boolean }> {
  return db.write(async (tx) => {
    const attempts = delivery.attempts + 1;
    if (outcome.ok) {
      await tx
        .update(webhookDeliveries)
        .set({
          status: "delivered",
          attempts,
          lastStatusCode: outcome.status,
          lastError: null,
          deliveredAt: now,
        })
        .where(eq(webhookDeliveries.id, delivery.id));
      await tx.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, delivery.webhookId));
      return { disabled: false };
    }
    const expired = outcome.retryAt.getTime() - delivery.occurredAt.getTime() > GIVE_UP_MS;
    await tx
      .update(webhookDeliveries)
      .set({
        status: expired ? "failed" : "pending",
        attempts,
        lastStatusCode: outcome.status ?? null,
        lastError: outcome.error.slice(0, 500),
        nextAttemptAt: outcome.retryAt,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    // Locked on PostgreSQL: two servers recording failures of one endpoint at once agree on when
    // it began failing and disable it once.
    const hookQuery = tx.select().from(webhooks).where(eq(webhooks.id, delivery.webhookId));
    const [hook] = await (isPg ? hookQuery.for("update") : hookQuery);
    if (!hook) return { disabled: false };
    const since = hook.failingSince ?? now;
    const disable = !hook.disabledAt && now.getTime() - since.getTime() >= GIVE_UP_MS;
    await tx
      .update(webhooks)
      .set({ failingSince: since, ...(disable ? { disabledAt: now } : {}) })
      .where(eq(webhooks.id, delivery.webhookId));
    return { disabled: disable };
  });
}

/** Delivered and given-up events are kept this long, for the settings page and for support. */
export const KEEP_EVENTS_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Removes up to `limit` events older than 30 days that no delivery waits on any more (each was
 * delivered or given up, or its endpoint is gone), with their deliveries; returns how many.
 */
export async function pruneWebhookEvents(now: Date, limit: number, db: Db = getDb()): Promise<number> {
  return db.write(async (tx) => {
    const waiting = tx
      .select({ one: sql`1` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.eventId, webhookEvents.id), eq(webhookDeliveries.status, "pending")));
    const old = await tx
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(and(lt(webhookEvents.occurredAt, new Date(now.getTime() - KEEP_EVENTS_MS)), notExists(waiting)))
      .orderBy(asc(webhookEvents.id))
      .limit(limit);
    if (!old.length) return 0;
    const ids = old.map((r) => r.id);
    await tx.delete(webhookDeliveries).where(inArray(webhookDeliveries.eventId, ids));
    await tx.delete(webhookEvents).where(inArray(webhookEvents.id, ids));
    return ids.length;
  });
}
