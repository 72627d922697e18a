import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postWebhook } from "@/app/api/webhooks/route";
import { createApiToken } from "@/db/accounts/auth";
import { mergeCompanies } from "@/db/directory/companies";
import { createCompany } from "@/db/directory/directory";
import { createDeal, deleteDeal } from "@/db/deals/deal-writes";
import { createWebhook, listWebhooks, sendTestEvent } from "@/db/follow/webhooks";
import { deliverDue, pruneWhenDue, retryDelay } from "@/server/webhooks";
import { registerWebhook } from "@/server/webhook-endpoints";
import { InputError } from "@/db/core/errors";
import { webhookDeliveries, webhookEvents, webhooks } from "@/db/schema";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// Webhooks end to end on a real database and a real local receiver: the outbox is written with the
// change (or not at all), deliveries are signed, and a receiver that was down gets them later.

type Received = { body: string; signature: string | undefined };
let received: Received[] = [];
let answer = 200;
let server: http.Server;
let base = "";

beforeAll(async () => {
  testDb();
  process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
  process.env.WEBHOOK_ALLOW_HTTP_HOSTS = "127.0.0.1";
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (answer === 200) received.push({ body, signature: req.headers["x-atlas-signature"] as string });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  delete process.env.ALLOW_PRIVATE_URLS;
  delete process.env.WEBHOOK_ALLOW_HTTP_HOSTS;
  server.close();
});

/** Only the endpoints a test makes from here on receive anything. */
const disableAllEndpoints = () => testDb().write((tx) => tx.update(webhooks).set({ disabledAt: new Date() }));

/** A receiver's check, as docs/webhooks.md shows it: the format, the HMAC and 5 minutes' tolerance. */
function verify(secret: string, header: string | undefined, body: string): boolean {
  const match = /^t=(\d+),sha256=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return false;
  const [, t, hex] = match as unknown as [string, string, string];
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected) && Math.abs(Date.now() / 1000 - Number(t)) <= 300;
}
const outbox = async () => {
  const counts = await tableCounts();
  return { events: counts.webhook_events!, deliveries: counts.webhook_deliveries! };
};

describe("webhooks", () => {
  it("delivers a correctly signed deal.created with the deal in its API shape", async () => {
    received = [];
    const { secret } = await createWebhook({ url: `${base}/a`, events: ["deal.created"] }, null);
    const deal = await createDeal(dealFixture(), { actor: "Eddie Editor" });
    expect(await deliverDue()).toBe(1);
    expect(received).toHaveLength(1);
    const { body, signature } = received[0]!;
    expect(signature).toMatch(/^t=\d+,sha256=[0-9a-f]{64}$/);
    expect(verify(secret, signature, body)).toBe(true);
    expect(verify("whsec_someone-else", signature, body)).toBe(false);
    expect(verify(secret, signature, body.replace("deal.created", "deal.deleted"))).toBe(false);
    // The time is signed too: the same body under another time does not pass.
    const t = Number(/^t=(\d+)/.exec(signature!)![1]);
    expect(verify(secret, signature!.replace(`t=${t}`, `t=${t + 1}`), body)).toBe(false);
    const payload = JSON.parse(body);
    expect(payload).toMatchObject({
      event: "deal.created",
      actor: "Eddie Editor",
      data: { deal: { id: deal.id } },
    });
    expect(payload.id).toMatch(/^evt_/);
    expect(Date.parse(payload.occurredAt)).not.toBeNaN();
    expect(payload.data.deal.parties).toHaveLength(2);
    // Delivered once: nothing is due any more.
    expect(await deliverDue()).toBe(0);
  });

  it("writes the outbox with the change: a rolled-back write leaves no event", async () => {
    await createWebhook({ url: `${base}/b`, events: ["deal.created", "deal.deleted"] }, null);
    const before = await outbox();
    await expect(createDeal(dealFixture({ expandsDealId: 999_999_999 }), { actor: "x" })).rejects.toThrow();
    expect(await outbox()).toEqual(before);
    // A failure after the deal and its event were written rolls both back.
    await expect(
      testDb().write(async () => {
        await createDeal(dealFixture(), { actor: "x" }, testDb());
        throw new Error("after the write");
      }),
    ).rejects.toThrow("after the write");
    expect(await outbox()).toEqual(before);
    const deal = await createDeal(dealFixture(), { actor: "x" });
    const after = await outbox();
    expect(after.events).toBe(before.events + 1);
    await deleteDeal(deal.id, { actor: "x" });
    expect((await outbox()).events).toBe(after.events + 1);
  });

  it("company.merged is queued by the merge", async () => {
    const hook = await createWebhook({ url: `${base}/c`, events: ["company.merged"] }, null);
    const company = async () =>
      await createCompany({
        name: unique("Hook firm"),
        aliases: [],
        country: null,
        sector: null,
        website: null,
        parent: null,
      });
    await mergeCompanies((await company()).slug, (await company()).slug, "x");
    const listed = (await listWebhooks()).find((w) => w.id === hook.id)!;
    expect(listed.deliveries.map((d) => d.event)).toEqual(["company.merged"]);
  });

  it("retries with exponential backoff while the receiver is down, then delivers the missed events", async () => {
    // Only this test's endpoint from here on.
    await disableAllEndpoints();
    await testDb().write((tx) =>
      tx.update(webhookDeliveries).set({ status: "failed" }).where(eq(webhookDeliveries.status, "pending")),
    );
    const { id, secret } = await createWebhook({ url: `${base}/d`, events: ["deal.created"] }, null);
    received = [];
    answer = 503;
    const deal = await createDeal(dealFixture(), { actor: "x" });
    let now = Date.now();
    const clock = () => new Date(now);
    expect(await deliverDue(clock)).toBe(1);
    expect(await deliverDue(clock)).toBe(0); // not due yet: the backoff holds it
    const first = (await listWebhooks()).find((w) => w.id === id)!.deliveries[0]!;
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503 });
    expect(Date.parse(first.nextAttemptAt!) - now).toBe(retryDelay(1));
    now += retryDelay(1);
    expect(await deliverDue(clock)).toBe(1);
    const second = (await listWebhooks()).find((w) => w.id === id)!.deliveries[0]!;
    expect(Date.parse(second.nextAttemptAt!) - now).toBe(retryDelay(2));
    expect(retryDelay(2)).toBe(2 * retryDelay(1));
    expect((await listWebhooks()).find((w) => w.id === id)!.failingSince).not.toBeNull();

    answer = 200;
    now += retryDelay(2);
    expect(await deliverDue(clock)).toBe(1);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body).data.deal.id).toBe(deal.id);
    expect(verify(secret, received[0]!.signature, received[0]!.body)).toBe(true);
    const hook = (await listWebhooks()).find((w) => w.id === id)!;
    expect(hook.deliveries[0]).toMatchObject({ status: "delivered", attempts: 3 });
    expect(hook.failingSince).toBeNull();
  });

  it("gives up after 24 hours and disables an endpoint failing that long", async () => {
    await disableAllEndpoints();
    const { id } = await createWebhook({ url: `${base}/e`, events: ["deal.created"] }, null);
    answer = 500;
    await createDeal(dealFixture(), { actor: "x" });
    let now = Date.now();
    const clock = () => new Date(now);
    await deliverDue(clock);
    now += 25 * 60 * 60 * 1000;
    await deliverDue(clock);
    const hook = (await listWebhooks()).find((w) => w.id === id)!;
    expect(hook.deliveries[0]!.status).toBe("failed");
    expect(hook.disabledAt).not.toBeNull();
    answer = 200;
  });

  it("refuses private addresses at registration unless ALLOW_PRIVATE_URLS names them", async () => {
    delete process.env.ALLOW_PRIVATE_URLS;
    try {
      await expect(
        registerWebhook({ url: "http://10.0.0.8/hook", events: ["deal.created"] }, null),
      ).rejects.toThrow(InputError);
      await expect(registerWebhook({ url: `${base}/f`, events: ["deal.created"] }, null)).rejects.toThrow(
        InputError,
      );
    } finally {
      process.env.ALLOW_PRIVATE_URLS = "127.0.0.1";
    }
    await expect(
      registerWebhook({ url: `${base}/f`, events: ["deal.created"] }, null),
    ).resolves.toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
    });
  });

  it("refuses http:// endpoints unless WEBHOOK_ALLOW_HTTP_HOSTS names the host, at registration and at delivery", async () => {
    const events = ["deal.created"] as const;
    delete process.env.WEBHOOK_ALLOW_HTTP_HOSTS;
    try {
      const error = await registerWebhook({ url: `${base}/g`, events: [...events] }, null).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).fieldErrors).toEqual({ url: [expect.stringMatching(/https:\/\//)] });

      // The API answers 400 with the error on `url`.
      const { secret: token } = await createApiToken({ name: unique("hooks"), role: "admin" });
      const response = await postWebhook(
        new Request("http://localhost/api/webhooks", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ url: `${base}/g`, events }),
        }),
      );
      expect(response.status).toBe(400);
      expect((await response.json()).fieldErrors).toEqual({
        url: [expect.stringContaining("WEBHOOK_ALLOW_HTTP_HOSTS")],
      });

      // https:// passes this check (the address guard still applies).
      await expect(
        registerWebhook({ url: `https://127.0.0.1:1/g`, events: [...events] }, null),
      ).resolves.toMatchObject({ secret: expect.stringMatching(/^whsec_/) });

      // An endpoint registered while http:// was allowed gets nothing once it is not.
      await disableAllEndpoints();
      const { id } = await createWebhook({ url: `${base}/g`, events: [...events] }, null);
      received = [];
      await createDeal(dealFixture(), { actor: "x" });
      expect(await deliverDue()).toBe(1);
      expect(received).toEqual([]);
      const delivery = (await listWebhooks()).find((w) => w.id === id)!.deliveries[0]!;
      expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
      expect(delivery.lastError).toContain("WEBHOOK_ALLOW_HTTP_HOSTS");
    } finally {
      process.env.WEBHOOK_ALLOW_HTTP_HOSTS = "127.0.0.1";
    }
    await expect(registerWebhook({ url: `${base}/g`, events: [...events] }, null)).resolves.toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
    });
  });

  it("the worker prunes events delivered or given up more than 30 days ago, in bounded batches", async () => {
    await disableAllEndpoints();
    const { id: hook } = await createWebhook({ url: `${base}/h`, events: ["deal.created"] }, null);
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    // One event per case; each gets its age and its deliveries' states below.
    const cases = {
      deliveredLongAgo: { age: 31 * day, statuses: ["delivered"] },
      givenUpLongAgo: { age: 40 * day, statuses: ["failed"] },
      mixedLongAgo: { age: 35 * day, statuses: ["delivered", "failed"] },
      stillPending: { age: 31 * day, statuses: ["pending"] },
      partlyPending: { age: 31 * day, statuses: ["delivered", "pending"] },
      deliveredRecently: { age: 29 * day, statuses: ["delivered"] },
    } as const;
    const eventIds: Record<string, number> = {};
    for (const [name, { age, statuses }] of Object.entries(cases)) {
      const publicId = await sendTestEvent(hook, "x");
      await testDb().write(async (tx) => {
        const [event] = await tx
          .update(webhookEvents)
          .set({ occurredAt: new Date(now - age) })
          .where(eq(webhookEvents.publicId, publicId))
          .returning({ id: webhookEvents.id });
        eventIds[name] = event!.id;
        await tx
          .update(webhookDeliveries)
          .set({ status: statuses[0] })
          .where(eq(webhookDeliveries.eventId, event!.id));
        for (const status of statuses.slice(1))
          await tx
            .insert(webhookDeliveries)
            .values({ webhookId: hook, eventId: event!.id, status, nextAttemptAt: new Date(now - age) });
      });
    }
    const remaining = async () => {
      const ids = Object.values(eventIds);
      const rows = await testDb()
        .select({ id: webhookEvents.id })
        .from(webhookEvents)
        .where(inArray(webhookEvents.id, ids));
      const deliveries = await testDb()
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.eventId, ids));
      const kept = new Set(rows.map((r) => r.id));
      return {
        events: Object.keys(eventIds).filter((name) => kept.has(eventIds[name]!)),
        deliveries: deliveries.length,
      };
    };
    expect((await remaining()).deliveries).toBe(8);

    // Batches of two: three prunable events take two passes; the worker then waits an hour.
    expect(await pruneWhenDue(new Date(now), 2)).toBe(2);
    expect(await pruneWhenDue(new Date(now), 2)).toBe(1);
    expect(await pruneWhenDue(new Date(now + 1000), 2)).toBe(0);
    expect(await remaining()).toEqual({
      events: ["stillPending", "partlyPending", "deliveredRecently"],
      deliveries: 4,
    });
    // Two days on, the recent one is past 30 days too; the pending ones stay until they are settled.
    expect(await pruneWhenDue(new Date(now + 2 * day), 2)).toBe(1);
    expect((await remaining()).events).toEqual(["stillPending", "partlyPending"]);
  });
});
