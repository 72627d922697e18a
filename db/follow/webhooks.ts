import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lt, lte, notExists, sql } from "drizzle-orm";
import type { WebhookEvent } from "@/lib/enums";
import type { Actor } from "../audit/revisions";
import { affectedRows } from "../core/connection";
import { getDb, type Db, type Reader, type Tx } from "../core/index";
import { isPg } from "../core/dialect";
import { InputError, NotFoundError } from "../core/errors";
import { loadDeals } from "../deals/deals";
import type { DealVisibility } from "@/lib/validation";
import type { WebhookPatch } from "@/lib/webhook-input";
import { deals, revisions, teams, webhookDeliveries, webhookEvents, webhooks } from "../schema";

// The webhook outbox. Events are written by the transaction that makes the change (enqueueEvent
// takes that transaction), so they commit or roll back with it; the worker in server/webhooks.ts
// only ever reads committed rows. Nothing is written while no endpoint wants the event.

type Endpoint = { id: number; events: string[]; teamId: number | null };

/** Every enabled endpoint, with the team whose confidential deals it also receives. */
async function enabledEndpoints(tx: Reader): Promise<Endpoint[]> {
  return tx
    .select({ id: webhooks.id, events: webhooks.events, teamId: webhooks.teamId })
    .from(webhooks)
    .where(isNull(webhooks.disabledAt));
}

/** Writes an event and one pending delivery to each endpoint, inside the caller's transaction. */
async function writeEvent(
  tx: Tx,
  event: WebhookEvent,
  actor: Actor | string,
  data: unknown,
  endpointIds: number[],
): Promise<string> {
  const publicId = `evt_${randomUUID()}`;
  const now = new Date();
  const [{ id }] = (await tx
    .insert(webhookEvents)
    .values({ publicId, event, actor: typeof actor === "string" ? actor : actor.name, occurredAt: now, data })
    .returning({ id: webhookEvents.id })) as [{ id: number }];
  await tx
    .insert(webhookDeliveries)
    .values(endpointIds.map((webhookId) => ({ webhookId, eventId: id, nextAttemptAt: now })));
  return publicId;
}

/**
 * Writes an event and one pending delivery per subscribed endpoint, inside the caller's transaction.
 * For events that name no deal (company.merged, import.completed); a deal's go through
 * enqueueDealEvent, which leaves out endpoints that may not see it.
 */
export async function enqueueEvent(
  tx: Tx,
  event: WebhookEvent,
  actor: Actor | string,
  data: () => unknown | Promise<unknown>,
  only?: number,
): Promise<string | null> {
  const targets = (await enabledEndpoints(tx)).filter(
    (w) => w.events.includes(event) && (only === undefined || w.id === only),
  );
  if (!targets.length) return null;
  return writeEvent(
    tx,
    event,
    actor,
    await data(),
    targets.map((w) => w.id),
  );
}

const DEAL_EVENTS: Record<string, WebhookEvent> = {
  create: "deal.created",
  update: "deal.updated",
  merge: "deal.updated",
  unmerge: "deal.updated",
  delete: "deal.deleted",
  restore: "deal.restored",
};

/**
 * The deal's team now and before this change (null: everyone's), read inside the writing
 * transaction: `deals.team_id`, and the visibility in the `before` of the revision just written (a
 * new deal's revision has no `before`, a snapshot older than issue 25 no visibility: unchanged).
 */
async function dealTeams(tx: Tx, dealId: number): Promise<{ before: number | null; after: number | null }> {
  const [deal] = await tx.select({ teamId: deals.teamId }).from(deals).where(eq(deals.id, dealId));
  const after = deal?.teamId ?? null;
  const [revision] = await tx
    .select({ before: revisions.before })
    .from(revisions)
    .where(eq(revisions.dealId, dealId))
    .orderBy(desc(revisions.id))
    .limit(1);
  const visibility = (revision?.before as { visibility?: DealVisibility } | null)?.visibility;
  if (visibility === undefined) return { before: after, after };
  if (visibility === "everyone") return { before: null, after };
  const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, visibility.team));
  return { before: team?.id ?? null, after };
}

/** Whether an endpoint (registered for `endpointTeam`, or null) may see a deal of `dealTeam`. */
const endpointSees = (endpointTeam: number | null, dealTeam: number | null) =>
  dealTeam === null || dealTeam === endpointTeam;

/**
 * The deal event of a revision, with the deal in its API shape (called where revisions are written),
 * to each subscribed endpoint that may see the deal as it is now (issue 25): a public one gets
 * public deals, a team's gets public deals and that team's. When the change moves the deal across
 * what an endpoint sees, the endpoint gets what a receiver keeping a copy of "the deals I get"
 * already handles, rather than an update it could not place:
 * - out of its sight (public → confidential, or to another team): `deal.deleted` with the id only,
 *   so the copy goes and nothing of the new, confidential content leaves;
 * - into its sight (confidential → public): `deal.created` with the whole deal, as it has never
 *   seen it.
 * Either goes only to endpoints subscribed to that event, as any event does.
 */
export async function enqueueDealEvent(tx: Tx, action: string, dealId: number, actor: Actor | string) {
  const event = DEAL_EVENTS[action];
  if (!event) return;
  const endpoints = await enabledEndpoints(tx);
  if (!endpoints.length) return;
  const { before, after } = await dealTeams(tx, dealId);
  // Endpoints the deal just left get the id only, so their event is written apart.
  const groups = new Map<string, { sent: WebhookEvent; idOnly: boolean; ids: number[] }>();
  for (const w of endpoints) {
    const seesNow = endpointSees(w.teamId, after);
    const saw = endpointSees(w.teamId, before);
    const sent: WebhookEvent | null = seesNow ? (saw ? event : "deal.created") : saw ? "deal.deleted" : null;
    if (!sent || !w.events.includes(sent)) continue;
    const key = `${sent}:${!seesNow}`;
    const group = groups.get(key) ?? { sent, idOnly: !seesNow, ids: [] };
    group.ids.push(w.id);
    groups.set(key, group);
  }
  let deal: unknown;
  for (const { sent, idOnly, ids } of groups.values()) {
    deal ??= idOnly ? undefined : ((await loadDeals(tx, [dealId]))[0] ?? { id: dealId });
    await writeEvent(tx, sent, actor, { deal: idOnly ? { id: dealId } : deal }, ids);
  }
}

/**
 * enqueueDealEvent of many new deals at once (an import), with their teams: each one's
 * `deal.created` to every subscribed endpoint that may see it, in two statements for all.
 */
export async function enqueueCreatedDeals(
  tx: Tx,
  created: { deal: { id: number }; teamId: number | null }[],
  actor: Actor | string,
): Promise<void> {
  const endpoints = (await enabledEndpoints(tx)).filter((w) => w.events.includes("deal.created"));
  if (!endpoints.length) return;
  const now = new Date();
  const events = created.flatMap(({ deal, teamId }) => {
    const ids = endpoints.filter((w) => endpointSees(w.teamId, teamId)).map((w) => w.id);
    return ids.length ? [{ publicId: `evt_${randomUUID()}`, deal, ids }] : [];
  });
  if (!events.length) return;
  const written = await tx
    .insert(webhookEvents)
    .values(
      events.map(({ publicId, deal }) => ({
        publicId,
        event: "deal.created" as const,
        actor: typeof actor === "string" ? actor : actor.name,
        occurredAt: now,
        data: { deal },
      })),
    )
    .returning({ id: webhookEvents.id, publicId: webhookEvents.publicId });
  const idOf = new Map(written.map((e) => [e.publicId, e.id]));
  await tx
    .insert(webhookDeliveries)
    .values(
      events.flatMap((e) =>
        e.ids.map((webhookId) => ({ webhookId, eventId: idOf.get(e.publicId)!, nextAttemptAt: now })),
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The id of the team an endpoint is registered for, by slug; an unknown slug is a field error. */
async function teamIdOf(tx: Tx, slug: string | null): Promise<number | null> {
  if (slug === null) return null;
  const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
  if (!team) throw new InputError({ team: [`There is no team "${slug}"`] });
  return team.id;
}

export async function createWebhook(
  input: { url: string; events: WebhookEvent[]; team?: string | null },
  createdByUserId: string | null,
  db: Db = getDb(),
) {
  const secret = `whsec_${randomBytes(24).toString("base64url")}`;
  return db.write(async (tx) => {
    const teamId = await teamIdOf(tx, input.team ?? null);
    const [{ id }] = (await tx
      .insert(webhooks)
      .values({ url: input.url, events: input.events, secret, createdByUserId, teamId })
      .returning({ id: webhooks.id })) as [{ id: number }];
    return { id, secret, team: input.team ?? null };
  });
}

/**
 * Changes an endpoint's events and/or team. Deliveries already queued stay as they are: each was
 * decided by what the endpoint might see when its event happened.
 */
export async function updateWebhook(id: number, patch: WebhookPatch, db: Db = getDb()) {
  await db.write(async (tx) => {
    const set = {
      ...(patch.events !== undefined && { events: patch.events }),
      ...(patch.team !== undefined && { teamId: await teamIdOf(tx, patch.team) }),
    };
    const gone = !affectedRows(await tx.update(webhooks).set(set).where(eq(webhooks.id, id)));
    if (gone) throw new NotFoundError("Webhook");
  });
  return (await listWebhooks(db, id))[0]!;
}

export async function deleteWebhook(id: number, db: Db = getDb()) {
  await db.write(async (tx) => {
    const gone = affectedRows(await tx.delete(webhooks).where(eq(webhooks.id, id)));
    if (!gone) throw new NotFoundError("Webhook");
  });
}

/** Every endpoint (or one) with its ten most recent deliveries (the secret is never listed). */
export async function listWebhooks(db: Reader = getDb(), only?: number) {
  const hooks = await db
    .select({
      id: webhooks.id,
      url: webhooks.url,
      events: webhooks.events,
      team: teams.slug,
      createdAt: webhooks.createdAt,
      failingSince: webhooks.failingSince,
      disabledAt: webhooks.disabledAt,
    })
    .from(webhooks)
    .leftJoin(teams, eq(teams.id, webhooks.teamId))
    .where(only === undefined ? undefined : eq(webhooks.id, only))
    .orderBy(asc(webhooks.id));
  return Promise.all(
    hooks.map(async (w) => ({
      id: w.id,
      url: w.url,
      events: w.events,
      team: w.team,
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
