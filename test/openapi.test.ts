import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { createApiToken } from "@/db/accounts/auth";
import { createDeal } from "@/db/deals/deal-writes";
import type * as T from "@/db/types";
import * as r from "@/lib/openapi/responses";
import { WIDGET_NAMES, WIDGETS, type WidgetData, type WidgetName } from "@/lib/widgets";
import { openApiDocument } from "@/server/openapi";
import { renderApiMarkdown } from "@/server/openapi-markdown";
import { dealFixture, testDb, unique } from "./db";

// The OpenAPI document: valid OpenAPI 3.1, complete (every route under app/api, every method it
// exports), true (real answers match its response schemas) and rendered in the committed docs/api.md.

const ROOT = path.resolve(__dirname, "..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
type Doc = { paths: Record<string, Record<string, unknown>> };
const doc = () => JSON.parse(JSON.stringify(openApiDocument())) as Doc;

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** `GET /api/deals/{id}` for every method each route file under app/api exports. */
function routeOperations(): string[] {
  const api = path.join(ROOT, "app", "api");
  return walk(api)
    .filter((file) => path.basename(file) === "route.ts")
    .flatMap((file) => {
      const route = `/api/${path.relative(api, path.dirname(file)).split(path.sep).join("/")}`.replace(
        /\[([^\]]+)\]/g,
        "{$1}",
      );
      const source = fs.readFileSync(file, "utf8");
      return METHODS.filter((m) => new RegExp(`export (async function|const) ${m}\\b`).test(source)).map(
        (m) => `${m} ${route}`,
      );
    });
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const result = await new Validator().validate(doc());
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(openApiDocument().openapi).toBe("3.1.0");
  });

  it("describes every route and method under app/api, and nothing else", () => {
    const described = Object.entries(doc().paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => (METHODS as readonly string[]).includes(key.toUpperCase()))
        .map((method) => `${method.toUpperCase()} ${route}`),
    );
    const routes = routeOperations();
    expect(routes.length).toBeGreaterThan(30);
    expect(described.sort()).toEqual(routes.sort());
  });

  it("is served to anyone at GET /api/openapi.json", async () => {
    const response = await openApiRoute.GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(doc());
  });

  it("is what the committed docs/api.md says (npm run docs:api rewrites it)", () => {
    const committed = fs.readFileSync(path.join(ROOT, "docs", "api.md"), "utf8");
    expect(committed).toBe(renderApiMarkdown(doc() as Parameters<typeof renderApiMarkdown>[0]));
  });

  it("has response schemas that describe the data layer's types", () => {
    // Compile-time (tsc): each type returned by db/ fits the schema its route is described with.
    expectTypeOf<T.DealRecord>().toExtend<z.output<typeof r.dealRecord>>();
    expectTypeOf<T.DealPage>().toExtend<z.output<typeof r.dealPage>>();
    expectTypeOf<T.CompanyDetail>().toExtend<z.output<typeof r.companyDetail>>();
    expectTypeOf<T.TechnologySummary>().toExtend<z.output<typeof r.technologySummary>>();
    expectTypeOf<T.MergePreview>().toExtend<z.output<typeof r.mergePreview>>();
    expectTypeOf<T.DuplicatePair>().toExtend<z.output<typeof r.duplicatePair>>();
    expectTypeOf<T.SavedView>().toExtend<z.output<typeof r.savedView>>();
    expectTypeOf<{ [N in WidgetName]: WidgetData<N> }>().toExtend<{
      [N in WidgetName]: z.output<(typeof r.widgetAnswers)[N]>;
    }>();
  });
});

describe("real answers match the document's response schemas", () => {
  let token = "";
  /** The parties of a deal made here, as the compared companies of the compare panels. */
  let compared = "";
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);

  beforeAll(async () => {
    testDb();
    token = (await createApiToken({ name: unique("openapi"), role: "editor" })).secret;
    ajv.addSchema(doc(), "openapi");
    // Deals with every optional part filled, so nullable and nested fields are exercised.
    for (const i of [1, 2])
      compared = (
        await createDeal(
          dealFixture({
            value: { amount: "1250000.50", currency: "USD" },
            quotes: [{ text: "Together", speaker: "Ada Park", speakerTitle: "CEO" }],
            sources: [{ url: `https://example.org/${i}`, title: "News", publishedOn: "2024-03-16" }],
            technologies: ["5G", "AI"],
          }),
          { actor: "openapi test" },
        )
      ).parties
        .map((p) => `company=${p.company.slug}`)
        .join("&");
  });

  /** Calls a route handler with the editor's token and checks its JSON against the document. */
  async function check(route: string, url: string, params: Record<string, string> = {}) {
    const file = path.join(ROOT, "app", route.replace(/\{([^}]+)\}/g, "[$1]"), "route.ts");
    const handler = (await import(file)).GET as (req: Request, ctx: unknown) => Promise<Response>;
    const response = await handler(
      new Request(`http://localhost${url}`, { headers: { authorization: `Bearer ${token}` } }),
      { params: Promise.resolve(params) },
    );
    expect(response.status, url).toBe(200);
    const body: unknown = await response.json();
    const pointer = `/paths/${route.replace(/~/g, "~0").replace(/\//g, "~1")}/get/responses/200/content/application~1json/schema`;
    const validate = ajv.compile({ $ref: `openapi#${pointer}` });
    expect(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    return body;
  }

  it("GET /api/deals and GET /api/deals/{id}", async () => {
    const page = (await check("/api/deals", "/api/deals?pageSize=5")) as T.DealPage;
    expect(page.items.length).toBe(2);
    const id = String(page.items[0]!.id);
    await check("/api/deals/{id}", `/api/deals/${id}`, { id });
  });

  it.each(WIDGET_NAMES)("the %s widget", async (name) => {
    // A compare panel needs the compared items (lib/compare.ts).
    const query = name.startsWith("compare-") ? `?${compared}` : "";
    await check(`/api/${WIDGETS[name].endpoint}`, `/api/${WIDGETS[name].endpoint}${query}`);
  });

  it("companies and technology areas", async () => {
    const companies = (await check("/api/companies", "/api/companies?limit=5")) as {
      items: { slug: string }[];
    };
    const slug = companies.items[0]!.slug;
    await check("/api/companies/{slug}", `/api/companies/${slug}`, { slug });
    const areas = (await check("/api/technologies", "/api/technologies")) as { items: { slug: string }[] };
    await check("/api/technologies/{slug}", `/api/technologies/${areas.items[0]!.slug}`, {
      slug: areas.items[0]!.slug,
    });
  });

  it("the schemas are strict enough to catch a wrong answer", () => {
    const pointer = "/paths/~1api~1deals~1{id}/get/responses/200/content/application~1json/schema";
    const validate = ajv.compile({ $ref: `openapi#${pointer}` });
    expect(validate({ id: "1", title: 42 })).toBe(false);
  });
});
