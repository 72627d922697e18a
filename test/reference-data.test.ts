import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import * as companiesRoute from "@/app/api/companies/route";
import * as companyRoute from "@/app/api/companies/[slug]/route";
import * as importRoute from "@/app/api/companies/import/route";
import { createApiToken } from "@/db/accounts/auth";
import { listRecordRevisions } from "@/db/directory/merges";
import { migrateDatabase } from "@/db/core/migrate";
import { getDb } from "@/db/core/index";
import { REFERENCE_MIGRATION_ACTOR } from "@/db/directory/reference-data";
import { companies } from "@/db/schema";
import { tableCounts, testDb, unique } from "./db";

// Companies' reference data (issue 23) through the route handlers on a real database: the PATCH
// checks, the answer's shape, the free-text migration and the CSV reference import.

let editor = "";
let viewer = "";
const request = (token: string, method: string, url: string, body?: string, type = "application/json") =>
  new Request(`http://localhost${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": type },
    body,
  });
const ctx = (slug: string) => ({ params: Promise.resolve({ slug }) });

async function createCompany(body: Record<string, unknown>) {
  const response = await companiesRoute.POST(request(editor, "POST", "/api/companies", JSON.stringify(body)));
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json();
}
const getCompany = async (slug: string) =>
  (await companyRoute.GET(request(editor, "GET", `/x`), ctx(slug))).json();
const importCsv = (csv: string, query = "", token = editor) =>
  importRoute.POST(request(token, "POST", `/api/companies/import${query}`, csv, "text/csv"));

beforeAll(async () => {
  testDb();
  editor = (await createApiToken({ name: "reference-editor", role: "editor" })).secret;
  viewer = (await createApiToken({ name: "reference-viewer", role: "viewer" })).secret;
});

describe("PATCH /api/companies/{slug} with reference fields", () => {
  it("stores the codes and answers them with their names, region and identifiers, everywhere", async () => {
    const company = await createCompany({ name: unique("Ref Apple") });
    const response = await companyRoute.PATCH(
      request(
        editor,
        "PATCH",
        "/x",
        JSON.stringify({
          version: company.version,
          country: "us",
          sector: "334",
          lei: "HWUPKR0MPOU8FGXBT394",
          wikidataId: "Q312",
          ticker: "nasdaq:aapl",
          website: "https://www.apple.com",
        }),
      ),
      ctx(company.slug),
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const expected = {
      country: "US",
      countryName: "United States of America",
      region: "Americas",
      sector: "334",
      sectorName: "Computer and Electronic Product Manufacturing",
      lei: "HWUPKR0MPOU8FGXBT394",
      wikidataId: "Q312",
      ticker: "NASDAQ:AAPL",
    };
    expect(await response.json()).toMatchObject({ ...expected, website: "https://www.apple.com" });
    expect(await getCompany(company.slug)).toMatchObject(expected);
    const list = await (
      await companiesRoute.GET(request(editor, "GET", `/api/companies?q=${encodeURIComponent(company.name)}`))
    ).json();
    expect(list.items[0]).toMatchObject({ slug: company.slug, ...expected });
    const created = await createCompany({ name: unique("Ref Nokia"), country: "fi", sector: "334" });
    expect(created).toMatchObject({
      country: "FI",
      countryName: "Finland",
      region: "Europe",
      sectorName: expect.any(String),
    });
  });

  it("answers a bad code or check digit with a 400 naming the field, and changes nothing", async () => {
    const company = await createCompany({ name: unique("Ref Bad"), country: "KR" });
    const cases: [Record<string, unknown>, string][] = [
      [{ country: "XX" }, "country"],
      [{ sector: "Telecom" }, "sector"],
      [{ lei: "HWUPKR0MPOU8FGXBT395" }, "lei"],
      [{ wikidataId: "312" }, "wikidataId"],
      [{ ticker: "AAPL" }, "ticker"],
      [{ website: "ftp://example.org" }, "website"],
    ];
    for (const [fields, field] of cases) {
      const before = await tableCounts();
      const response = await companyRoute.PATCH(
        request(editor, "PATCH", "/x", JSON.stringify({ version: company.version, ...fields })),
        ctx(company.slug),
      );
      expect(response.status, field).toBe(400);
      expect(Object.keys((await response.json()).fieldErrors)).toEqual([field]);
      expect(await tableCounts()).toEqual(before);
    }
    const lei = await companyRoute.PATCH(
      request(
        editor,
        "PATCH",
        "/x",
        JSON.stringify({ version: company.version, lei: "HWUPKR0MPOU8FGXBT395" }),
      ),
      ctx(company.slug),
    );
    expect((await lei.json()).fieldErrors.lei).toEqual(["Check digits do not match"]);
    expect(await getCompany(company.slug)).toMatchObject({
      country: "KR",
      version: company.version,
      lei: null,
    });
  });
});

describe("the free-text country and sector migration", () => {
  it("maps unambiguous names to codes, keeps unmatched text in the history, and is idempotent", async () => {
    const mapped = await createCompany({ name: unique("Ref Old Mapped") });
    const unmatched = await createCompany({ name: unique("Ref Old Unmatched") });
    const coded = await createCompany({ name: unique("Ref Old Coded"), country: "JP", sector: "517" });
    // Values as the free-text columns held them before they became codes.
    await getDb().write(async (tx) => {
      await tx
        .update(companies)
        .set({ country: "South Korea", sector: "Telecom" })
        .where(eq(companies.id, mapped.id));
      await tx
        .update(companies)
        .set({ country: "Korea", sector: "Technology" })
        .where(eq(companies.id, unmatched.id));
    });
    await migrateDatabase(getDb());
    expect(await getCompany(mapped.slug)).toMatchObject({ country: "KR", sector: "517" });
    expect(await getCompany(unmatched.slug)).toMatchObject({ country: null, sector: null });
    expect(await getCompany(coded.slug)).toMatchObject({
      country: "JP",
      sector: "517",
      version: coded.version,
    });
    const [entry] = await listRecordRevisions({ entity: "company", entityId: unmatched.id, limit: 1 });
    expect(entry).toMatchObject({
      actor: REFERENCE_MIGRATION_ACTOR,
      before: { country: "Korea", sector: "Technology" },
      after: { country: null, sector: null },
    });

    const before = await tableCounts();
    const again = await getCompany(mapped.slug);
    await migrateDatabase(getDb());
    expect(await tableCounts()).toEqual(before);
    expect((await getCompany(mapped.slug)).version).toBe(again.version);
  });

  it("migrates more companies than a statement can bind parameters for", async () => {
    // 33,000 generated companies still holding the old "ZZ" (no country): more than SQLite's 32,766
    // bound parameters, so the companies whose deals are recounted must be one bound list.
    const many = 33_000;
    const tag = unique("zz").replace(/\W/g, "").toLowerCase();
    await getDb().write(async (tx) => {
      const db = testDb();
      await tx.execute(
        db.engine === "pg"
          ? sql`INSERT INTO companies (name, name_key, slug, country, demo)
              SELECT ${tag} || ' ' || i, ${tag} || i, ${tag} || '-' || i, 'ZZ', TRUE FROM generate_series(1, ${many}) AS i`
          : sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${many})
              INSERT INTO companies (name, name_key, slug, country, demo)
              SELECT ${tag} || ' ' || i, ${tag} || i, ${tag} || '-' || i, 'ZZ', 1 FROM n`,
      );
    });
    await migrateDatabase(getDb());
    const { rows } = await getDb().execute<{ n: number | string }>(
      sql`SELECT count(*) AS n FROM companies WHERE country = 'ZZ'`,
    );
    expect(Number(rows[0]!.n)).toBe(0);
  }, 60_000);
});

describe("POST /api/companies/import", () => {
  it("reports each row's match kind in a dry run and changes nothing", async () => {
    const exact = await createCompany({ name: unique("Ref Exact") });
    const aliasName = unique("Ref Alias Name");
    const aliased = await createCompany({ name: unique("Ref Aliased"), aliases: [aliasName] });
    const byLei = await createCompany({ name: unique("Ref By Lei"), lei: "INR2EJN1ERAN0W5ZP974" });
    const similar = await createCompany({ name: "Quorvex Dynamics" });
    const fresh = unique("Ref Brand New");
    const csv = [
      "Name,Country,Sector,LEI,Wikidata,Ticker,Website,Parent",
      `${exact.name},South Korea,517,,,,,`,
      `${aliasName},kr,Telecommunications,,,,,`,
      `Some Legal Name Inc.,US,511,INR2EJN1ERAN0W5ZP974,,,,`,
      `Quorvex Dynamic,DE,,,,,,`,
      `${fresh},Germany,334,,Q123,XETRA:ABC,https://example.org,${exact.name}`,
    ].join("\r\n");
    const before = await tableCounts();
    const response = await importCsv(csv, "?dryRun=1");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.errors).toEqual([]);
    expect(body.rows).toEqual([
      {
        line: 2,
        name: exact.name,
        match: "exact",
        company: { id: exact.id, name: exact.name, slug: exact.slug },
      },
      { line: 3, name: aliasName, match: "alias", company: expect.objectContaining({ id: aliased.id }) },
      {
        line: 4,
        name: "Some Legal Name Inc.",
        match: "exact",
        company: expect.objectContaining({ id: byLei.id }),
      },
      {
        line: 5,
        name: "Quorvex Dynamic",
        match: "suggested",
        company: expect.objectContaining({ id: similar.id }),
      },
      { line: 6, name: fresh, match: "new", company: expect.objectContaining({ name: fresh }) },
    ]);
    expect(await tableCounts()).toEqual(before);
    expect(await getCompany(exact.slug)).toMatchObject({ country: null, version: exact.version });
  });

  it("applies every row, or none when any row has an error", async () => {
    const a = await createCompany({ name: unique("Ref Apply A"), website: "https://a.example" });
    const b = await createCompany({ name: unique("Ref Apply B") });
    const newName = unique("Ref Apply New");
    const bad = [
      "name,country,sector,lei,wikidata,ticker",
      `${a.name},FR,517,,,`,
      `${b.name},XX,,HWUPKR0MPOU8FGXBT395,,`,
      `${newName},,,,312,AAPL`,
      `${a.name},DE,,,,`,
    ].join("\n");
    const before = await tableCounts();
    const refused = await importCsv(bad);
    expect(refused.status).toBe(400);
    const { errors } = await refused.json();
    expect(errors).toEqual([
      { line: 3, field: "country", message: expect.stringMatching(/No country has the code XX/) },
      { line: 3, field: "lei", message: "Check digits do not match" },
      { line: 4, field: "wikidata", message: expect.any(String) },
      { line: 4, field: "ticker", message: expect.stringMatching(/EXCHANGE:SYMBOL/) },
      { line: 5, field: "name", message: "Same company as line 2" },
    ]);
    expect(await tableCounts()).toEqual(before);
    expect(await getCompany(a.slug)).toMatchObject({ country: null, version: a.version });

    const good = [
      "name,country,sector,lei,wikidata,ticker,parent",
      `${a.name},FR,Telecom,,,,`,
      `${b.name},,,7LTWFZYICNSX8D621K86,Q66048,XETRA:DBK,${newName}`,
      `${newName},United Kingdom,51,,,,`,
    ].join("\n");
    const applied = await importCsv(good);
    expect(applied.status, await applied.clone().text()).toBe(200);
    expect(await applied.json()).toMatchObject({ updated: 2, created: 1 });
    // An empty cell leaves the field: A keeps its website.
    expect(await getCompany(a.slug)).toMatchObject({ country: "FR", sector: "517", version: a.version + 1 });
    expect((await getCompany(a.slug)).website).toBe("https://a.example");
    const bAfter = await getCompany(b.slug);
    expect(bAfter).toMatchObject({ lei: "7LTWFZYICNSX8D621K86", wikidataId: "Q66048", ticker: "XETRA:DBK" });
    expect(bAfter.parent).toMatchObject({ name: newName });
  });

  it("refuses viewers with 403 and bad options or files with 4xx, changing nothing", async () => {
    const before = await tableCounts();
    expect((await importCsv(`name\n${unique("Ref Viewer")}`, "", viewer)).status).toBe(403);
    expect((await importCsv(`name\nX`, "?dryRun=maybe")).status).toBe(400);
    expect((await importCsv(`country\nKR`)).status).toBe(400);
    expect((await importCsv("")).status).toBe(400);
    expect(
      (await importRoute.POST(request(editor, "POST", "/api/companies/import", "{}", "application/json")))
        .status,
    ).toBe(415);
    expect(await tableCounts()).toEqual(before);
  });
});
