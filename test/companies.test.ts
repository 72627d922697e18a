import { PUBLIC_VIEWER } from "@/db/accounts/visibility";
import { beforeAll, describe, expect, it } from "vitest";
import * as dealsRoute from "@/app/api/deals/route";
import * as exportRoute from "@/app/api/export/deals.csv/route";
import * as companiesRoute from "@/app/api/companies/route";
import * as companyRoute from "@/app/api/companies/[slug]/route";
import * as mergeRoute from "@/app/api/companies/[slug]/merge/route";
import * as duplicatesRoute from "@/app/api/companies/duplicates/route";
import * as undoRoute from "@/app/api/merges/[id]/undo/route";
import * as technologyRoute from "@/app/api/technologies/[slug]/route";
import * as technologyMergeRoute from "@/app/api/technologies/[slug]/merge/route";
import { createApiToken } from "@/db/accounts/auth";
import { sql } from "drizzle-orm";
import { dismissDuplicate } from "@/db/directory/duplicates";
import { planImport } from "@/db/deals/import";
import { migrateDatabase } from "@/db/core/migrate";
import { createDeal, updateDeal } from "@/db/deals/deal-writes";
import { autoMap, readCsv } from "@/lib/csv-import";
import { listDeals } from "@/db/deals/deals";
import { technologiesOverTime, technologyCounts } from "@/db/stats/stats";
import { defaultFilters } from "@/lib/filters";
import { dealFixture, tableCounts, testDb, unique } from "./db";

// Company and technology-area editing, merging and un-merging through the route handlers, on a
// real database: a merge then its undo must give back exactly what the API and the export showed.

let token = "";
const headers = () => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });
const get = (url: string) => new Request(`http://localhost${url}`, { headers: headers() });
const send = (method: string, url: string, body: unknown) =>
  new Request(`http://localhost${url}`, {
    method,
    headers: headers(),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const ctx = <T extends Record<string, string>>(params: T) => ({ params: Promise.resolve(params) });

async function snapshot(q: string) {
  const list = await (await dealsRoute.GET(get(`/api/deals?q=${encodeURIComponent(q)}&pageSize=100`))).json();
  const csv = await (await exportRoute.GET(get(`/api/export/deals.csv?q=${encodeURIComponent(q)}`))).text();
  const parties = await (
    await exportRoute.GET(get(`/api/export/deals.csv?q=${encodeURIComponent(q)}&layout=parties`))
  ).text();
  return { list, csv, parties };
}

async function createCompany(body: Record<string, unknown>) {
  const response = await companiesRoute.POST(send("POST", "/api/companies", body));
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}

beforeAll(async () => {
  testDb();
  token = (await createApiToken({ name: "companies-test", role: "editor" })).secret;
});

describe("names that cannot be spoofed", () => {
  it("refuses a name without letters or digits with a field error, every time", async () => {
    for (const name of ["!!!", "🙂", "\u200B\u200B", "!!!"]) {
      const response = await companiesRoute.POST(send("POST", "/api/companies", { name }));
      expect(response.status).toBe(400);
      expect((await response.json()).fieldErrors.name).toBeDefined();
    }
  });

  it("stores the normalised name and treats a look-alike as the same company", async () => {
    const tag = unique("Spoof").replace(/\W/g, "");
    const real = await createCompany({ name: `Samsung ${tag}` });
    const fake = await companiesRoute.POST(
      send("POST", "/api/companies", { name: `\u0405amsung\u200B  ${tag}` }),
    );
    expect(fake.status).toBe(400);
    const clean = await createCompany({ name: `  Ｌｏｏｋ\u200D ${tag} ` });
    expect(clean.name).toBe(`Look ${tag}`);
    expect(clean.slug).not.toBe(real.slug);
    // A deal naming the look-alike links to the real company instead of creating one.
    const deal = await createDeal(
      dealFixture({ parties: [{ company: `Ѕаmѕung ${tag}` }, { company: unique("Other") }] }),
      { actor: "test" },
    );
    expect(deal.parties[0]!.company.id).toBe(real.id);
  });

  it("reports a probable duplicate on creation but still creates it", async () => {
    const base = await createCompany({ name: unique("Microsoft Dup") });
    const typo = base.name.replace("Microsoft", "Microsfot");
    const created = await createCompany({ name: typo });
    expect(created.probableDuplicates).toEqual([
      expect.objectContaining({
        company: expect.objectContaining({ id: base.id }),
        reasons: [expect.objectContaining({ code: "close-spelling" })],
      }),
    ]);
  });
});

describe("probable duplicates and stale keys", () => {
  it("warns in the import preview when a new company probably duplicates one", async () => {
    const base = await createCompany({ name: unique("Telefonica Dup") });
    const typo = base.name.replace("Telefonica", "Telefonicca");
    const csv = readCsv(
      Buffer.from(
        `title,announced_on,deal_types,parties,source_url\r\n${unique("Imp")},2024-01-01,mou,"${typo}; ${unique("Other")}",https://example.org/x`,
      ),
    );
    if ("error" in csv) throw new Error(csv.error);
    const plan = await planImport(csv, autoMap(csv.header), PUBLIC_VIEWER);
    expect(plan.rows[0]!.warnings).toContain(`“${typo}” may be a duplicate of ${base.name} (close spelling)`);
  });

  it("rekeys names stored under older rules when migrating", async () => {
    const db = testDb();
    const name = `\u0405tale ${unique("Key")}`;
    const slug = unique("stale").replace(/\W/g, "-");
    await db.write((tx) =>
      tx.execute(
        sql`INSERT INTO companies (name, name_key, slug) VALUES (${name}, ${name.toLowerCase()}, ${slug})`,
      ),
    );
    await migrateDatabase(db);
    const { rows } = await db.execute<{ key: string }>(
      sql`SELECT name_key AS key FROM companies WHERE name = ${name}`,
    );
    expect(rows[0]!.key).toMatch(/^stale key/);
  });
});

describe("PATCH /api/companies/{slug}", () => {
  it("renames, keeps the old name as an alias, keeps the slug unless asked, and refreshes derived copies", async () => {
    const deal = await createDeal(dealFixture(), { actor: "test" });
    const company = deal.parties[0]!.company;
    const read = await (await companyRoute.GET(get("/x"), ctx({ slug: company.slug }))).json();
    const newName = unique("Renamed Co");
    const response = await companyRoute.PATCH(
      send("PATCH", "/x", { version: read.version, name: newName }),
      ctx({ slug: company.slug }),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const renamed = await response.json();
    expect(renamed).toMatchObject({ name: newName, slug: company.slug, version: read.version + 1 });
    expect(renamed.aliases).toContain(company.name);
    const { list, csv } = await snapshot(newName);
    expect(list.items.map((d: { id: number }) => d.id)).toEqual([deal.id]);
    expect(csv).toContain(newName);

    // Stale version → 409; with changeSlug the slug moves and the old one redirects.
    const stale = await companyRoute.PATCH(
      send("PATCH", "/x", { version: read.version, sector: "517" }),
      ctx({ slug: company.slug }),
    );
    expect(stale.status).toBe(409);
    const moved = await (
      await companyRoute.PATCH(
        send("PATCH", "/x", { version: renamed.version, changeSlug: true }),
        ctx({ slug: company.slug }),
      )
    ).json();
    expect(moved.slug).not.toBe(company.slug);
    const old = await companyRoute.GET(get("/x"), ctx({ slug: company.slug }));
    expect(old.status).toBe(308);
    expect(old.headers.get("location")).toContain(`/api/companies/${moved.slug}`);
    // A new company can never take the old slug.
    const newcomer = await createCompany({ name: company.name.replace(/ \d.*$/, "") + " " + unique("x") });
    expect(newcomer.slug).not.toBe(company.slug);
  });

  it("answers bad input with field errors, never a 500", async () => {
    const a = await createCompany({ name: unique("Parent Co") });
    const b = await createCompany({ name: unique("Child Co"), parent: a.name });
    const takenAlias = unique("Taken Alias");
    const other = await createCompany({ name: unique("Other Co"), aliases: [takenAlias] });
    const cases: [unknown, string[]][] = [
      [{ version: a.version, parent: b.name }, ["parent"]],
      [{ version: a.version, parent: a.slug }, ["parent"]],
      [{ version: a.version, name: other.name }, ["name"]],
      [{ version: a.version, aliases: [takenAlias] }, ["aliases.0"]],
      [{ version: a.version, country: "Korea", website: "javascript:alert(1)" }, ["country", "website"]],
      [{ version: a.version, name: "🙂" }, ["name"]],
      [{ name: "x" }, ["version"]],
      [{ version: "1", aliases: "x", keepOldName: "yes" }, ["version", "aliases", "keepOldName"]],
      [[1, 2], ["_form"]],
    ];
    for (const [body, fields] of cases) {
      const before = await tableCounts();
      const response = await companyRoute.PATCH(send("PATCH", "/x", body), ctx({ slug: a.slug }));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors).sort()).toEqual(fields.sort());
      expect(await tableCounts()).toEqual(before);
    }
    expect((await companyRoute.PATCH(send("PATCH", "/x", "{"), ctx({ slug: a.slug }))).status).toBe(400);
    expect(
      (await companyRoute.PATCH(send("PATCH", "/x", { version: 1 }), ctx({ slug: "no-such-co" }))).status,
    ).toBe(404);
  });
});

describe("merge and undo", () => {
  it("merges with a preview, and undo gives back exactly the previous deals and exports", async () => {
    const tag = unique("Roundtrip").replace(/\W/g, "");
    const survivor = await createCompany({ name: `Survivor ${tag}`, aliases: [`Surv ${tag}`] });
    const merged = await createCompany({ name: `Merged ${tag}`, aliases: [`Mrg ${tag}`] });
    const sub = await createCompany({ name: `Sub ${tag}`, parent: merged.name });
    const third = unique("Third");
    const moved = await createDeal(
      dealFixture({ title: `${tag} one`, parties: [{ company: merged.name }, { company: third }] }),
      { actor: "t" },
    );
    const shared = await createDeal(
      dealFixture({
        title: `${tag} two`,
        parties: [
          { company: survivor.name },
          { company: third, role: "investor" },
          { company: merged.name, role: "investee" },
        ],
      }),
      { actor: "t" },
    );
    const before = await snapshot(tag);
    expect(before.list.total).toBe(2);
    await dismissDuplicate(merged.slug, sub.slug);

    const preview = await (
      await mergeRoute.POST(
        send("POST", "/x", { into: `Surv ${tag}`, dryRun: true }),
        ctx({ slug: merged.slug }),
      )
    ).json();
    expect(preview).toMatchObject({
      canMerge: true,
      target: { id: survivor.id },
      movedDeals: [{ id: moved.id }],
      sharedDeals: [{ id: shared.id }],
      blockingDeals: [],
      aliases: [`Mrg ${tag}`],
      children: [{ id: sub.id }],
      nameBecomesAlias: merged.name,
    });
    const countsBefore = await tableCounts();
    const result = await mergeRoute.POST(
      send("POST", "/x", { into: survivor.slug, dryRun: false }),
      ctx({ slug: merged.slug }),
    );
    expect(result.status, await result.clone().text()).toBe(200);
    const { company, mergeId } = await result.json();
    expect(company.aliases).toEqual(expect.arrayContaining([`Surv ${tag}`, merged.name, `Mrg ${tag}`]));
    expect(company.subsidiaries.map((s: { id: number }) => s.id)).toEqual([sub.id]);
    const after = await snapshot(tag);
    expect(after.csv).not.toContain(`Merged ${tag} (`);
    expect((await listDeals({ ...defaultFilters, company: [merged.name] })).total).toBe(2);
    const old = await companyRoute.GET(get("/x"), ctx({ slug: merged.slug }));
    expect(old.status).toBe(308);

    const undo = await undoRoute.POST(send("POST", "/x", {}), ctx({ id: String(mergeId) }));
    expect(undo.status, await undo.clone().text()).toBe(200);
    expect(await snapshot(tag)).toEqual(before);
    const back = await (await companyRoute.GET(get("/x"), ctx({ slug: merged.slug }))).json();
    expect(back).toMatchObject({
      id: merged.id,
      name: merged.name,
      aliases: [`Mrg ${tag}`],
      subsidiaries: [{ id: sub.id }],
    });
    const { rows: dismissed } = await testDb().execute<{ n: number }>(
      sql`SELECT count(*) AS n FROM company_non_duplicates WHERE company_a = ${merged.id} OR company_b = ${merged.id}`,
    );
    expect(Number(dismissed[0]!.n)).toBe(1);
    const survivorNow = await (await companyRoute.GET(get("/x"), ctx({ slug: survivor.slug }))).json();
    expect(survivorNow.aliases).toEqual([`Surv ${tag}`]);
    // Only history rows were added.
    const counts = await tableCounts();
    for (const table of ["companies", "company_aliases", "deal_parties", "deal_cells", "deals"])
      expect(counts[table], table).toBe(countsBefore[table]);

    const again = await undoRoute.POST(send("POST", "/x", {}), ctx({ id: String(mergeId) }));
    expect(again.status).toBe(409);
  });

  it("blocks a merge that would leave a deal with one party", async () => {
    const deal = await createDeal(dealFixture(), { actor: "t" });
    const [a, b] = deal.parties.map((p) => p.company);
    const preview = await (
      await mergeRoute.POST(send("POST", "/x", { into: b!.name }), ctx({ slug: a!.slug }))
    ).json();
    expect(preview).toMatchObject({ canMerge: false, blockingDeals: [{ id: deal.id }] });
    const before = await tableCounts();
    const refused = await mergeRoute.POST(
      send("POST", "/x", { into: b!.name, dryRun: false }),
      ctx({ slug: a!.slug }),
    );
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain(`#${deal.id}`);
    expect(await tableCounts()).toEqual(before);
    for (const body of [
      {},
      { into: a!.slug },
      { into: "nobody at all 123" },
      { into: b!.name, dryRun: "no" },
    ]) {
      const response = await mergeRoute.POST(send("POST", "/x", body), ctx({ slug: a!.slug }));
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it("keeps later edits, and refuses an undo that no longer applies, changing nothing", async () => {
    const deal = await createDeal(dealFixture(), { actor: "t" });
    const [a] = deal.parties.map((p) => p.company);
    const target = await createCompany({ name: unique("Target Co") });
    const { mergeId } = await (
      await mergeRoute.POST(send("POST", "/x", { into: target.slug, dryRun: false }), ctx({ slug: a!.slug }))
    ).json();
    // Someone edits the deal after the merge and replaces the survivor with another company.
    const current = (await listDeals({ ...defaultFilters, q: deal.title })).items[0]!;
    await updateDeal(
      deal.id,
      {
        ...dealFixture({ title: deal.title }),
        parties: [
          { company: unique("Newcomer"), role: "partner" },
          { company: current.parties[1]!.company.name, role: "partner" },
        ],
      },
      current.version,
      { actor: "t" },
    );
    const before = await tableCounts();
    const refused = await undoRoute.POST(send("POST", "/x", {}), ctx({ id: String(mergeId) }));
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toContain(`Deal #${deal.id}`);
    expect(await tableCounts()).toEqual(before);
    expect((await undoRoute.POST(send("POST", "/x", {}), ctx({ id: "abc" }))).status).toBe(404);
    expect((await undoRoute.POST(send("POST", "/x", {}), ctx({ id: "999999" }))).status).toBe(404);
  });
});

describe("technology areas", () => {
  it("renames, sets a broader area that rolls up, merges and undoes", async () => {
    const tag = unique("Area").replace(/\W/g, "");
    const broad = `AI ${tag}`;
    const narrow = `LLM ${tag}`;
    const d1 = await createDeal(dealFixture({ title: `${tag} a`, technologies: [narrow] }), { actor: "t" });
    await createDeal(dealFixture({ title: `${tag} b`, technologies: [broad] }), { actor: "t" });
    const narrowSlug = d1.technologies[0]!.slug;
    const read = await (await technologyRoute.GET(get("/x"), ctx({ slug: narrowSlug }))).json();
    const renamed = await technologyRoute.PATCH(
      send("PATCH", "/x", { version: read.version, name: `Large language models ${tag}`, parent: broad }),
      ctx({ slug: narrowSlug }),
    );
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    expect(await renamed.json()).toMatchObject({ parent: { name: broad }, slug: narrowSlug });
    const count = async (rollup: boolean) =>
      (await technologyCounts({ ...defaultFilters, q: tag, rollup })).find((t) => t.name === broad)?.deals;
    expect(await count(false)).toBe(1);
    expect(await count(true)).toBe(2);
    const broadSlug = broad.toLowerCase().replace(/ /g, "-");
    const overTime = async (rollup: boolean) =>
      (await technologiesOverTime({ ...defaultFilters, q: tag, rollup }, "year")).buckets.reduce(
        (sum, b) => sum + (b.counts[broadSlug] ?? 0),
        0,
      );
    expect([await overTime(false), await overTime(true)]).toEqual([1, 2]);
    for (const [body, fields] of [
      [{ version: read.version + 1, name: "🙂" }, ["name"]],
      [{ version: read.version + 1, parent: "no such area anywhere" }, ["parent"]],
      [{ version: read.version + 1, parent: narrowSlug }, ["parent"]],
      [{ name: 5 }, ["version", "name"]],
    ] as const) {
      const response = await technologyRoute.PATCH(send("PATCH", "/x", body), ctx({ slug: narrowSlug }));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors).sort()).toEqual([...fields].sort());
    }
    expect(
      (await technologyMergeRoute.POST(send("POST", "/x", { into: narrowSlug }), ctx({ slug: narrowSlug })))
        .status,
    ).toBe(400);
    expect((await technologyRoute.GET(get("/x"), ctx({ slug: "no-such-area" }))).status).toBe(404);
    const cycle = await technologyRoute.PATCH(
      send("PATCH", "/x", { version: 1, parent: narrowSlug }),
      ctx({ slug: broad.toLowerCase().replace(/ /g, "-") }),
    );
    expect(cycle.status).toBe(400);

    const before = await snapshot(tag);
    const merge = await technologyMergeRoute.POST(
      send("POST", "/x", { into: broad, dryRun: false }),
      ctx({ slug: narrowSlug }),
    );
    expect(merge.status, await merge.clone().text()).toBe(200);
    const { mergeId } = await merge.json();
    expect((await snapshot(tag)).csv).not.toContain("Large language models");
    // The merged area's name now finds the survivor, so a new deal does not bring it back.
    const later = await createDeal(
      dealFixture({ title: `${tag} c`, technologies: [`Large language models ${tag}`] }),
      {
        actor: "t",
      },
    );
    expect(later.technologies.map((t) => t.name)).toEqual([broad]);
    expect((await undoRoute.POST(send("POST", "/x", {}), ctx({ id: String(mergeId) }))).status).toBe(200);
    const restored = await snapshot(tag);
    const without = (text: string) =>
      text
        .split("\r\n")
        .filter((line) => !line.includes(`${tag} c`))
        .join("\r\n");
    expect(without(restored.csv)).toEqual(before.csv);
  });
});

describe("GET /api/companies/duplicates", () => {
  it("lists likely pairs with reasons, never the hard negatives, and forgets dismissed pairs", async () => {
    const tag = unique("Dup").replace(/\W/g, "");
    for (const name of [
      "Samsung SDS",
      "Samsung SDI",
      "Intel",
      "Intelsat",
      "SK Hynix",
      "SK Telecom",
      "Nokia",
      "Nokia Bell Labs",
      "Samsung Electronic",
      "Samsung Electronics",
    ])
      await createCompany({ name: `${tag}${name}` });
    const response = await duplicatesRoute.GET(get("/api/companies/duplicates?limit=500"));
    expect(response.status).toBe(200);
    type Pair = {
      a: { name: string; slug: string };
      b: { name: string; slug: string };
      reasons: { code: string }[];
    };
    const pairs: Pair[] = (await response.json()).items.filter((p: { a: { name: string } }) =>
      p.a.name.startsWith(tag),
    );
    const names = pairs.map((p) => [p.a.name, p.b.name].sort().join(" | "));
    expect(names).toEqual([`${tag}Samsung Electronic | ${tag}Samsung Electronics`]);
    expect(pairs[0]!.reasons.map((r) => r.code)).toEqual(["close-spelling"]);
    await dismissDuplicate(pairs[0]!.a.slug, pairs[0]!.b.slug);
    const after = await (await duplicatesRoute.GET(get("/api/companies/duplicates?limit=500"))).json();
    expect(after.items.filter((p: { a: { name: string } }) => p.a.name.startsWith(tag))).toEqual([]);
    expect((await duplicatesRoute.GET(get("/api/companies/duplicates?limit=0"))).status).toBe(400);
  });
});
