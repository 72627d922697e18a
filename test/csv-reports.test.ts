import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as exportRoute from "@/app/api/export/deals.csv/route";
import * as statsExportRoute from "@/app/api/export/stats/[chart]/route";
import * as overTimeRoute from "@/app/api/stats/deals-over-time/route";
import * as importRoute from "@/app/api/import/route";
import { createApiToken } from "@/db/accounts/auth";
import { openDatabase, type Db } from "@/db/core/connection";
import { exportCsv } from "@/db/deals/export";
import { commitImport } from "@/db/deals/import";
import { migrateDatabase } from "@/db/core/migrate";
import { createDeal } from "@/db/deals/deal-writes";
import { seedRealDeals } from "@/db/ops/seed";
import { autoMap, readCsv } from "@/lib/csv-import";
import { adminQuery } from "@/scripts/pg/throwaway";
import { defaultFilters } from "@/lib/filters";
import { dealFixture, tableCounts, testDb, unique } from "./db";
import { withDatabase } from "./global-setup";

let token = "";
const auth = () => ({ authorization: `Bearer ${token}` });
const get = (url: string) => new Request(`http://localhost${url}`, { headers: auth() });
const rowsOf = (text: string) => parse(text, { bom: true }) as string[][];

/** The whole text of a streamed export. */
async function textOf(lines: AsyncIterable<string>) {
  let text = "";
  for await (const chunk of lines) text += chunk;
  return text;
}

/** A second migrated, empty database on the test's engine, and how to drop it afterwards. */
async function freshDatabase(name: string): Promise<{ db: Db; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_PG_URL;
  if (adminUrl) {
    const database = `atlas_t_${name}_${process.pid}_${randomBytes(3).toString("hex")}`;
    await adminQuery(adminUrl, `CREATE DATABASE ${database} TEMPLATE atlas_template`);
    const db = openDatabase(withDatabase(adminUrl, database));
    return {
      db,
      drop: async () => {
        await db.close();
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${name}-`));
  const db = openDatabase(path.join(dir, `${name}.db`));
  await migrateDatabase(db);
  return {
    db,
    drop: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function exportText(query: string) {
  const response = await exportRoute.GET(get(`/api/export/deals.csv?${query}`));
  expect(response.status, await response.clone().text()).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Decode keeping a BOM, if any, so tests can see it.
  return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

function upload(csv: string | Uint8Array<ArrayBuffer>, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new Blob([csv], { type: "text/csv" }), "deals.csv");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return importRoute.POST(
    new Request("http://localhost/api/import", { method: "POST", headers: auth(), body: form }),
  );
}

beforeAll(async () => {
  await seedRealDeals(testDb());
  token = (await createApiToken({ name: "csv tests", role: "editor" })).secret;
});

describe("export", () => {
  it("exports exactly the rows the list counts, for several filters", async () => {
    for (const query of [
      "",
      "company=SKT",
      "technology=5g&type=mou",
      "q=cloud",
      "from=2020-01-01&to=2022-12-31&binding=binding",
    ]) {
      const listed = await (await dealsRoute.GET(get(`/api/deals?${query}`))).json();
      const { text } = await exportText(query);
      const rows = rowsOf(text);
      expect(rows[0]![0]).toBe("id");
      expect(rows.length - 1).toBe(listed.total);
      expect(new Set(rows.slice(1).map((r) => Number(r[0])))).toEqual(
        new Set(
          (await (await dealsRoute.GET(get(`/api/deals?${query}&pageSize=500`))).json()).items.map(
            (d: { id: number }) => d.id,
          ),
        ),
      );
    }
  });

  it("writes RFC 4180 with CRLF, names the file after the filter, and adds a BOM for Excel", async () => {
    const { response, text } = await exportText("technology=5G&excel=1");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="atlas-deals-\d{4}-\d{2}-\d{2}-technology-5g\.csv"$/,
    );
    expect(text.startsWith("\uFEFFid,title,")).toBe(true);
    expect(text).toContain("\r\n");
    const mou = rowsOf(text).find((r) => r[1]!.startsWith("Microsoft and SK Telecom sign"))!;
    expect(mou[4]).toBe("mou; strategic_partnership");
    expect(mou[7]).toBe("Microsoft (partner); SK Telecom (partner)");
    expect(mou[14]).toMatch(/^https:\/\/winbuzzer\.com\//);
    expect(mou[15]).toBe("3");
  });

  it("guards hostile cells against formula injection but keeps numbers numbers", async () => {
    const tag = unique("hostile").replace(/\W/g, "");
    await createDeal(
      dealFixture({
        title: `=HYPERLINK("http://evil.example","${tag}")`,
        parties: [{ company: `+Evil ${tag}` }, { company: `@Other ${tag}` }],
        summary: "-1+2",
        quotes: [{ text: "=cmd|' /C calc'!A0", speaker: "-Mallory" }],
        value: { amount: "1000", currency: "USD" },
      }),
      { actor: "test" },
    );
    const { text } = await exportText(`q=${tag}`);
    const [header, row] = rowsOf(text);
    const at = (name: string) => row![header!.indexOf(name)]!;
    expect(at("title")).toBe(`'=HYPERLINK("http://evil.example","${tag}")`);
    expect(at("parties")).toMatch(/^'\+Evil/);
    expect(at("summary")).toBe("'-1+2");
    expect(at("value")).toBe("1000.00");
    const parties = rowsOf((await exportText(`q=${tag}&layout=parties`)).text);
    expect(parties.slice(1).map((r) => r[3])).toEqual([`'+Evil ${tag}`, `'@Other ${tag}`]);
  });

  it("has a parties layout (a row per deal and company) and a pairs layout", async () => {
    const listed = await (await dealsRoute.GET(get("/api/deals?company=SK%20Telecom&pageSize=500"))).json();
    const parties = rowsOf((await exportText("company=SK%20Telecom&layout=parties")).text);
    expect(parties[0]).toEqual([
      "deal_id",
      "title",
      "announced_on",
      "company",
      "role",
      "company_country",
      "company_sector",
      "parent_company",
      "deal_types",
      "technology_areas",
    ]);
    expect(parties.length - 1).toBe(
      listed.items.reduce((n: number, d: { parties: unknown[] }) => n + d.parties.length, 0),
    );
    const google = parties.find((r) => r[3] === "Google");
    if (google) expect(google[7]).toBe("Alphabet");
    const pairs = rowsOf((await exportText("layout=pairs")).text);
    const skMs = pairs.find((r) => [r[0], r[1]].sort().join("|") === "Microsoft|SK Telecom")!;
    expect(Number(skMs[2])).toBe(
      (await (await dealsRoute.GET(get("/api/deals?company=Microsoft&partner=SK%20Telecom"))).json()).total,
    );
    expect(skMs[3]).toBe("2019-02-01");
  });

  it("exports a chart's numbers with the same filters", async () => {
    const json = await (
      await overTimeRoute.GET(get("/api/stats/deals-over-time?interval=year&company=SKT"))
    ).json();
    const response = await statsExportRoute.GET(
      get("/api/export/stats/deals-over-time.csv?interval=year&company=SKT"),
      {
        params: Promise.resolve({ chart: "deals-over-time.csv" }),
      },
    );
    const rows = rowsOf(await response.text());
    expect(rows.slice(1).map((r) => [r[0], Number(r.at(-1))])).toEqual(
      json.buckets.map((b: { bucket: string; total: number }) => [b.bucket, b.total]),
    );
    const unknown = await statsExportRoute.GET(get("/api/export/stats/nope.csv"), {
      params: Promise.resolve({ chart: "nope.csv" }),
    });
    expect(unknown.status).toBe(404);
  });

  it("reflects an edit at once (the pre-joined cells are rewritten with the deal)", async () => {
    const tag = unique("Edited").replace(/\W/g, "");
    const deal = await createDeal(dealFixture({ title: tag, technologies: ["AI"] }), { actor: "test" });
    const { updateDeal } = await import("@/db/deals/deal-writes");
    const { dealInput } = await import("@/lib/validation");
    const saved = await updateDeal(
      deal.id,
      dealInput.parse({
        ...dealFixture({ title: tag }),
        parties: [{ company: "SKT" }, { company: `New ${tag}`, role: "investor" }],
        technologies: ["6G", "Cloud"],
      }),
      deal.version,
      { actor: "test" },
    );
    const [header, row] = rowsOf((await exportText(`q=${tag}`)).text);
    expect(row![header!.indexOf("parties")]).toBe(`SK Telecom (partner); New ${tag} (investor)`);
    expect(row![header!.indexOf("technology_areas")]).toBe("6G; Cloud");
    // Timestamps as the API gives them, whichever way the engine stores them.
    expect(row![header!.indexOf("created_at")]).toBe(saved.createdAt);
    expect(row![header!.indexOf("updated_at")]).toBe(saved.updatedAt);
  });

  it("answers bad parameters with 400", async () => {
    for (const query of ["layout=wide", "excel=maybe", "from=31/02/2024", "colour=red"]) {
      expect((await exportRoute.GET(get(`/api/export/deals.csv?${query}`))).status).toBe(400);
    }
  });
});

const header = "title,announced_on,deal_types,binding,parties,technology_areas,source_url";
const good = (tag: string, n: number) =>
  `${tag} pact ${n},2024-0${n}-1${n},MoU; Strategic partnership,Non-binding,"SKT (partner); ${tag} Labs ${n} (partner)",5G; Quantum radio ${tag},https://example.org/${tag}/${n}`;

describe("import", () => {
  it("previews without writing: new rows, alias links, new companies", async () => {
    const tag = unique("Prev").replace(/\W/g, "");
    const before = await tableCounts();
    const response = await upload([header, good(tag, 1), good(tag, 2)].join("\r\n"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.summary).toMatchObject({ rows: 2, new: 2, invalid: 0 });
    expect(body.rows[0].warnings).toEqual(
      expect.arrayContaining([
        "“SKT” is linked to SK Telecom",
        `New company “${tag} Labs 1” will be created`,
      ]),
    );
    expect(await tableCounts()).toEqual(before);
  });

  const badFiles: [string, string | Uint8Array<ArrayBuffer>, RegExp][] = [
    ["binary data", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]), /not a CSV/],
    ["a wrong encoding", new Uint8Array([...Buffer.from("title\r\nCaf"), 0xe9, 0x0d, 0x0a]), /not UTF-8/],
    ["an empty file", "", /empty/],
    ["a header only", header, /no rows/],
    ["ragged rows", `${header}\r\nonly,three,cells`, /different number of columns/],
    [
      "an unterminated quote",
      `${header}\r\n"never closed,2024-01-01,mou,,a; b,,https://x.org`,
      /never closed|quote/i,
    ],
  ];
  it.each(badFiles)("refuses %s with a clear answer and changes nothing", async (_name, file, message) => {
    const before = await tableCounts();
    const response = await upload(file, { dryRun: "0" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(message);
    expect(await tableCounts()).toEqual(before);
  });

  it("refuses a file over 20 MB", async () => {
    const big = new Uint8Array(21 * 1024 * 1024).fill(0x61);
    const response = await upload(big, { dryRun: "0" });
    expect(response.status).toBe(413);
  });

  it("imports nothing when any row is bad, and says which rows and columns", async () => {
    const tag = unique("Bad").replace(/\W/g, "");
    const file = [
      header,
      good(tag, 1),
      `${tag} broken,31/02/2024,merger,Non-binding,"A ${tag}; B ${tag}",,javascript:alert(1)`,
      good(tag, 3),
    ].join("\r\n");
    const before = await tableCounts();
    const response = await upload(file, { dryRun: "0" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.summary).toMatchObject({ rows: 3, invalid: 1 });
    const bad = body.rows.find((r: { row: number }) => r.row === 3);
    expect(Object.keys(bad.errors).sort()).toEqual(["announced_on", "deal_types", "source_url"]);
    expect(bad.errors.deal_types[0]).toMatch(/Unknown deal type “merger”/);
    expect(await tableCounts()).toEqual(before);
  });

  it("commits all rows in one go, with a revision each, and creates nothing on a second import", async () => {
    const tag = unique("Idem").replace(/\W/g, "");
    const file = [header, good(tag, 1), good(tag, 2), good(tag, 3)].join("\r\n");
    const first = await (await upload(file, { dryRun: "0" })).json();
    expect(first.result.created).toHaveLength(3);
    const deal = await (await dealsRoute.GET(get(`/api/deals?q=${tag}&sort=announcedOn`))).json();
    expect(deal.total).toBe(3);
    expect(deal.items[0].parties.map((p: { company: { name: string } }) => p.company.name)).toEqual([
      "SK Telecom",
      `${tag} Labs 1`,
    ]);
    const { rows: revisions } = await testDb().execute<{ n: number }>(
      sql`SELECT count(*) AS n FROM revisions WHERE actor LIKE '%(CSV import)'`,
    );
    expect(Number(revisions[0]!.n)).toBeGreaterThanOrEqual(3);

    const before = await tableCounts();
    const again = await (await upload(file, { dryRun: "0" })).json();
    expect(again.result).toEqual({ created: [], updated: [], skipped: 3 });
    expect(again.rows.every((r: { status: string }) => r.status === "duplicate")).toBe(true);
    expect(await tableCounts()).toEqual(before);
  });

  it("re-imports its own export as is: matched by id, nothing new", async () => {
    const { text } = await exportText("company=Microsoft");
    const before = await tableCounts();
    const body = await (await upload(text, { dryRun: "0" })).json();
    expect(body.summary.invalid).toBe(0);
    expect(body.rows.every((r: { match?: { by: string } }) => r.match?.by === "id")).toBe(true);
    expect(body.result.created).toEqual([]);
    expect(await tableCounts()).toEqual(before);
  });

  it("round-trips: export, import into an empty database, export again gives the same file", async () => {
    const { db: empty, drop } = await freshDatabase("roundtrip");
    try {
      const filters = { ...defaultFilters, sort: "announcedOn" as const };
      const first = await textOf(
        exportCsv(testDb(), { ...filters, q: undefined, company: ["SK Telecom"] }, "deals"),
      );
      const csv = readCsv(Buffer.from(first));
      if ("error" in csv) throw new Error(csv.error);
      const { result } = await commitImport(
        csv,
        autoMap(csv.header),
        { onDuplicate: "skip", actor: { name: "test" }, viewer: PUBLIC_VIEWER },
        empty,
      );
      expect(result.created.length).toBe(csv.rows.length);
      const second = await textOf(exportCsv(empty, filters, "deals"));
      // Ids and times are the new database's; the parties' countries and sectors are company
      // reference data, which a deals import does not carry.
      const left = ["id", "created_at", "updated_at", "party_countries", "party_sectors"];
      const strip = (text: string) => {
        const [header, ...rows] = rowsOf(text);
        const kept = header!.flatMap((name, i) => (left.includes(name) ? [] : [i]));
        return [header!, ...rows].map((r) => kept.map((i) => r[i]));
      };
      expect(strip(second)).toEqual(strip(first));
      expect(rowsOf(second).length).toBe(rowsOf(first).length);
    } finally {
      await drop();
    }
  });

  it("accepts a text/csv body from scripts and rejects other types", async () => {
    const tag = unique("Script").replace(/\W/g, "");
    const response = await importRoute.POST(
      new Request("http://localhost/api/import?dryRun=1", {
        method: "POST",
        headers: { ...auth(), "content-type": "text/csv" },
        body: [header, good(tag, 1)].join("\n"),
      }),
    );
    expect((await response.json()).summary.new).toBe(1);
    const wrong = await importRoute.POST(
      new Request("http://localhost/api/import", {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(wrong.status).toBe(415);
  });
});

describe("export in batches", () => {
  it("streams thousands of deals in list order for every sort, each exactly once", async () => {
    const { db, drop } = await freshDatabase("batches");
    try {
      const { generateDemoDeals } = await import("@/db/ops/seed");
      const { listDeals } = await import("@/db/deals/deals");
      await generateDemoDeals(db, 2345);
      for (const sort of ["-announcedOn", "announcedOn", "title", "-updatedAt"] as const) {
        const filters = { ...defaultFilters, sort };
        const ids = rowsOf(await textOf(exportCsv(db, filters, "deals")))
          .slice(1)
          .map((r) => Number(r[0]));
        const listed: number[] = [];
        for (let page = 1; page <= 5; page++)
          listed.push(...(await listDeals({ ...filters, page, pageSize: 500 }, db)).items.map((d) => d.id));
        expect(ids).toEqual(listed);
      }
      const parties = rowsOf(await textOf(exportCsv(db, { ...defaultFilters, type: ["mou"] }, "parties")));
      const mou = await listDeals({ ...defaultFilters, type: ["mou"], pageSize: 500 }, db);
      expect(new Set(parties.slice(1).map((r) => r[0])).size).toBe(mou.total);
      // A client that goes away mid-export: returning the generator ends the snapshot and gives
      // the connection back (on PostgreSQL, the pooled client is idle again).
      const lines = exportCsv(db, defaultFilters, "deals");
      await lines.next();
      await lines.next();
      await lines.return(undefined);
      if (db.internals.engine === "pg") {
        const pool = db.internals.reader;
        expect(pool.totalCount - pool.idleCount).toBe(0);
      }
    } finally {
      await drop();
    }
  });
});
