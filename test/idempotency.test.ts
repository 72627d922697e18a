import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as importRoute from "@/app/api/import/route";
import { createApiToken } from "@/db/accounts/auth";
import { writeOnce } from "@/db/core/idempotency";
import { createDeal } from "@/db/deals/deal-writes";
import { idempotencyKeys } from "@/db/schema";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// Idempotency-Key on POST /api/deals and POST /api/import, on a real SQLite file.

let token = "";
let otherToken = "";
const post = (body: unknown, key?: string, secret = token) =>
  dealsRoute.POST(
    new Request("http://localhost/api/deals", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${secret}`,
        ...(key === undefined ? {} : { "idempotency-key": key }),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

function deal(title = unique("Idempotent deal")) {
  return {
    title,
    announcedOn: "2024-02-01",
    types: ["mou"],
    binding: "non_binding",
    parties: [
      { company: unique("Idem Alpha"), role: "partner" },
      { company: unique("Idem Beta"), role: "partner" },
    ],
    sources: [{ url: "https://example.org/idem" }],
  };
}

const dealCount = async () => (await tableCounts()).deals!;

beforeAll(async () => {
  testDb();
  token = (await createApiToken({ name: "idempotency", role: "editor" })).secret;
  otherToken = (await createApiToken({ name: "idempotency 2", role: "editor" })).secret;
});

describe("POST /api/deals with Idempotency-Key", () => {
  it("answers a retry with the first answer and writes once", async () => {
    const body = deal();
    const key = crypto.randomUUID();
    const before = await dealCount();
    const first = await post(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const created = await first.json();

    // The same JSON with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await post(reordered, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/api/deals/${created.id}`);
    expect(await again.json()).toEqual(created);
    expect(await dealCount()).toBe(before + 1);
  });

  it("refuses the same key with a different body (422) and writes nothing", async () => {
    const key = crypto.randomUUID();
    expect((await post(deal(), key)).status).toBe(201);
    const before = await tableCounts();
    const other = await post(deal(), key);
    expect(other.status).toBe(422);
    expect((await other.json()).fieldErrors).toHaveProperty("Idempotency-Key");
    expect(await tableCounts()).toEqual(before);
  });

  it("keeps keys per principal: another token's same key is a new request", async () => {
    const key = crypto.randomUUID();
    const body = deal();
    const mine = await (await post(body, key)).json();
    const theirs = await post({ ...body, title: unique("Other principal") }, key, otherToken);
    expect(theirs.status).toBe(201);
    expect((await theirs.json()).id).not.toBe(mine.id);
  });

  it("writes exactly once when concurrent requests share a key", async () => {
    const key = crypto.randomUUID();
    const body = deal();
    const before = await dealCount();
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(body, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
    const ids = new Set(await Promise.all(answers.map(async (a) => (await a.json()).id)));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(11);
    expect(await dealCount()).toBe(before + 1);
  });

  it("does not remember failures: a 400 is not stored, and a fixed body with the same key writes", async () => {
    const key = crypto.randomUUID();
    const bad = await post({ ...deal(), types: ["merger"] }, key);
    expect(bad.status).toBe(400);
    expect((await post(deal(), key)).status).toBe(201);
  });

  it("answers a malformed key with a field-level 400", async () => {
    for (const key of ["", "has space", "x".repeat(256), "naïve"]) {
      const response = await post(deal(), key);
      expect(response.status, key).toBe(400);
      expect((await response.json()).fieldErrors).toHaveProperty("Idempotency-Key");
    }
  });

  it("forgets a key after 24 hours", async () => {
    const key = crypto.randomUUID();
    const body = deal();
    const first = await (await post(body, key)).json();
    await testDb().write((tx) =>
      tx.update(idempotencyKeys).set({ createdAt: new Date(Date.now() - 25 * 3600 * 1000) }),
    );
    const later = await post({ ...body, title: unique("A day later") }, key);
    expect(later.status).toBe(201);
    expect((await later.json()).id).not.toBe(first.id);
  });

  it("stores the key in the write's transaction: when storing fails, the write is undone", async () => {
    const before = await tableCounts();
    const scope = { principal: "token:x", key: "k", endpoint: "POST /api/deals", requestHash: "h" };
    await expect(
      writeOnce(
        scope,
        () => createDeal(dealFixture(), { actor: "test" }),
        () => {
          throw new Error("crash between the write and its key");
        },
      ),
    ).rejects.toThrow("crash");
    expect(await tableCounts()).toEqual(before);
  });
});

describe("POST /api/import with Idempotency-Key", () => {
  const header = "title,announced_on,deal_types,binding,parties,source_url";
  const csv = (tag: string) =>
    [
      header,
      `${tag} pact,2024-01-05,mou,non_binding,${tag} One (partner); ${tag} Two (partner),https://example.org/${tag}`,
    ].join("\n");
  const upload = (text: string, key: string) => {
    const form = new FormData();
    form.set("file", new Blob([text], { type: "text/csv" }), "deals.csv");
    form.set("dryRun", "0");
    return importRoute.POST(
      new Request("http://localhost/api/import", {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "idempotency-key": key },
        body: form,
      }),
    );
  };

  it("replays a committed import instead of importing twice, and refuses another file with its key", async () => {
    const tag = unique("Imp").replace(/\W/g, "");
    const key = crypto.randomUUID();
    const before = await dealCount();
    const first = await upload(csv(tag), key);
    expect(first.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody.result.created).toHaveLength(1);
    // A new multipart boundary, the same file: the same request.
    const again = await upload(csv(tag), key);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(firstBody);
    expect(await dealCount()).toBe(before + 1);
    expect((await upload(csv(`${tag}x`), key)).status).toBe(422);
    expect(await dealCount()).toBe(before + 1);
  });
});
