import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as listRoute from "@/app/api/candidates/route";
import * as acceptRoute from "@/app/api/candidates/[id]/accept/route";
import * as attachRoute from "@/app/api/candidates/[id]/attach/route";
import * as dismissRoute from "@/app/api/candidates/[id]/dismiss/route";
import { createApiToken } from "@/db/accounts/auth";
import { createDeal } from "@/db/deals/deal-writes";
import { getDeal } from "@/db/deals/deals";
import { candidateOutcomesBySource, listCandidates, type CandidateView } from "@/db/news/candidates";
import { seedRealDeals } from "@/db/ops/seed";
import { candidates, newsItems, newsSources } from "@/db/schema";
import { candidateQuery } from "@/lib/news/schemas";
import { processPendingItems } from "@/server/news/process";
import { dealFixture, testDb } from "./db";
import { newsDevItems, storedItem } from "./news-items";

// From stored feed items to the triage queue, on a real database seeded with the real deals: the
// 36 news-dev items are stored as the feed poller would store them, then processed.

const fixtures = newsDevItems;
const byId = new Map(fixtures.map((f) => [f.id, f]));
const sourceIds = new Map<string, number>();
let editor = "";
let viewer = "";
/** Items held back from the first run, to show a later item joins its announcement's candidate. */
const LATE = new Set(["d31"]);
let nvidiaArm = 0;
let amazonAnthropic = 0;

async function storeItems(ids: string[]) {
  const db = testDb();
  await db.write(async (tx) => {
    for (const id of ids) {
      const f = byId.get(id)!;
      await tx.insert(newsItems).values(storedItem(f, sourceIds.get(f.feed)!));
    }
  });
}

async function candidateOf(fixtureId: string): Promise<number | null> {
  const [row] = await testDb()
    .select({ id: newsItems.candidateId })
    .from(newsItems)
    .where(eq(newsItems.guid, byId.get(fixtureId)!.link));
  return row?.id ?? null;
}

const call = (
  handler: (r: Request, c: { params: Promise<{ id: string }> }) => Promise<Response>,
  id: number | string,
  body?: unknown,
  token = editor,
) =>
  handler(
    new Request(`http://localhost/api/candidates/${id}/x`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: String(id) }) },
  );
const list = (query: string, token = editor) =>
  listRoute.GET(
    new Request(`http://localhost/api/candidates${query}`, { headers: { authorization: `Bearer ${token}` } }),
  );

let first: { processed: number; candidates: number };
/** The statements of the first run that read the company aliases (the extraction lists). */
let aliasReads = 0;

type Logger = { logQuery(query: string, params: unknown[]): void };
/** Counts the statements matching `re` while `run` runs, through the handle's Drizzle logger. */
async function countStatements<T>(re: RegExp, run: () => Promise<T>): Promise<[T, number]> {
  const session = (testDb() as unknown as { session: { logger: Logger } }).session;
  const previous = session.logger;
  let n = 0;
  session.logger = { logQuery: (query, params) => (re.test(query) && n++, previous.logQuery(query, params)) };
  try {
    return [await run(), n];
  } finally {
    session.logger = previous;
  }
}

beforeAll(async () => {
  const db = testDb();
  await seedRealDeals(db);
  editor = (await createApiToken({ name: "candidates editor", role: "editor" })).secret;
  viewer = (await createApiToken({ name: "candidates viewer", role: "viewer" })).secret;
  // Two recorded deals: one the news reports again, one the news says has ended.
  amazonAnthropic = (
    await createDeal(
      dealFixture({
        title: "Amazon invests in Anthropic",
        announcedOn: "2023-09-25",
        types: ["investment"],
        parties: [
          { company: "Amazon", role: "investor" },
          { company: "Anthropic", role: "investee" },
        ],
      }),
      { actor: "test" },
    )
  ).id;
  nvidiaArm = (
    await createDeal(
      dealFixture({
        title: "NVIDIA to acquire Arm from SoftBank",
        announcedOn: "2020-09-13",
        types: ["acquisition"],
        binding: "binding",
        parties: [
          { company: "NVIDIA", role: "acquirer" },
          { company: "Arm", role: "target" },
          { company: "SoftBank Group", role: "partner" },
        ],
      }),
      { actor: "test" },
    )
  ).id;
  for (const feed of ["newsroom", "trade", "wire"]) {
    const [row] = await db.write((tx) =>
      tx
        .insert(newsSources)
        .values({ name: `Fixture ${feed}`, url: `https://news.example/${feed}.xml`, nextFetchAt: new Date() })
        .returning({ id: newsSources.id }),
    );
    sourceIds.set(feed, row!.id);
  }
  await storeItems(fixtures.filter((f) => !LATE.has(f.id)).map((f) => f.id));
  [first, aliasReads] = await countStatements(/\bfrom\s+"company_aliases"/i, () => processPendingItems());
}, 120_000);

describe("processPendingItems", () => {
  it("reads every stored item once and makes one candidate per announcement", async () => {
    expect(first.processed).toBe(35);
    const rows = await testDb().select().from(candidates);
    expect(first.candidates).toBe(rows.length);
    const made = (await testDb().select({ n: newsSources.candidatesMade }).from(newsSources)).reduce(
      (sum, r) => sum + r.n,
      0,
    );
    expect(made).toBe(rows.length);
  });

  it("reads the extraction lists once per run, not once per item", () => {
    // Each stored reading moves the data version, so a per-item read rebuilt the lists every time.
    expect(aliasReads).toBe(1);
  });

  it("classes the items by kind", async () => {
    const kindOf = async (id: string) =>
      (
        await testDb()
          .select()
          .from(candidates)
          .where(eq(candidates.id, (await candidateOf(id))!))
      )[0]!.kind;
    for (const id of ["d02", "d10", "d21", "d27", "d35"]) expect(await kindOf(id)).toBe("deal");
    for (const id of ["d03", "d06"]) expect(await kindOf(id)).toBe("rumour");
    for (const id of ["d18", "d33"]) expect(await kindOf(id)).toBe("status_change");
    for (const id of ["d01", "d07", "d12", "d14", "d20", "d32"]) expect(await kindOf(id)).toBe("not_deal");
  });

  it("groups the items of each story and nothing across stories", async () => {
    const stories = new Map<string, Set<number>>();
    const owner = new Map<number, string>();
    for (const f of fixtures.filter((f) => f.label === "deal" && !LATE.has(f.id))) {
      const id = (await candidateOf(f.id))!;
      const key = f.story ?? f.id;
      (stories.get(key) ?? stories.set(key, new Set()).get(key)!).add(id);
      if (owner.has(id)) expect(owner.get(id)).toBe(key);
      owner.set(id, key);
    }
    for (const [, ids] of stories) expect(ids.size).toBe(1);
    const gm = (await listCandidates(candidateQuery.parse({ pageSize: 100 }), PUBLIC_VIEWER)).items.find(
      (c) => c.id === stories.get("gm-lgchem-ultium-2019")!.values().next().value,
    )!;
    expect(gm.items).toHaveLength(2);
  });

  it("says a deal already recorded is known, and links a status change to its deal", async () => {
    const [known] = await testDb()
      .select()
      .from(candidates)
      .where(eq(candidates.id, (await candidateOf("d34"))!));
    expect(known!.knownDealId).toBe(amazonAnthropic);
    const [change] = await testDb()
      .select()
      .from(candidates)
      .where(eq(candidates.id, (await candidateOf("d33"))!));
    expect(change!.knownDealId).toBe(nvidiaArm);
  });

  it("adds nothing when run again, and a late item joins its announcement's candidate", async () => {
    const before = await testDb().select().from(candidates);
    expect(await processPendingItems()).toEqual({ processed: 0, candidates: 0 });
    await storeItems([...LATE]);
    expect(await processPendingItems()).toEqual({ processed: 1, candidates: 0 });
    expect(await processPendingItems()).toEqual({ processed: 0, candidates: 0 });
    expect((await testDb().select().from(candidates)).length).toBe(before.length);
    expect(await candidateOf("d31")).toBe(await candidateOf("d28"));
  });
});

describe("the candidates API", () => {
  it("lists waiting candidates newest first, with their items, and filters by kind and source", async () => {
    const response = await list("");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: CandidateView[]; total: number };
    expect(body.total).toBeGreaterThan(20);
    const ids = body.items.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const c = body.items[0]!;
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining(["id", "kind", "status", "score", "reason", "draft", "knownDealId", "items"]),
    );
    expect(Object.keys(c.items[0]!)).toEqual(
      expect.arrayContaining(["title", "url", "source", "publishedAt"]),
    );
    const rumours = (await (await list("?kind=rumour")).json()) as { items: CandidateView[] };
    expect(rumours.items.map((r) => r.kind)).toEqual(["rumour", "rumour"]);
    const wire = (await (await list(`?source=${sourceIds.get("wire")}&pageSize=100`)).json()) as {
      items: CandidateView[];
    };
    expect(wire.items.every((x) => x.items.some((i) => i.source === "Fixture wire"))).toBe(true);
  });

  it("refuses bad parameters with field errors, and viewers", async () => {
    const bad = await list("?status=maybe&kind=gossip&pageSize=0&colour=red");
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual([
      "colour",
      "kind",
      "pageSize",
      "status",
    ]);
    expect((await list("", viewer)).status).toBe(403);
    const id = (await candidateOf("d01"))!;
    expect((await call(dismissRoute.POST, id, { reason: "not_deal" }, viewer)).status).toBe(403);
    expect((await call(dismissRoute.POST, id, { reason: "boring" })).status).toBe(400);
    expect((await call(attachRoute.POST, id, { dealId: "seven" })).status).toBe(400);
    expect((await call(acceptRoute.POST, 999_999)).status).toBe(404);
  });

  it("accepts a story into one deal with all its sources, once", async () => {
    const id = (await candidateOf("d28"))!;
    const response = await call(acceptRoute.POST, id, { title: "GM and LG Chem form Ultium Cells" });
    expect(response.status).toBe(201);
    const { dealId } = await response.json();
    const deal = (await getDeal(dealId))!;
    expect(deal.title).toBe("GM and LG Chem form Ultium Cells");
    const links = deal.sources.map((s) => s.url);
    for (const f of ["d15", "d28", "d31"]) expect(links).toContain(byId.get(f)!.link);
    expect((await call(acceptRoute.POST, id)).status).toBe(409);
    expect((await call(dismissRoute.POST, id, { reason: "duplicate" })).status).toBe(409);
    const [row] = await testDb().select().from(candidates).where(eq(candidates.id, id));
    expect(row).toMatchObject({ status: "accepted", dealId });
  });

  it("adds a known announcement's sources to its deal", async () => {
    const id = (await candidateOf("d34"))!;
    const response = await call(attachRoute.POST, id, { dealId: amazonAnthropic });
    expect(response.status).toBe(200);
    const links = (await getDeal(amazonAnthropic))!.sources.map((s) => s.url);
    expect(links).toEqual(expect.arrayContaining([byId.get("d34")!.link, byId.get("d21")!.link]));
    expect((await call(attachRoute.POST, id, { dealId: amazonAnthropic })).status).toBe(409);
  });

  it("applies a status change to the deal it concerns", async () => {
    const id = (await candidateOf("d33"))!;
    const response = await call(acceptRoute.POST, id);
    expect(response.status).toBe(200);
    expect((await response.json()).dealId).toBe(nvidiaArm);
    const deal = (await getDeal(nvidiaArm))!;
    expect(deal.status).toBe("terminated");
    expect(deal.sources.map((s) => s.url)).toContain(byId.get("d33")!.link);
  });

  it("dismisses a rumour with a reason, once; a draft that is not a deal cannot be accepted", async () => {
    const id = (await candidateOf("d03"))!;
    const response = await call(dismissRoute.POST, id, { reason: "not_deal" });
    expect(response.status).toBe(200);
    expect((await call(dismissRoute.POST, id, { reason: "not_deal" })).status).toBe(409);
    const dismissed = (await (await list("?status=dismissed")).json()) as { items: CandidateView[] };
    expect(dismissed.items.map((c) => c.id)).toContain(id);
    const outage = (await candidateOf("d01"))!;
    const refused = await call(acceptRoute.POST, outage);
    expect(refused.status).toBe(400);
    expect((await refused.json()).fieldErrors.parties).toBeDefined();
  });

  it("counts each source's accepted and dismissed candidates", async () => {
    const outcomes = await candidateOutcomesBySource();
    // GM / LG Chem (newsroom, wire, trade) was accepted; the Qualcomm rumour (trade) dismissed.
    for (const feed of ["newsroom", "wire", "trade"])
      expect(outcomes.get(sourceIds.get(feed)!)!.accepted).toBeGreaterThanOrEqual(1);
    expect(outcomes.get(sourceIds.get("trade")!)!.dismissed).toBeGreaterThanOrEqual(1);
    const total = [...outcomes.values()].reduce((n, c) => n + c.waiting + c.accepted + c.dismissed, 0);
    expect(total).toBeGreaterThanOrEqual((await testDb().select().from(candidates)).length);
  });
});
