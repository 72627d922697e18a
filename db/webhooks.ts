import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lte } from "drizzle-orm";
import type { WebhookEvent } from "@/lib/enums";
import { getDb, type Db } from "./index";
import { NotFoundError } from "./errors";
import { loadDeals } from "./deals";
import { type Reader } from "./connection";
import { webhookDeliveries, webhookEvents, webhooks } from "./schema";

// The webhook outbox. Events are written by the transaction that makes the change (enqueueEvent
// takes that transaction), so they commit or roll back with it; the worker in server/webhooks.ts
// only ever reads committed rows. Nothing is written while no endpoint wants the event.

type ActorLike = { name: string } | string;

/** Subscribed, enabled endpoints for an event. */
function subscribers(tx: Reader, event: WebhookEvent) {
  return tx
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(isNull(webhooks.disabledAt))
    .all()
    .filter((w) => w.events.includes(event));
}

/** Writes an event and one pending delivery per subscribed endpoint, inside the caller's transaction. */
export function enqueueEvent(
  tx: Reader,
  event: WebhookEvent,
  actor: ActorLike,
  data: () => unknown,
  only?: number,
): string | null {
  const targets = subscribers(tx, event).filter((w) => only === undefined || w.id === only);
  if (!targets.length) return null;
  const publicId = `evt_${randomUUID()}`;
  const now = new Date();
  const { id } = tx
    .insert(webhookEvents)
    .values({
      publicId,
      event,
      actor: typeof actor === "string" ? actor : actor.name,
      occurredAt: now,
      data: data(),
    })
    .returning({ id: webhookEvents.id })
    .get();
  tx.insert(webhookDeliveries)
    .values(targets.map((w) => ({ webhookId: w.id, eventId: id, nextAttemptAt: now })))
    .run();
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
export function enqueueDealEvent(tx: Reader, action: string, dealId: number, actor: ActorLike) {
  const event = DEAL_EVENTS[action];
  if (!event) return;
  enqueueEvent(tx, event, actor, () => ({ deal: loadDeals(tx, [dealId])[0] ?? { id: dealId } }));
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function createWebhook(
  input: { url: string; events: WebhookEvent[] },
  createdByUserId: string | null,
  db: Db = getDb(),
) {
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return db.transaction((tx) => {
    const { id } = tx
      .insert(webhooks)
      .values({ url: input.url, events: input.events, secret, createdByUserId })
      .returning({ id: webhooks.id })
      .get();
    return { id, secret };
  });
}

export function deleteWebhook(id: number, db: Db = getDb()) {
  db.transaction((tx) => {
    const gone = tx.delete(webhooks).where(eq(webhooks.id, id)).run();
    if (!gone.changes) throw new NotFoundError("Webhook");
  });
}

/** Every endpoint with its ten most recent deliveries (the secret is never listed). */
export function listWebhooks(db: Reader = getDb()) {
  return db
    .select()
    .from(webhooks)
    .orderBy(asc(webhooks.id))
    .all()
    .map((w) => ({
      id: w.id,
      url: w.url,
      events: w.events,
      createdAt: iso(w.createdAt)!,
      failingSince: iso(w.failingSince),
      disabledAt: iso(w.disabledAt),
      deliveries: db
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
        .all()
        .map((d) => ({ ...d, nextAttemptAt: iso(d.nextAttemptAt), deliveredAt: iso(d.deliveredAt) })),
    }));
}

/** **Send test**: a `deal.created`-shaped ping to one endpoint only, through the same outbox. */
export function sendTestEvent(id: number, actor: ActorLike, db: Db = getDb()) {
  return db.transaction((tx) => {
    const hook = tx.select().from(webhooks).where(eq(webhooks.id, id)).get();
    if (!hook) throw new NotFoundError("Webhook");
    // A test reaches a disabled endpoint too: that is how an admin checks it works again.
    const now = new Date();
    const publicId = `evt_${randomUUID()}`;
    const { id: eventId } = tx
      .insert(webhookEvents)
      .values({
        publicId,
        event: "deal.created",
        actor: typeof actor === "string" ? actor : actor.name,
        occurredAt: now,
        data: { test: true, deal: null },
      })
      .returning({ id: webhookEvents.id })
      .get();
    tx.insert(webhookDeliveries).values({ webhookId: id, eventId, nextAttemptAt: now }).run();
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
 * transaction, so a second worker (or a restart mid-send) does not send them twice at once.
 */
export function claimDueDeliveries(now: Date, leaseMs: number, limit = 20, db: Db = getDb()): DueDelivery[] {
  return db.transaction((tx) => {
    const rows = tx
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
      .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
      .limit(limit)
      .all();
    if (rows.length)
      tx.update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(
          inArray(
            webhookDeliveries.id,
            rows.map((r) => r.id),
          ),
        )
        .run();
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

export function recordDelivery(
  delivery: DueDelivery,
  outcome: { ok: true; status: number } | { ok: false; status?: number; error: string; retryAt: Date },
  now: Date,
  db: Db = getDb(),
): { disabled: boolean } {
  return db.transaction((tx) => {
    const attempts = delivery.attempts + 1;
    if (outcome.ok) {
      tx.update(webhookDeliveries)
        .set({
          status: "delivered",
          attempts,
          lastStatusCode: outcome.status,
          lastError: null,
          deliveredAt: now,
        })
        .where(eq(webhookDeliveries.id, delivery.id))
        .run();
      tx.update(webhooks).set({ failingSince: null }).where(eq(webhooks.id, delivery.webhookId)).run();
      return { disabled: false };
    }
    const expired = outcome.retryAt.getTime() - delivery.occurredAt.getTime() > GIVE_UP_MS;
    tx.update(webhookDeliveries)
      .set({
        status: expired ? "failed" : "pending",
        attempts,
        lastStatusCode: outcome.status ?? null,
        lastError: outcome.error.slice(0, 500),
        nextAttemptAt: outcome.retryAt,
      })
      .where(eq(webhookDeliveries.id, delivery.id))
      .run();
    const hook = tx.select().from(webhooks).where(eq(webhooks.id, delivery.webhookId)).get();
    if (!hook) return { disabled: false };
    const since = hook.failingSince ?? now;
    const disable = !hook.disabledAt && now.getTime() - since.getTime() >= GIVE_UP_MS;
    tx.update(webhooks)
      .set({ failingSince: since, ...(disable ? { disabledAt: now } : {}) })
      .where(eq(webhooks.id, delivery.webhookId))
      .run();
    return { disabled: disable };
  });
}
