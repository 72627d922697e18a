import "server-only";
import { viewerOfUser } from "@/db/accounts/visibility";
import { startWorkerLoop } from "./worker-loop";
import nodemailer, { type Transporter } from "nodemailer";
import {
  claimDueDigests,
  draftDigest,
  recordDigest,
  renewDigestClaim,
  scheduleDigests,
  type DigestOutcome,
  type DueDigest,
} from "@/db/follow/digests";
import type { Db } from "@/db/core/index";
import { getDb } from "@/db/core/index";
import { digestHtml, digestSubject, digestText, type DigestContent } from "@/lib/digest-email";
import { dealFilters } from "@/lib/filters";
import { scopesForRole } from "@/lib/scopes";
import { renderChartPng } from "./chart-image";
import { signValue, verifySignedValue } from "./auth/signed";

// The digest worker: queues each user's digest when their period turns and sends the queue over
// SMTP (SMTP_URL, MAIL_FROM), in the server process like the webhook worker. State lives in the
// database (db/follow/digests.ts), so a restart carries on, and a digest claimed by a server that
// died is tried again after its lease.

/** How long a server's claim on a digest holds (DIGEST_LEASE_MS, for tests; two minutes). */
const leaseMs = () => Number(process.env.DIGEST_LEASE_MS ?? 120_000);
const MAX_DELAY_MS = 60 * 60 * 1000;
/** After this many failed attempts (about a day with the default backoff) a digest is given up. */
export const MAX_ATTEMPTS = 10;

/** Whether this server can send e-mail at all. */
export const mailConfigured = () => Boolean(process.env.SMTP_URL);

/** The wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most an hour. */
export function digestRetryDelay(attempts: number): number {
  const base = Number(process.env.DIGEST_RETRY_BASE_MS ?? 60_000);
  return Math.min(base * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

const origin = () => (process.env.APP_URL ?? "http://localhost:3000").replace(/\/$/, "");

// ---------------------------------------------------------------------------------------------
// One-click unsubscribe (RFC 8058): the link carries the user signed with the session secret, so it
// works without signing in and cannot be made for someone else. It lasts long past any digest.

const UNSUBSCRIBE = "digest-unsubscribe";
const UNSUBSCRIBE_DAYS = 400;

export function unsubscribeToken(userId: string, now = Date.now()): string {
  return signValue(UNSUBSCRIBE, Buffer.from(userId).toString("base64url"), UNSUBSCRIBE_DAYS * 86_400, now);
}

/** The user an unsubscribe token was made for, or null when it is forged, altered or expired. */
export function userOfUnsubscribeToken(token: string): string | null {
  if (token.length > 300) return null;
  const value = verifySignedValue(UNSUBSCRIBE, token);
  return value ? Buffer.from(value, "base64url").toString() : null;
}

export const unsubscribeUrl = (userId: string) =>
  `${origin()}/api/digest/unsubscribe?token=${encodeURIComponent(unsubscribeToken(userId))}`;

// ---------------------------------------------------------------------------------------------

let transport: { key: string; send: Transporter } | undefined;
function mailer(): Transporter {
  const url = process.env.SMTP_URL!;
  // A send must end inside its claim: with nodemailer's own limits (a socket may stay silent for 10
  // minutes) a stalled SMTP server would let the claim run out, and another server send it again.
  const limit = leaseMs() / 4;
  const key = `${url} ${limit}`;
  if (transport?.key !== key)
    transport = {
      key,
      send: nodemailer.createTransport({
        url,
        connectionTimeout: limit,
        greetingTimeout: limit,
        socketTimeout: limit,
      }),
    };
  return transport.send;
}

const CHART_CID = "digest-chart@partnership-atlas";

/** Builds and sends one claimed digest; answers what to record. */
async function sendOne(send: DueDigest, db: Db, now: Date): Promise<DigestOutcome> {
  const draft = await draftDigest(send, db);
  if (!draft) return { status: "failed", error: "The user is gone or deactivated", retryAt: now };
  if (!send.test && draft.changes === 0) return { status: "empty", changes: 0, upTo: draft.upTo };
  const { user } = draft;
  let chart: Buffer | null = null;
  try {
    chart = await renderChartPng(
      {
        widget: "deals-over-time",
        filters: draft.chartFilters ?? dealFilters.parse({}),
        options: { interval: "auto" },
        width: 600,
        height: 300,
        scale: 2,
      },
      {
        kind: "user",
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        scopes: scopesForRole(user.role),
        actor: { name: user.name, userId: user.id },
        viewer: await viewerOfUser(user, db),
      },
    );
  } catch (error) {
    // A digest without its chart is better than none.
    console.error("Digest chart failed:", error);
  }
  const content: DigestContent = {
    userName: user.name,
    frequency: draft.frequency,
    groups: draft.groups,
    changes: draft.changes,
    origin: origin(),
    settingsUrl: `${origin()}/settings/digest`,
    unsubscribeUrl: unsubscribeUrl(user.id),
    chartCid: chart ? CHART_CID : null,
    chartLabel: draft.chartFilters
      ? `Deals over time: ${draft.groups[0]?.label ?? "your watches"}`
      : "Deals over time: all deals",
  };
  await mailer().sendMail({
    from: process.env.MAIL_FROM ?? "Partnership Atlas <atlas@localhost>",
    to: { name: user.name, address: user.email },
    subject: digestSubject(content),
    text: digestText(content),
    html: digestHtml(content),
    attachments: chart
      ? [{ filename: "chart.png", content: chart, contentType: "image/png", cid: CHART_CID }]
      : [],
    list: { unsubscribe: { url: content.unsubscribeUrl, comment: "Unsubscribe from digests" } },
    headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  });
  return { status: "sent", changes: draft.changes, upTo: draft.upTo };
}

/**
 * One pass: queues the digests whose period turned and sends every due one; returns how many were
 * attempted. `db` is a parameter so a test can run two servers' workers on one database.
 */
export async function runDigests(now: () => Date = () => new Date(), db: Db = getDb()): Promise<number> {
  if (!mailConfigured()) return 0;
  await scheduleDigests(now(), db);
  const due = await claimDueDigests(now(), leaseMs(), 10, db);
  await sendClaimedDigests(due, now, db);
  return due.length;
}

/** Sends the digests this server claimed, one after another, each only while its claim holds. */
export async function sendClaimedDigests(due: DueDigest[], now: () => Date, db: Db): Promise<void> {
  for (const claimed of due) {
    const send = await renewDigestClaim(claimed, now(), leaseMs(), db);
    if (!send) continue;
    let outcome: DigestOutcome;
    try {
      outcome = await sendOne(send, db, now());
    } catch (error) {
      const attempts = send.attempts + 1;
      outcome = {
        status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
        error: (error as Error).message,
        retryAt: new Date(now().getTime() + digestRetryDelay(attempts)),
      };
      console.warn(`Digest ${send.id} not sent (attempt ${attempts}):`, (error as Error).message);
    }
    await recordDigest(send, outcome, now(), db);
  }
}

/** Starts the loop (once per process); a test digest goes out within one interval. */
export function startDigestWorker(intervalMs = 5000): void {
  if (mailConfigured()) startWorkerLoop("Digest worker", intervalMs, () => runDigests());
}
