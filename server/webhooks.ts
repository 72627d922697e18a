import "server-only";
import { startWorkerLoop } from "./worker-loop";
import { createHmac } from "node:crypto";
import { claimDueDeliveries, pruneWebhookEvents, recordDelivery } from "@/db/follow/webhooks";
import { pruneAuditEvents } from "@/db/audit/events";
import { postGuarded } from "./fetch-article";
import { plainHttpRefusal } from "./webhook-endpoints";

// The webhook worker: delivers the outbox (db/follow/webhooks.ts) in the server process, apart from the
// writes that filled it, so a slow receiver never slows a save. State lives in the database, so a
// restart carries on where it stopped; a delivery claimed by a worker that died is retried after
// its lease.

const LEASE_MS = 60_000;
const MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * `t=<unix seconds>,sha256=<lowercase hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`.
 * Signing the time with the body lets a receiver refuse a captured delivery replayed later
 * (docs/webhooks.md: 5 minutes' tolerance, repeats refused by the event's id). A contract.
 */
export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},sha256=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** The wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most an hour. */
export function retryDelay(attempts: number): number {
  const base = Number(process.env.WEBHOOK_RETRY_BASE_MS ?? 30_000);
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

/** Sends every due delivery once; returns how many were attempted. */
export async function deliverDue(now: () => Date = () => new Date()): Promise<number> {
  const due = await claimDueDeliveries(now(), LEASE_MS);
  await Promise.all(
    due.map(async (delivery) => {
      let outcome: Parameters<typeof recordDelivery>[1];
      try {
        // Checked again here: the allow-list may have shrunk since the endpoint was registered.
        const refusal = plainHttpRefusal(delivery.url);
        if (refusal) throw new Error(refusal);
        const { status } = await postGuarded(delivery.url, delivery.body, {
          "content-type": "application/json",
          "user-agent": "PartnershipAtlas-Webhooks/1.0",
          "x-atlas-signature": signature(delivery.secret, delivery.body, now()),
        });
        outcome =
          status >= 200 && status < 300
            ? { ok: true, status }
            : { ok: false, status, error: `HTTP ${status}`, retryAt: later(now(), delivery.attempts + 1) };
      } catch (error) {
        outcome = {
          ok: false,
          error: (error as Error).message,
          retryAt: later(now(), delivery.attempts + 1),
        };
      }
      const { disabled } = await recordDelivery(delivery, outcome, now());
      if (disabled) console.warn(`Webhook ${delivery.webhookId} disabled: it has failed for 24 hours.`);
    }),
  );
  return due.length;
}

const later = (now: Date, attempts: number) => new Date(now.getTime() + retryDelay(attempts));

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const PRUNE_BATCH = 500;
let nextPruneAt = 0;

/**
 * Removes one batch of webhook events kept past 30 days, and one of audit events kept past
 * AUDIT_RETENTION_DAYS, once every hour; a full batch means more are waiting, so the next call
 * takes the next batch rather than holding the write lock for all of them.
 */
export async function pruneWhenDue(now: Date = new Date(), batch = PRUNE_BATCH): Promise<number> {
  if (now.getTime() < nextPruneAt) return 0;
  const events = await pruneWebhookEvents(now, batch);
  const audit = await pruneAuditEvents(now, batch);
  nextPruneAt = events >= batch || audit >= batch ? 0 : now.getTime() + PRUNE_EVERY_MS;
  return events + audit;
}

/** Starts the once-a-second loop (once per process). */
export function startWebhookWorker(intervalMs = 1000): void {
  startWorkerLoop("Webhook delivery", intervalMs, () => deliverDue().then(() => pruneWhenDue()));
}
