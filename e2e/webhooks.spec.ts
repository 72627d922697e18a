import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { storageState } from "./accounts";
import { createDeal } from "./fixtures";

// An admin registers a local receiver (a plain http:// one not allowed is refused on the field); it
// gets a correctly signed deal.created, and after being down for a while gets the deliveries it
// missed once it is back.

test.use({ storageState: storageState("admin") });

type Delivery = { body: string; signature: string };

function receiver() {
  const got: Delivery[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      got.push({ body, signature: String(req.headers["x-atlas-signature"]) });
      res.end("ok");
    });
  });
  return {
    got,
    listen: (port = 0) =>
      new Promise<number>((resolve) =>
        server.listen(port, "127.0.0.2", () => resolve((server.address() as AddressInfo).port)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const dealIds = (got: Delivery[]) =>
  got
    .map((d) => JSON.parse(d.body))
    .filter((p) => p.event === "deal.created")
    .map((p) => p.data.deal?.id);

test("a local receiver gets signed deliveries, and the missed ones after it was down", async ({
  page,
  request,
}) => {
  const hook = receiver();
  const port = await hook.listen();
  const url = `http://127.0.0.2:${port}/atlas`;

  await page.goto("/settings/webhooks");
  // Plain http:// only for hosts WEBHOOK_ALLOW_HTTP_HOSTS names (127.0.0.2 here, not 127.0.0.3).
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.3/atlas");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText(/Use an https:\/\/ address/)).toBeVisible();
  await expect(page.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = await page.getByLabel("Signing secret").inputValue();
  expect(secret).toMatch(/^whsec_/);

  const first = await createDeal(request);
  await expect.poll(() => dealIds(hook.got), { timeout: 15_000 }).toContain(first.id);
  const delivery = hook.got.find((d) => JSON.parse(d.body).data.deal?.id === first.id)!;
  const t = /^t=(\d+),sha256=[0-9a-f]{64}$/.exec(delivery.signature)?.[1];
  expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
  expect(delivery.signature).toBe(
    `t=${t},sha256=${createHmac("sha256", secret).update(`${t}.${delivery.body}`).digest("hex")}`,
  );

  // Down: the delivery fails and waits; back up: it arrives.
  await hook.close();
  const missed = await createDeal(request);
  await page.waitForTimeout(2_000);
  await page.reload();
  await expect(
    page
      .getByRole("region", { name: `Recent deliveries to ${url}` })
      .getByRole("cell", { name: "pending" })
      .first(),
  ).toBeVisible();
  await hook.listen(port);
  await expect.poll(() => dealIds(hook.got), { timeout: 30_000 }).toContain(missed.id);

  await page.reload();
  await page.getByRole("button", { name: `Delete ${url}` }).click();
  await expect(page.getByRole("heading", { name: url })).toHaveCount(0);
  await hook.close();
});
