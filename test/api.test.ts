import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as dealRoute from "@/app/api/deals/[id]/route";
import * as restoreRoute from "@/app/api/deals/[id]/restore/route";
import * as companiesRoute from "@/app/api/companies/route";
import * as companyRoute from "@/app/api/companies/[slug]/route";
import * as technologiesRoute from "@/app/api/technologies/route";
import { createApiToken } from "@/db/accounts/auth";
import { tableCounts, testDb, unique } from "./db";

// The route handlers called as Next calls them: a Request in, a Response out, on a real database.

const base = "http://localhost/api";
let editorToken = "";
const authz = () => ({ authorization: `Bearer ${editorToken}` });
const json = (method: string, path: string, body: unknown, type = "application/json") =>
  new Request(`${base}${path}`, {
    method,
    headers: { "content-type": type, ...authz() },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
/** A body-less request as an editor's script would send it. */
const call = (path: string, method = "GET") => new Request(`${base}${path}`, { method, headers: authz() });
const ctx = <T extends Record<string, string>>(params: T) => ({ params: Promise.resolve(params) });

function validDeal() {
  return {
    title: unique("API deal"),
    announcedOn: "2019-05-13",
    datePrecision: "day",
    types: ["mou", "strategic_partnership"],
    binding: "non_binding",
    status: "announced",
    summary: "Made through the API",
    value: { amount: "1250000.00", currency: "USD" },
    parties: [
      { company: unique("Api Alpha"), role: "partner" },
      { company: unique("Api Beta"), role: "partner" },
    ],
    technologies: ["5G", "AI"],
    quotes: [{ text: "Hello", speaker: "Jane", speakerTitle: "CEO", speakerCompany: "Alpha" }],
    sources: [{ url: "https://example.org/a", title: "A", publisher: "P", publishedOn: "2019-05-14" }],
    expandsDealId: null,
  };
}

async function create(body = validDeal()) {
  const response = await dealsRoute.POST(json("POST", "/deals", body));
  expect(response.status).toBe(201);
  return response.json();
}

beforeAll(async () => {
  testDb();
  editorToken = (await createApiToken({ name: "api-test", role: "editor" })).secret;
});

describe("POST /api/deals", () => {
  it("creates a deal and answers 201 with the resolved deal", async () => {
    const deal = await create();
    expect(deal).toMatchObject({ version: 1, value: { amount: "1250000.00", currency: "USD" } });
    expect(deal.parties[0].company).toMatchObject({ name: expect.any(String), slug: expect.any(String) });
    expect(deal.technologies.map((t: { name: string }) => t.name)).toEqual(["5G", "AI"]);
    const fetched = await dealRoute.GET(call(`/deals/${deal.id}`), ctx({ id: String(deal.id) }));
    expect(await fetched.json()).toEqual(deal);
  });

  const bad: [string, (d: ReturnType<typeof validDeal>) => unknown, string[]][] = [
    ["wrong types", (d) => ({ ...d, title: 42, types: "mou" }), ["title", "types"]],
    ["missing fields", () => ({}), ["title", "announcedOn", "types", "parties", "sources"]],
    [
      "unknown enum values",
      (d) => ({ ...d, types: ["merger"], binding: "maybe", status: "dead" }),
      ["types.0", "binding", "status"],
    ],
    ["a javascript: URL", (d) => ({ ...d, sources: [{ url: "javascript:alert(1)" }] }), ["sources.0.url"]],
    ["a data: URL", (d) => ({ ...d, sources: [{ url: "data:text/html,<b>x</b>" }] }), ["sources.0.url"]],
    ["fewer than two parties", (d) => ({ ...d, parties: [d.parties[0]] }), ["parties"]],
    [
      "the same company twice",
      (d) => ({
        ...d,
        parties: [d.parties[0], { ...d.parties[0], company: `${d.parties[0]!.company} Inc.` }],
      }),
      ["parties.1.company"],
    ],
    ["a 5 MB string", (d) => ({ ...d, title: "x".repeat(5 * 1024 * 1024) }), ["title"]],
    ["an impossible date", (d) => ({ ...d, announcedOn: "2024-02-31" }), ["announcedOn"]],
    [
      "a bad currency and amount",
      (d) => ({ ...d, value: { amount: "12.345", currency: "XYZ" } }),
      ["value.currency"],
    ],
    ["too many decimals", (d) => ({ ...d, value: { amount: "12.345", currency: "USD" } }), ["value.amount"]],
    ["no sources", (d) => ({ ...d, sources: [] }), ["sources"]],
    [
      "a source with neither address nor publisher",
      (d) => ({ ...d, sources: [{ url: "", title: "T" }] }),
      ["sources.0.url"],
    ],
    ["an unknown earlier deal", (d) => ({ ...d, expandsDealId: 987654 }), ["expandsDealId"]],
  ];
  it.each(bad)("answers 400 with field errors and changes nothing for %s", async (_name, mutate, fields) => {
    const before = await tableCounts();
    const response = await dealsRoute.POST(json("POST", "/deals", mutate(validDeal())));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fieldErrors)).toEqual(expect.arrayContaining(fields));
    expect(await tableCounts()).toEqual(before);
  });

  it("saves pasted text without a link under its publisher, and answers its url as null", async () => {
    const pasted = { url: "", title: "Pasted", publisher: "Pasted text", publishedOn: "2023-01-31" };
    const deal = await create({ ...validDeal(), sources: [pasted] } as ReturnType<typeof validDeal>);
    expect(deal.sources).toEqual([{ ...pasted, url: null }]);
    const fetched = await dealRoute.GET(call(`/deals/${deal.id}`), ctx({ id: String(deal.id) }));
    expect((await fetched.json()).sources).toEqual([{ ...pasted, url: null }]);
  });

  it("answers malformed JSON with 400 and other content types with 415", async () => {
    const malformed = await dealsRoute.POST(json("POST", "/deals", "{not json"));
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/not valid JSON/);
    const form = await dealsRoute.POST(
      json("POST", "/deals", "title=x", "application/x-www-form-urlencoded"),
    );
    expect(form.status).toBe(415);
  });
});

describe("GET /api/deals", () => {
  it("filters with the list's parameters and pages", async () => {
    const deal = await create();
    const response = await dealsRoute.GET(
      call(`/deals?company=${encodeURIComponent(deal.parties[0].company.name)}&type=mou&pageSize=5`),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ total: 1, page: 1, pageSize: 5 });
    expect(body.items[0].id).toBe(deal.id);
  });

  it("answers bad parameters with 400 naming each one", async () => {
    const response = await dealsRoute.GET(call(`/deals?pageSize=501&type=nope&from=yesterday&colour=red`));
    expect(response.status).toBe(400);
    expect(Object.keys((await response.json()).fieldErrors).sort()).toEqual([
      "colour",
      "from",
      "pageSize",
      "type",
    ]);
  });
});

describe("PATCH, DELETE and restore /api/deals/{id}", () => {
  it("patches with the version read, and answers 409 on a stale one", async () => {
    const deal = await create();
    const id = String(deal.id);
    const ok = await dealRoute.PATCH(
      json("PATCH", `/deals/${id}`, { version: 1, status: "active" }),
      ctx({ id }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ version: 2, status: "active", title: deal.title });
    const before = await tableCounts();
    const stale = await dealRoute.PATCH(
      json("PATCH", `/deals/${id}`, { version: 1, title: "Lost update" }),
      ctx({ id }),
    );
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ currentVersion: 2, yourVersion: 1 });
    expect(await tableCounts()).toEqual(before);
  });

  it("lets one of 8 parallel PATCHes at one version through and answers 409 to the others", async () => {
    const deal = await create();
    const id = String(deal.id);
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        dealRoute.PATCH(
          json("PATCH", `/deals/${id}`, { version: 1, title: `${deal.title} #${i}` }),
          ctx({ id }),
        ),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  });

  it("requires a version and validates the merged deal", async () => {
    const deal = await create();
    const id = String(deal.id);
    const noVersion = await dealRoute.PATCH(json("PATCH", `/deals/${id}`, { title: "x" }), ctx({ id }));
    expect(noVersion.status).toBe(400);
    expect((await noVersion.json()).fieldErrors.version).toBeDefined();
    const badUrl = await dealRoute.PATCH(
      json("PATCH", `/deals/${id}`, { version: 1, sources: [{ url: "ftp://x" }] }),
      ctx({ id }),
    );
    expect(badUrl.status).toBe(400);
  });

  it("soft-deletes, hides the deal, and restores it", async () => {
    const deal = await create();
    const id = String(deal.id);
    const deleted = await dealRoute.DELETE(call(`/deals/${id}`, "DELETE"), ctx({ id }));
    expect(deleted.status).toBe(200);
    expect((await dealRoute.GET(call(`/deals/${id}`), ctx({ id }))).status).toBe(404);
    const restored = await restoreRoute.POST(call(`/deals/${id}/restore`, "POST"), ctx({ id }));
    expect(restored.status).toBe(200);
    expect((await dealRoute.GET(call(`/deals/${id}`), ctx({ id }))).status).toBe(200);
  });

  it("answers 404 for missing and malformed ids", async () => {
    for (const id of ["999999", "abc", "-1", "1.5", "0"]) {
      expect((await dealRoute.GET(call(`/deals/${id}`), ctx({ id }))).status).toBe(404);
    }
    expect((await dealRoute.DELETE(call(`/deals/999999`, "DELETE"), ctx({ id: "999999" }))).status).toBe(404);
  });
});

describe("companies and technologies", () => {
  it("creates a company with aliases and finds it by alias", async () => {
    const name = unique("Api Gamma");
    const created = await companiesRoute.POST(
      json("POST", "/companies", { name, aliases: [`${name} Alias`], country: "kr" }),
    );
    expect(created.status).toBe(201);
    const company = await created.json();
    expect(company.country).toBe("KR");
    const found = await (
      await companiesRoute.GET(call(`/companies?q=${encodeURIComponent(`${name} alias`)}`))
    ).json();
    expect(found.items.map((c: { name: string }) => c.name)).toContain(name);
    const one = await companyRoute.GET(call(`/companies/${company.slug}`), ctx({ slug: company.slug }));
    expect((await one.json()).aliases).toEqual([`${name} Alias`]);
  });

  it("refuses a duplicate company under another spelling, and bad fields", async () => {
    const name = unique("Api Delta");
    await companiesRoute.POST(json("POST", "/companies", { name }));
    const dupe = await companiesRoute.POST(
      json("POST", "/companies", { name: `${name.toUpperCase()}, Ltd.` }),
    );
    expect(dupe.status).toBe(400);
    const bad = await companiesRoute.POST(
      json("POST", "/companies", { name: "", country: "Korea", website: "javascript:x" }),
    );
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["country", "name", "website"]);
    expect((await companyRoute.GET(call(`/companies/nope`), ctx({ slug: "nope" }))).status).toBe(404);
  });

  it("lists and adds technology areas", async () => {
    const name = unique("Api Area");
    expect((await technologiesRoute.POST(json("POST", "/technologies", { name }))).status).toBe(201);
    expect(
      (await technologiesRoute.POST(json("POST", "/technologies", { name: name.toLowerCase() }))).status,
    ).toBe(400);
    const list = await (await technologiesRoute.GET(call(`/technologies`))).json();
    expect(list.items.map((t: { name: string }) => t.name)).toContain(name);
  });
});

describe("stats endpoints", () => {
  it("agree with /api/deals for the same filters", async () => {
    const { GET: summary } = await import("@/app/api/stats/summary/route");
    const { GET: overTime } = await import("@/app/api/stats/deals-over-time/route");
    const deal = await create();
    const company = encodeURIComponent(deal.parties[0].company.name);
    for (const query of [
      "",
      `company=${company}`,
      "type=mou&binding=non_binding",
      "from=2019-01-01&to=2019-12-31",
    ]) {
      const listed = await (await dealsRoute.GET(call(`/deals?${query}`))).json();
      const stats = await (await summary(call(`/stats/summary?${query}`))).json();
      expect(stats.deals).toBe(listed.total);
      const series = await (await overTime(call(`/stats/deals-over-time?${query}&interval=year`))).json();
      expect(series.buckets.reduce((sum: number, b: { total: number }) => sum + b.total, 0)).toBe(
        listed.total,
      );
    }
  });

  it("never serve a cached answer older than the data, whoever wrote it", async () => {
    const { GET: summary } = await import("@/app/api/stats/summary/route");
    const count = async () => (await (await summary(call("/stats/summary"))).json()).deals as number;
    const first = await count();
    expect(await count()).toBe(first);
    await create();
    expect(await count()).toBe(first + 1);
    // A write through another handle (another app server, another process, the CLI) is seen too.
    const { openDatabase } = await import("@/db/core/connection");
    const { createDeal } = await import("@/db/deals/deal-writes");
    const { dealInput } = await import("@/lib/validation");
    const other = openDatabase();
    await createDeal(dealInput.parse(validDeal()), { actor: "other process" }, other);
    await other.close();
    expect(await count()).toBe(first + 2);
  });

  it("answer bad parameters with 400 and a clear message", async () => {
    const { GET: overTime } = await import("@/app/api/stats/deals-over-time/route");
    const { GET: top } = await import("@/app/api/stats/top-companies/route");
    const { GET: timelineRoute } = await import("@/app/api/timeline/route");
    const bad = await overTime(call("/stats/deals-over-time?interval=week&from=2024-13-01"));
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["from", "interval"]);
    expect((await top(call("/stats/top-companies?by=revenue"))).status).toBe(400);
    expect((await top(call("/stats/top-companies?limit=9999"))).status).toBe(400);
    expect((await timelineRoute(call("/timeline?groupBy=country"))).status).toBe(400);
    expect((await timelineRoute(call("/timeline?lanes=3"))).status).toBe(400);
  });
});

describe("hostile query strings", () => {
  // Raw query-string pieces as a client can send them: control characters, lone surrogates (as
  // invalid UTF-8), very long text and FTS5 syntax. Each must be answered, never a 500.
  const HOSTILE = [
    "a%00",
    "%00",
    "a%01b",
    "%1F",
    "%7F",
    "%ED%A0%80",
    "a%ED%A0%80b",
    "%F0%9F%98%80",
    "x".repeat(5000),
    "%22",
    "%22%22%22",
    "*",
    "a*",
    "NEAR(",
    "NEAR(a%20b)",
    "-",
    "-a",
    "a%20OR%20b",
    "a%20AND%20NOT%20b",
    "%5E",
    "(",
    ")",
    "%3A",
    "col%3Avalue",
    "%25",
    "%E2%80%8B",
  ];
  const okOrRefused = (status: number) =>
    expect([status >= 200 && status < 300, status >= 400 && status < 500]).toContain(true);

  it.each(HOSTILE)("q=%s is answered with 2xx or 4xx by lists, stats and exports", async (raw) => {
    const { GET: summary } = await import("@/app/api/stats/summary/route");
    const { GET: overTime } = await import("@/app/api/stats/deals-over-time/route");
    const { GET: top } = await import("@/app/api/stats/top-companies/route");
    const { GET: timelineRoute } = await import("@/app/api/timeline/route");
    const { GET: network } = await import("@/app/api/network/route");
    const { GET: exportDeals } = await import("@/app/api/export/deals.csv/route");
    const { GET: exportChart } = await import("@/app/api/export/stats/[chart]/route");
    for (const param of ["q", "company", "technology", "partner"]) {
      const query = `${param}=${raw}`;
      const responses: [string, Response][] = [
        ["deals", await dealsRoute.GET(call(`/deals?${query}`))],
        ["summary", await summary(call(`/stats/summary?${query}`))],
        ["over time", await overTime(call(`/stats/deals-over-time?${query}`))],
        ["top", await top(call(`/stats/top-companies?${query}`))],
        ["timeline", await timelineRoute(call(`/timeline?${query}`))],
        ["network", await network(call(`/network?${query}`))],
        ["export", await exportDeals(call(`/export/deals.csv?${query}`))],
        [
          "chart export",
          await exportChart(call(`/export/stats/summary.csv?${query}`), ctx({ chart: "summary.csv" })),
        ],
      ];
      if (param === "q") responses.push(["companies", await companiesRoute.GET(call(`/companies?q=${raw}`))]);
      for (const [name, response] of responses) {
        okOrRefused(response.status);
        // An export must stream to its end, not abort halfway.
        const text = await response.text();
        if (response.status >= 400) expect(JSON.parse(text), name).toHaveProperty("fieldErrors");
      }
    }
  });

  it("names the field and says why for control characters", async () => {
    const response = await dealsRoute.GET(call("/deals?q=a%00&company=b%01"));
    expect(response.status).toBe(400);
    const { fieldErrors } = await response.json();
    expect(fieldErrors.q.join(" ")).toMatch(/control characters/);
    expect(fieldErrors.company.join(" ")).toMatch(/control characters/);
  });

  it.each(HOSTILE)("the pages' lenient parse of q=%s gives filters the queries accept", async (raw) => {
    const { parseDealFiltersLenient } = await import("@/lib/filters");
    const { listDeals } = await import("@/db/deals/deals");
    for (const query of [`q=${raw}`, `company=${raw}`, `technology=${raw}&q=a`]) {
      const { filters } = parseDealFiltersLenient(new URLSearchParams(query));
      await expect(listDeals(filters)).resolves.toBeDefined();
    }
  });
});

describe("body size limits hold on the bytes read", () => {
  /** A chunked body (no Content-Length) of `total` bytes, counting how much was pulled from it. */
  function hugeStream(total: number, chunk = 64 * 1024) {
    const state = { pulled: 0, finished: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled >= total) {
          state.finished = true;
          controller.close();
          return;
        }
        state.pulled += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
    });
    return { stream, state };
  }
  const streamed = (path: string, type: string, body: ReadableStream, headers: Record<string, string> = {}) =>
    new Request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": type, ...headers },
      body,
      duplex: "half",
    } as RequestInit);

  it("POST /api/session refuses a 200 MB chunked body after reading little of it", async () => {
    const sessionRoute = await import("@/app/api/session/route");
    const { stream, state } = hugeStream(200 * 1024 * 1024);
    const response = await sessionRoute.POST(
      streamed("/session", "application/json", stream, { origin: "http://localhost", host: "localhost" }),
    );
    expect(response.status).toBe(413);
    expect(state.finished).toBe(false);
    expect(state.pulled).toBeLessThan(1024 * 1024);
  });

  it("POST /api/deals refuses a chunked body over 10 MB without reading it all", async () => {
    const { stream, state } = hugeStream(100 * 1024 * 1024);
    const response = await dealsRoute.POST(streamed("/deals", "application/json", stream, authz()));
    expect(response.status).toBe(413);
    expect(state.finished).toBe(false);
    expect(state.pulled).toBeLessThan(12 * 1024 * 1024);
  });

  it("POST /api/import refuses chunked CSV and multipart bodies over 20 MB without reading them all", async () => {
    const importRoute = await import("@/app/api/import/route");
    for (const type of ["text/csv", "multipart/form-data; boundary=xyz"]) {
      const { stream, state } = hugeStream(200 * 1024 * 1024);
      const response = await importRoute.POST(streamed("/import", type, stream, authz()));
      expect(response.status, type).toBe(413);
      expect((await response.json()).error).toMatch(/20 MB/);
      expect(state.finished).toBe(false);
      expect(state.pulled).toBeLessThan(22 * 1024 * 1024);
    }
  });

  it("still reads a multipart upload under the cap", async () => {
    const importRoute = await import("@/app/api/import/route");
    const form = new FormData();
    form.set("file", new Blob(["title,announced_on\nA,2020-01-01\n"], { type: "text/csv" }), "a.csv");
    const response = await importRoute.POST(
      new Request(`${base}/import?dryRun=1`, { method: "POST", headers: authz(), body: form }),
    );
    expect(response.status).not.toBe(413);
    expect((await response.json()).header).toEqual(["title", "announced_on"]);
  });

  it("refuses a lying Content-Length before reading", async () => {
    const response = await dealsRoute.POST(
      new Request(`${base}/deals`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(50 * 1024 * 1024),
          ...authz(),
        },
        body: "{}",
      }),
    );
    expect(response.status).toBe(413);
  });
});
