import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeCompanies } from "@/db/companies";
import { createCompany } from "@/db/directory";
import { createDeal, deleteDeal } from "@/db/deal-writes";
import { createWebhook, listWebhooks } from "@/db/webhooks";
import { deliverDue, retryDelay } from "@/server/webhooks";
import { registerWebhook } from "@/server/webhook-endpoints";
import { InputError } from "@/db/errors";
import { webhookDeliveries, webhooks } from "@/db/schema";
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
  server.close();
});

/** Only the endpoints a test makes from here on receive anything. */
const disableAllEndpoints = () => testDb().write((tx) => tx.update(webhooks).set({ disabledAt: new Date() }));

const sign = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
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
    expect(signature).toBe(sign(secret, body));
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
    expect(received[0]!.signature).toBe(sign(secret, received[0]!.body));
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
});
