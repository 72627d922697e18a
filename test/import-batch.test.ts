import pg from "pg";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { createCompany } from "@/db/directory/directory";
import { createDeal, createDeals, updateDeal } from "@/db/deals/deal-writes";
import { commitImport, ImportRejected } from "@/db/deals/import";
import { createWebhook } from "@/db/follow/webhooks";
import { companies, dealParties, revisions, webhookDeliveries, webhookEvents } from "@/db/schema";
import { autoMap, readCsv, type ParsedCsv } from "@/lib/csv-import";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// An import saves its new deals a chunk at a time with a few multi-row statements (issue 26): the
// statements it sends grow with the chunks, not the rows, and it stays all or nothing, with the
// same companies, revisions and webhook events as saving the deals one by one.

const header = "title,announced_on,deal_types,binding,parties,technology_areas,source_url";

/** `rows` new deals: a shared importer (one new company for the whole file) and a new partner each. */
function csvOf(rows: number, tag: string, extra: string[] = []): ParsedCsv {
  const lines = Array.from(
    { length: rows },
    (_, i) =>
      `${tag} deal ${i},2023-04-${String((i % 28) + 1).padStart(2, "0")},mou; joint_venture,binding,"${tag} Importer (partner); ${tag} Partner ${i} (partner)",${tag} Area ${i % 3},https://example.org/${i}`,
  );
  return readCsv(new TextEncoder().encode([header, ...lines, ...extra].join("\n"))) as ParsedCsv;
}

const importing = (csv: ParsedCsv) =>
  commitImport(csv, autoMap(csv.header), {
    onDuplicate: "skip",
    actor: { name: "batch test" },
    viewer: PUBLIC_VIEWER,
  });

/**
 * The text of each statement the database receives while `fn` runs, taken at the driver of the
 * real connection: better-sqlite3 prepares every statement Drizzle runs on the writer connection;
 * node-postgres sends each query (one round trip) through its connection's `query`.
 */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const internals = testDb().internals;
  const texts: string[] = [];
  if (internals.engine === "sqlite") {
    const conn = internals.writer;
    const prepare = conn.prepare.bind(conn);
    conn.prepare = ((source: string) => {
      texts.push(source);
      return prepare(source);
    }) as typeof conn.prepare;
    try {
      await fn();
    } finally {
      delete (conn as { prepare?: unknown }).prepare; // back to the prototype's
    }
  } else {
    // Each connection the pool hands out records its queries; a connection keeps the query function
    // it had when a transaction took it (db/core/connection.ts queueQueries), so it is wrapped there.
    const pool = internals.primary;
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    const wrapped = new Map<pg.PoolClient, pg.PoolClient["query"]>();
    pool.connect = (async () => {
      const client = await connect();
      if (!wrapped.has(client)) {
        const query = client.query;
        wrapped.set(client, query);
        client.query = function (this: pg.PoolClient, ...args: unknown[]) {
          const [first] = args as [string | { text: string }];
          texts.push(typeof first === "string" ? first : first.text);
          return (query as (...a: unknown[]) => unknown).apply(this, args);
        } as typeof query;
      }
      return client;
    }) as typeof pool.connect;
    try {
      await fn();
    } finally {
      delete (pool as { connect?: unknown }).connect; // back to the prototype's
      for (const [client, query] of wrapped) client.query = query;
    }
  }
  return texts;
}

beforeAll(() => {
  testDb();
});

describe("batched import", { timeout: 60_000 }, () => {
  it("sends a number of statements that grows with its chunks of 50 rows, not with its rows", async () => {
    const one = (await statementsDuring(() => importing(csvOf(100, unique("One").replace(/\W/g, "")))))
      .length;
    const four = (await statementsDuring(() => importing(csvOf(400, unique("Four").replace(/\W/g, "")))))
      .length;
    // Fewer than one per row: a row at a time took over 50 per row (22,044 for these 400 rows on SQLite).
    expect(four).toBeLessThan(400);
    expect(four).toBeLessThanOrEqual(4 * one);
  });

  it("writes what one save per row wrote: each new company once, a revision and an event per deal", async () => {
    await createWebhook({ url: "https://93.184.215.14/batch", events: ["deal.created"] }, null);
    const tag = unique("Same").replace(/\W/g, "");
    const { result } = await importing(csvOf(250, tag));
    expect(result.created).toHaveLength(250);
    const db = testDb();
    // The importer of every row, across five chunks, is one company.
    const named = await db
      .select({ id: companies.id, slug: companies.slug })
      .from(companies)
      .where(eq(companies.name, `${tag} Importer`));
    expect(named).toHaveLength(1);
    const parties = await db
      .select({ companyId: dealParties.companyId })
      .from(dealParties)
      .where(inArray(dealParties.dealId, result.created));
    expect(parties).toHaveLength(500);
    expect(parties.filter((p) => p.companyId === named[0]!.id)).toHaveLength(250);
    const created = await db
      .select({ dealId: revisions.dealId, action: revisions.action, version: revisions.version })
      .from(revisions)
      .where(inArray(revisions.dealId, result.created));
    expect(created).toHaveLength(250);
    expect(created.every((r) => r.action === "create" && r.version === 1)).toBe(true);
    const events = await db
      .select({ data: webhookEvents.data, deliveries: sql<number>`count(${webhookDeliveries.id})` })
      .from(webhookEvents)
      .innerJoin(webhookDeliveries, eq(webhookDeliveries.eventId, webhookEvents.id))
      .where(eq(webhookEvents.event, "deal.created"))
      .groupBy(webhookEvents.id, webhookEvents.data);
    const sent = events.map((e) => (e.data as { deal: { id: number; title: string } }).deal);
    expect(sent.filter((d) => result.created.includes(d.id))).toHaveLength(250);
    expect(events.every((e) => Number(e.deliveries) === 1)).toBe(true);
    expect(sent.find((d) => d.id === result.created[7])?.title).toBe(`${tag} deal 7`);
  });

  it("writes nothing when a row of a later chunk fails a check only the database can tell", async () => {
    const tag = unique("Fail").replace(/\W/g, "");
    // "Acme Alias" is another name of Acme: a row naming both names one company twice.
    await createCompany({
      name: `${tag} Acme`,
      aliases: [`${tag} Acme Alias`],
      country: null,
      sector: null,
      website: null,
      parent: null,
    });
    const bad = `${tag} bad,2023-05-01,mou,binding,"${tag} Acme (partner); ${tag} Acme Alias (partner)",,https://example.org/bad`;
    const csv = csvOf(150, tag, [bad]);
    const before = await tableCounts();
    const failure = await importing(csv).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportRejected);
    const plan = (failure as ImportRejected).plan;
    expect(plan.summary.invalid).toBe(1);
    const row = plan.rows.find((r) => r.title === `${tag} bad`)!;
    expect(row.status).toBe("invalid");
    expect(Object.values(row.errors).flat().join(" ")).toMatch(/is the same company as party 1/);
    expect(await tableCounts()).toEqual(before);
  });

  it("saves more deals at once than one statement may bind values for", async () => {
    const tag = unique("Many").replace(/\W/g, "");
    // 2,000 deals of 16 columns and 6,000 sources of 7 bind more than either engine's limit per statement.
    const inputs = Array.from({ length: 2000 }, (_, i) =>
      dealFixture({
        title: `${tag} ${i}`,
        parties: [
          { company: `${tag} Left`, role: "partner" },
          { company: `${tag} Right ${i % 7}`, role: "partner" },
        ],
        sources: [1, 2, 3].map((n) => ({ url: `https://example.org/${tag}/${i}/${n}` })),
      }),
    );
    const created = await createDeals(inputs, { actor: "batch test" });
    expect(created.map((d) => d.title)).toEqual(inputs.map((d) => d.title));
    expect(created[1999]!.sources).toHaveLength(3);
    expect(created[1999]!.parties.map((p) => p.company.name)).toEqual([`${tag} Left`, `${tag} Right 4`]);
  });
});

describe("a save", () => {
  it("sends its parts' deletes and inserts as one statement each on PostgreSQL", async () => {
    const input = dealFixture({ quotes: [{ text: "Together.", speaker: "A. Speaker" }] });
    const deal = await createDeal(input, { actor: "batch test" });
    const edit = { ...input, title: `${input.title} edited`, types: ["mou", "licensing"] as const };
    const texts = await statementsDuring(() =>
      updateDeal(deal.id, dealFixture({ ...edit, types: [...edit.types] }), deal.version, {
        actor: "batch test",
      }),
    );
    const partWrites = texts.filter((t) =>
      /^(with w0 as \()?(delete from|insert into) "(deal_types|deal_parties|deal_technologies|quotes|sources)"/i.test(
        t,
      ),
    );
    // SQLite has no data-modifying WITH: five deletes, five inserts.
    expect(partWrites).toHaveLength(testDb().engine === "pg" ? 2 : 10);
  });
});
