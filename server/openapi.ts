import "server-only";
import { z } from "zod";
// zod-openapi: maintained, zod 4 native (it renders through z.toJSONSchema), OpenAPI 3.1 output;
// @asteasolutions/zod-to-openapi also supports zod 4 but needs its own registry beside the schemas.
import { createDocument, type CreateDocumentOptions, type ZodOpenApiOperationObject } from "zod-openapi";
import {
  companyInput,
  companyPatch,
  dealInput,
  dealPatch,
  mergeInput,
  technologyInput,
  technologyPatch,
} from "@/lib/validation";
import type { ApiScope } from "@/lib/enums";
import { SCOPE_ROLE } from "@/lib/scopes";
import { dealFilters } from "@/lib/filters";
import { auditQuery } from "@/lib/audit-query";
import * as r from "@/lib/openapi/responses";
import { viewInput, viewPatch } from "@/lib/saved-views";
import { shareLinkInput } from "@/lib/share-links";
import { sourceInput, sourcePatch } from "@/lib/news/source-input";
import { teamInput, teamPatch } from "@/lib/team-input";
import { webhookInput, webhookPatch } from "@/lib/webhook-input";
import { WIDGET_NAMES, WIDGETS } from "@/lib/widgets";
import { signInInput } from "@/server/auth/sign-in";
import { ssoStartInput } from "@/server/auth/sso";
import { extractRequest } from "@/server/extract";
import { acceptInput, attachInput, candidateQuery, dismissInput } from "@/lib/news/schemas";
import packageJson from "@/package.json";
import {
  chartExportOptions,
  chartImageSize,
  companySearchQuery,
  referenceImportOptions,
  dealQuery,
  dealsExportOptions,
  deleteDealQuery,
  duplicatesQuery,
  importOptions,
} from "./api-params";

// The API described for integrators (GET /api/openapi.json, docs/api.md), generated from the very
// zod schemas the route handlers validate with and the response schemas of lib/openapi/responses.ts.
// test/openapi.test.ts fails when a route under app/api has no operation here.

/**
 * Who may call: anyone, the scope a token needs (its role follows: lib/scopes.ts; session cookie or
 * API token), or a signed-in user (cookie only). The route's `authorize` call names the same scope;
 * test/access-matrix.test.ts checks that they agree.
 */
export type Access = "public" | ApiScope | { user: ApiScope };

type Operation = {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  path?: z.ZodObject;
  /** Classic or zod/mini (the shared deal filters are mini, so the browser needs no classic zod). */
  query?: z.core.$ZodObject;
  /** A JSON request body. */
  body?: z.ZodType;
  /** Other request bodies, by media type. */
  content?: Record<string, z.ZodType>;
  /** The answers besides the standard errors (401/403 from `access`, 400 from inputs). */
  responses: Record<
    number,
    { description: string; schema?: z.ZodType; type?: string | string[]; headers?: z.ZodObject }
  >;
  /** Further error statuses with what they mean here. */
  errors?: Record<number, string>;
};

type PathItem = Partial<Record<"get" | "head" | "post" | "patch" | "delete", Operation>>;

const ERROR_TEXT: Record<number, string> = {
  400: "Invalid input: `fieldErrors` names every invalid field",
  401: "Not signed in, or the API token is unknown, revoked or expired",
  403: "The token lacks the scope (`{ error, scope }` names it), the role is too weak, or a cookie-authenticated write came from another site",
  404: "Not found",
  409: "Refused: the record changed or the change no longer applies",
  413: "The body is too large",
  415: "Wrong Content-Type",
  429: "Too many attempts: wait for Retry-After seconds",
  503: "The database cannot take writes right now (e.g. an import is being saved): try again shortly",
};

function accessText(access: Access): string {
  if (access === "public") return "Public: no credentials needed.";
  if (typeof access === "object")
    return `A signed-in user's session cookie, role ${SCOPE_ROLE[access.user]} or above (API tokens are refused with 403: a token owns no views or feed keys).`;
  return `Session cookie or \`Authorization: Bearer <token>\` with the scope \`${access}\`; role ${SCOPE_ROLE[access]} or above.`;
}

function operation(op: Operation, method: string): ZodOpenApiOperationObject {
  const write = !["get", "head"].includes(method);
  const statuses: Record<number, string> = {};
  // A bad path id is a 404 (no such record), so only queries and bodies bring a 400.
  if (op.query || op.body || op.content) statuses[400] = ERROR_TEXT[400]!;
  if (op.access !== "public") Object.assign(statuses, { 401: ERROR_TEXT[401], 403: ERROR_TEXT[403] });
  if (op.body) Object.assign(statuses, { 413: ERROR_TEXT[413], 415: ERROR_TEXT[415] });
  if (write && op.access !== "public") statuses[503] = ERROR_TEXT[503]!;
  Object.assign(statuses, op.errors);
  const responses: ZodOpenApiOperationObject["responses"] = {};
  for (const [status, answer] of Object.entries(op.responses)) {
    const types = [answer.type ?? "application/json"].flat();
    responses[status as `2${string}`] = {
      description: answer.description,
      ...(answer.schema && {
        content: Object.fromEntries(types.map((type) => [type, { schema: answer.schema }])),
      }),
      ...(answer.headers && { headers: answer.headers }),
    };
  }
  for (const [status, description] of Object.entries(statuses)) {
    if (responses[status as `4${string}`]) continue;
    const schema = Number(status) === 409 && op.errors?.[409]?.includes("version") ? conflict : r.apiError;
    responses[status as `4${string}`] = {
      description,
      // HEAD answers carry no body, only the status.
      ...(method !== "head" && { content: { "application/json": { schema } } }),
      ...(Number(status) === 429 && { headers: z.object({ "Retry-After": z.string() }) }),
    };
  }
  const requestBody = op.body
    ? { required: true, content: { "application/json": { schema: op.body } } }
    : op.content && {
        required: true,
        content: Object.fromEntries(Object.entries(op.content).map(([t, schema]) => [t, { schema }])),
      };
  return {
    summary: op.summary,
    description: [op.description, accessText(op.access)].filter(Boolean).join("\n\n"),
    tags: [op.tag],
    security:
      op.access === "public"
        ? []
        : typeof op.access === "object"
          ? [{ session: [] }]
          : [{ session: [] }, { bearer: [op.access] }],
    ...((op.path || op.query) && {
      requestParams: { ...(op.path && { path: op.path }), ...(op.query && { query: op.query }) },
    }),
    ...(requestBody && { requestBody }),
    responses,
  };
}

const callbackQuery = z.object({
  code: z.string().optional().meta({ description: "The authorization code" }),
  state: z.string().optional().meta({ description: "The state Atlas sent" }),
  iss: z.string().optional().meta({ description: "The issuer (RFC 9207), checked against OIDC_ISSUER" }),
  error: z.string().optional().meta({ description: "The provider's error, when it refused" }),
});

const unsubscribeQuery = z.object({
  token: z.string().meta({ description: "The signed token from the digest's link" }),
});

/** A 409 that says which version is saved, or why a change no longer applies. */
const conflict = z.union([r.versionConflict, r.apiError]);

const id = z.object({ id: z.string().regex(/^\d+$/).meta({ description: "A numeric id" }) });
const slug = z.object({ slug: z.string().meta({ description: "The slug (an old one answers 308)" }) });
const teamSlug = z.object({ slug: z.string().meta({ description: "The team's slug" }) });
const csv = { description: "CSV (RFC 4180) as a download", schema: z.string(), type: "text/csv" };
const csvHead = { description: "The headers of the CSV answer (Content-Disposition), no body" };

/** The deal filters every view of "the filtered set" reads, plus a route's own options. */
const filtered = (...own: z.core.$ZodObject[]) =>
  z.object(Object.assign({}, dealFilters.shape, ...own.map((o) => o._zod.def.shape)) as z.core.$ZodShape);

/** PATCH bodies: `version` plus any of the record's fields, each optional. */
const optionalFields = <S extends z.ZodType>(schema: S) =>
  schema.meta({
    override: ({ jsonSchema }: { jsonSchema: { required?: string[] } }) => {
      delete jsonSchema.required;
    },
  });

/** A company or a technology area: read by slug (old slugs redirect), change, preview or merge. */
function slugRecord(o: {
  base: string;
  tag: string;
  noun: string;
  record: z.ZodType;
  patch: z.ZodType;
  patchSummary: string;
  merged: z.ZodType;
  mergeNote?: string;
}): Record<string, PathItem> {
  const notFound = `No such ${o.noun}`;
  const common = { tag: o.tag, path: slug };
  return {
    [`${o.base}/{slug}`]: {
      get: {
        ...common,
        summary: `One ${o.noun}`,
        access: "deals:read",
        responses: {
          200: { description: `The ${o.noun}`, schema: o.record },
          308: {
            description: "An old slug: Location gives the current address",
            headers: z.object({ Location: z.string() }),
          },
        },
        errors: { 404: notFound },
      },
      patch: {
        ...common,
        summary: o.patchSummary,
        description: "The fields sent replace the saved ones; `version` must be the version read.",
        access: "companies:write",
        body: o.patch,
        responses: { 200: { description: `The saved ${o.noun}`, schema: o.record } },
        errors: { 404: notFound, 409: "A newer version was saved (version conflict)" },
      },
    },
    [`${o.base}/{slug}/merge`]: {
      post: {
        ...common,
        summary: `Preview or merge a ${o.noun} into another`,
        description: `\`dryRun: true\` (the default) previews; \`false\` merges${o.mergeNote ?? ""}.`,
        access: "companies:write",
        body: mergeInput,
        responses: {
          200: {
            description: `The preview, or the surviving ${o.noun}`,
            schema: z.union([r.mergePreview, o.merged]),
          },
        },
        errors: { 404: notFound, 409: "Refused: the merge cannot apply (the error says why)" },
      },
    },
  };
}

const widgetPaths: Record<string, PathItem> = Object.fromEntries(
  WIDGET_NAMES.map((name) => [
    `/api/${WIDGETS[name].endpoint}`,
    {
      get: {
        summary: `The ${name} widget's numbers over the filtered deals`,
        tag: "Statistics",
        access: "stats:read",
        query: filtered(WIDGETS[name].options),
        responses: { 200: { description: "The widget's answer", schema: r.widgetAnswers[name] } },
      },
    },
  ]),
);

const chartExport: Operation = {
  summary: "A chart's numbers as CSV",
  description: `\`{chart}\` is a widget name, optionally with \`.csv\`: ${WIDGET_NAMES.join(", ")}. A chart's own options (interval, by, limit, groupBy) apply to the charts that have them.`,
  tag: "Export",
  access: "export",
  path: z.object({ chart: z.string().meta({ description: "e.g. deals-over-time.csv" }) }),
  query: filtered(chartExportOptions, ...WIDGET_NAMES.map((n) => WIDGETS[n].options)),
  responses: { 200: csv },
  errors: { 404: "No chart of that name" },
};

const chartImage: Operation = {
  summary: "A chart as an SVG or PNG image",
  description: `\`{file}\` is a widget name with \`.svg\` or \`.png\`: ${WIDGET_NAMES.join(", ")}. Drawn from the same answer as the widget's JSON route, with its title, the filters in words, a legend and a source line. \`width\` and \`height\` are CSS pixels; \`scale\` (1–3) multiplies a PNG's pixels for slides. A chart's own options (interval, by, limit, groupBy) apply to the charts that have them.`,
  tag: "Export",
  access: "stats:read",
  path: z.object({ file: z.string().meta({ description: "e.g. deals-over-time.png" }) }),
  query: filtered(chartImageSize, ...WIDGET_NAMES.map((n) => WIDGETS[n].options)),
  responses: {
    200: {
      description: "The image, as a download",
      schema: z.string(),
      type: ["image/svg+xml", "image/png"],
    },
  },
};

const dealsExport: Operation = {
  summary: "The filtered deals as CSV",
  tag: "Export",
  access: "export",
  query: filtered(dealsExportOptions),
  responses: { 200: csv },
};

const paths: Record<string, PathItem> = {
  "/api/deals": {
    get: {
      summary: "List deals",
      description: "Filtered, sorted and paged; unknown parameters are refused by name.",
      tag: "Deals",
      access: "deals:read",
      query: dealFilters,
      responses: { 200: { description: "One page of deals", schema: r.dealPage } },
    },
    post: {
      summary: "Create a deal",
      description:
        "Companies and technology areas are matched by name or alias and created when new. With an `Idempotency-Key` header a retried request answers as the first did.",
      tag: "Deals",
      access: "deals:write",
      body: dealInput,
      responses: {
        201: {
          description: "Created; Location names it",
          schema: r.dealRecord,
          headers: z.object({ Location: z.string() }),
        },
      },
      errors: {
        409: "The Idempotency-Key was used for a different request, or that request is still running",
      },
    },
  },
  "/api/deals/{id}": {
    get: {
      summary: "One deal",
      tag: "Deals",
      access: "deals:read",
      path: id,
      query: dealQuery,
      responses: { 200: { description: "The deal", schema: r.dealRecord } },
      errors: { 404: "No such deal (or deleted, without includeDeleted=1)" },
    },
    patch: {
      summary: "Change a deal",
      description:
        "The fields sent replace the saved ones; the rest stay. `version` must be the version read.",
      tag: "Deals",
      access: "deals:write",
      path: id,
      body: z.intersection(dealPatch, optionalFields(dealInput)),
      responses: { 200: { description: "The saved deal", schema: r.dealRecord } },
      errors: { 404: "No such deal", 409: "A newer version was saved (version conflict)" },
    },
    delete: {
      summary: "Delete a deal (soft: it can be restored)",
      tag: "Deals",
      access: "deals:write",
      path: id,
      query: deleteDealQuery,
      responses: { 200: { description: "The deleted deal", schema: r.dealRecord } },
      errors: { 404: "No such deal", 409: "A newer version was saved (version conflict)" },
    },
  },
  "/api/deals/{id}/restore": {
    post: {
      summary: "Restore a deleted deal",
      tag: "Deals",
      access: "deals:write",
      path: id,
      responses: { 200: { description: "The restored deal", schema: r.dealRecord } },
      errors: { 404: "No such deal" },
    },
  },
  "/api/companies": {
    get: {
      summary: "Search companies",
      tag: "Companies",
      access: "deals:read",
      query: companySearchQuery,
      responses: { 200: { description: "One page of companies", schema: r.companyPage } },
    },
    post: {
      summary: "Create a company",
      description: "A probable duplicate is still created, and listed in `probableDuplicates`.",
      tag: "Companies",
      access: "companies:write",
      body: companyInput,
      responses: {
        201: {
          description: "Created; Location names it",
          schema: r.companyDetail.extend({ probableDuplicates: z.array(z.looseObject({})) }),
          headers: z.object({ Location: z.string() }),
        },
      },
    },
  },
  ...slugRecord({
    base: "/api/companies",
    tag: "Companies",
    noun: "company",
    record: r.companyDetail,
    patch: companyPatch,
    patchSummary: "Change a company",
    merged: r.companyMerged,
    mergeNote: " (undo: POST /api/merges/{id}/undo)",
  }),
  "/api/companies/import": {
    post: {
      summary: "Import companies' reference data from CSV",
      description:
        "A text/csv body with a header row naming any of: name (required), country (ISO 3166-1 code or English name), sector (NAICS 2017 code or name), lei, wikidata, ticker (EXCHANGE:SYMBOL), website, parent. A row matches a company by LEI or Wikidata item, then name (`exact`), then alias (`alias`); a `suggested` or `new` row creates a company. An empty cell leaves the field as it is. `dryRun=1` reports and changes nothing; without it every row applies, or none when any row has an error. See docs/reference-data.md.",
      tag: "Companies",
      access: "companies:write",
      query: referenceImportOptions,
      content: { "text/csv": z.string() },
      responses: {
        200: {
          description: "dryRun=1: each row's match and every error; otherwise what was written",
          schema: r.referenceImportAnswer,
        },
      },
      errors: {
        400: "A bad option or an unreadable file (`fieldErrors`), or row errors (`errors`, nothing changed)",
        413: "The file is larger than 20 MB",
        415: "Not a text/csv body",
      },
    },
  },
  "/api/companies/duplicates": {
    get: {
      summary: "Likely duplicate companies",
      description: "Pairs with a score (0–1) and the reasons, strongest first.",
      tag: "Companies",
      access: "deals:read",
      query: duplicatesQuery,
      responses: {
        200: { description: "The pairs", schema: z.object({ items: z.array(r.duplicatePair) }) },
      },
    },
  },
  "/api/merges/{id}/undo": {
    post: {
      summary: "Undo a merge",
      tag: "Companies",
      access: "companies:write",
      path: id,
      responses: { 200: { description: "Undone", schema: r.mergeUndone } },
      errors: { 404: "No such merge", 409: "The merge no longer applies (nothing changed)" },
    },
  },
  "/api/technologies": {
    get: {
      summary: "All technology areas",
      tag: "Technologies",
      access: "deals:read",
      responses: {
        200: { description: "The areas", schema: z.object({ items: z.array(r.technologySummary) }) },
      },
    },
    post: {
      summary: "Create a technology area",
      tag: "Technologies",
      access: "companies:write",
      body: technologyInput,
      responses: {
        201: { description: "Created", schema: z.looseObject({ id: z.number().int(), slug: z.string() }) },
      },
    },
  },
  ...slugRecord({
    base: "/api/technologies",
    tag: "Technologies",
    noun: "technology area",
    record: r.technologyDetail,
    patch: technologyPatch,
    patchSummary: "Rename an area or set its broader area",
    merged: r.technologyMerged,
  }),
  ...widgetPaths,
  "/api/export/deals.csv": {
    get: dealsExport,
    head: { ...dealsExport, responses: { 200: csvHead } },
  },
  "/api/export/stats/{chart}": {
    get: chartExport,
    head: { ...chartExport, responses: { 200: csvHead } },
  },
  "/api/charts/{file}": { get: chartImage },
  "/api/compare": {
    get: {
      summary: "Compare 2–4 companies or technology areas side by side",
      description:
        "`company` given 2–4 times compares those companies; otherwise `technology` given 2–4 times compares those areas (not both: a single value of the other stays a filter). Every other filter narrows each item alike, and every panel has the same categories for all items (one time axis, one interval). Fewer than 2, more than 4, both kinds or an unknown name is a 400 naming `company` or `technology`. Each panel is also a widget at `/api/compare/{panel}`, with its CSV and images.",
      tag: "Statistics",
      access: "stats:read",
      query: filtered(WIDGETS["compare-over-time"].options),
      responses: { 200: { description: "The comparison", schema: r.comparison } },
    },
  },
  "/api/export/compare.csv": {
    get: {
      summary: "A whole comparison as CSV",
      description:
        "One row per panel, category and compared item (`panel, key, name, company|technology, deals`); the deals between two compared companies are rows of the panel `between`, keyed by the partner. Takes the parameters of GET /api/compare.",
      tag: "Export",
      access: "export",
      query: filtered(WIDGETS["compare-over-time"].options, chartExportOptions),
      responses: { 200: csv },
    },
  },
  "/api/extract": {
    post: {
      summary: "Draft a deal from an article",
      description:
        "Send one of `text`, `html` or `url` (fetched by the server; private addresses refused). Saves nothing.",
      tag: "Deals",
      access: "deals:write",
      body: extractRequest,
      responses: { 200: { description: "The draft", schema: r.articleDraft } },
      errors: {
        400: "Invalid input, a refused address, or a pasted page nested too deep or with too many elements (`fieldErrors`)",
        422: "A fetched page beyond the depth/element budget, or drafting took longer than its time limit",
        429: "This caller already has a draft in progress, or too many are waiting: retry after Retry-After seconds",
      },
    },
  },
  "/api/candidates": {
    get: {
      summary: "The triage queue of candidates drafted from news feeds",
      description:
        "Paged like /api/deals. Without parameters: every waiting candidate of every kind, newest first. `source` keeps the candidates with an item from that news source.",
      tag: "Candidates",
      access: "deals:write",
      query: candidateQuery,
      responses: { 200: { description: "A page of candidates", schema: r.candidatePage } },
    },
  },
  "/api/candidates/{id}/accept": {
    post: {
      summary: "Accept a candidate",
      description:
        "A deal or rumour becomes a deal (201) from its draft, with every item's link as a source; the optional body's deal fields (as POST /api/deals takes) replace the draft's. A status change is applied to the deal it concerns instead (200). A candidate is decided once.",
      tag: "Candidates",
      access: "deals:write",
      path: id,
      body: acceptInput.unwrap().unwrap().optional(),
      responses: {
        201: { description: "The deal created", schema: z.object({ dealId: z.number().int() }) },
        200: {
          description: "The status change applied to its deal",
          schema: z.object({ dealId: z.number().int() }),
        },
      },
      errors: { 404: "No such candidate", 409: "The candidate was already decided" },
    },
  },
  "/api/candidates/{id}/attach": {
    post: {
      summary: "Add a candidate's sources to a recorded deal",
      description:
        "Every item's link (and quotes the deal lacks) is added to the deal, as a new version of it.",
      tag: "Candidates",
      access: "deals:write",
      path: id,
      body: attachInput,
      responses: { 200: { description: "Added", schema: z.object({ dealId: z.number().int() }) } },
      errors: { 404: "No such candidate", 409: "The candidate was already decided" },
    },
  },
  "/api/candidates/{id}/dismiss": {
    post: {
      summary: "Dismiss a candidate with a reason",
      tag: "Candidates",
      access: "deals:write",
      path: id,
      body: dismissInput,
      responses: {
        200: {
          description: "Dismissed",
          schema: z.object({
            id: z.number().int(),
            status: z.literal("dismissed"),
            reason: dismissInput.shape.reason,
          }),
        },
      },
      errors: { 404: "No such candidate", 409: "The candidate was already decided" },
    },
  },
  "/api/import": {
    post: {
      summary: "Import deals from CSV",
      description:
        "multipart/form-data with a `file` field, or a text/csv body; options in the query string (or as form fields). A file with any invalid row imports nothing. With `Accept: application/x-ndjson` the answer streams progress lines, then the answer. With an `Idempotency-Key` header a retried import answers as the first did.",
      tag: "Import",
      access: "import",
      query: importOptions,
      content: {
        "text/csv": z.string(),
        "multipart/form-data": z.object({ file: z.string().meta({ format: "binary" }) }),
      },
      responses: {
        200: {
          description: "The plan (dryRun=1) or the plan and what was written",
          schema: r.importAnswer,
        },
      },
      errors: {
        400: "Invalid options or file (`fieldErrors`), or invalid rows (the plan with `error`)",
        413: "The file is larger than 20 MB",
        415: "Neither multipart/form-data nor text/csv",
        409: "The Idempotency-Key was used for a different request, or that request is still running",
      },
    },
  },
  "/api/views": {
    get: {
      summary: "Your saved views and the team's shared ones",
      tag: "Views",
      access: { user: "deals:read" },
      responses: { 200: { description: "The views", schema: z.object({ items: z.array(r.savedView) }) } },
    },
    post: {
      summary: "Save a view",
      description: "The path is checked with the filter schema of the page it names.",
      tag: "Views",
      access: { user: "deals:read" },
      body: viewInput,
      responses: { 201: { description: "Saved", schema: r.savedView } },
    },
  },
  "/api/views/{id}": {
    get: {
      summary: "One saved view",
      tag: "Views",
      access: { user: "deals:read" },
      path: id,
      responses: { 200: { description: "The view", schema: r.savedView } },
      errors: { 404: "No such view, or not yours and not shared" },
    },
    patch: {
      summary: "Rename, share or unshare a view (its owner only)",
      tag: "Views",
      access: { user: "deals:read" },
      path: id,
      body: viewPatch,
      responses: { 200: { description: "The saved view", schema: r.savedView } },
      errors: { 404: "No such view" },
    },
    delete: {
      summary: "Delete a view (its owner; an admin also a shared one)",
      tag: "Views",
      access: { user: "deals:read" },
      path: id,
      responses: { 204: { description: "Deleted" } },
      errors: { 404: "No such view" },
    },
  },
  "/api/views/{id}/links": {
    get: {
      summary: "A view's share links, with how often each was opened (its owner or an admin)",
      tag: "Views",
      access: { user: "deals:read" },
      path: id,
      responses: { 200: { description: "The links", schema: z.object({ items: z.array(r.shareLink) }) } },
      errors: { 403: "Not the view's owner or an admin (or a token)", 404: "No such view" },
    },
    post: {
      summary: "Make a read-only share link to a view (its owner or an admin)",
      description:
        "Anyone with the URL sees the view (its page — a dashboard, deals list, company, technology area, timeline, network or comparison — with the view's filters only) and nothing else, at `/share/{token}`; each of its charts can also be framed at `/embed/{token}/{chart}` by the origins in EMBED_ORIGINS. Downloads only with `allowExport`. The URL is in this answer only.",
      tag: "Views",
      access: { user: "deals:read" },
      path: id,
      body: shareLinkInput,
      responses: { 201: { description: "Made", schema: r.newShareLink } },
      errors: {
        400: "Invalid input, or a view no link can show (`fieldErrors.view`: only the dashboard and the deals list)",
        403: "Not the view's owner or an admin, a token, or a cross-site request",
        404: "No such view",
      },
    },
  },
  "/api/views/{id}/links/{linkId}": {
    delete: {
      summary: "Revoke a share link: its URL answers 404 from now on",
      tag: "Views",
      access: { user: "deals:read" },
      path: z.object({ id: id.shape.id, linkId: id.shape.id }),
      responses: { 204: { description: "Revoked" } },
      errors: {
        403: "Not the view's owner or an admin, a token, or a cross-site request",
        404: "No such view or link",
      },
    },
  },
  "/api/me/feed-key": {
    get: {
      summary: "Whether you have a feed key (it is stored hashed and never shown again)",
      tag: "Views",
      access: { user: "deals:read" },
      responses: { 200: { description: "When the key was made", schema: r.feedKeyState } },
    },
    post: {
      summary: "Make or replace your feed key",
      description: "Feed addresses with the old key stop working at once.",
      tag: "Views",
      access: { user: "deals:read" },
      responses: { 200: { description: "The new key", schema: r.feedKey } },
    },
  },
  "/api/me/digest": {
    post: {
      summary: "Send me a test digest",
      description:
        "Queues a test e-mail digest to your address, sent within a minute even when nothing changed (it then says so). It lists what your next digest will, and does not count as a digest sent. Digests are set at /settings/digest; see docs/digests.md.",
      tag: "Views",
      access: { user: "deals:read" },
      responses: { 202: { description: "Queued", schema: r.digestQueued } },
      errors: {
        503: "This server sends no e-mail (SMTP_URL is not set), or the database cannot take writes",
      },
    },
  },
  "/api/digest/unsubscribe": {
    get: {
      summary: "Unsubscribe link (confirmation page)",
      description:
        "The link in every digest. Changes nothing (link scanners open links): redirects to the page whose button unsubscribes.",
      tag: "Views",
      access: "public",
      query: unsubscribeQuery,
      responses: { 303: { description: "To /unsubscribe?token=…" } },
    },
    post: {
      summary: "One-click unsubscribe from digests (RFC 8058)",
      description:
        "What a mail program posts (`List-Unsubscribe=One-Click`) to the address in the digest's `List-Unsubscribe` header. The signed token is the credential: no session is needed.",
      tag: "Views",
      access: "public",
      query: unsubscribeQuery,
      content: {
        "application/x-www-form-urlencoded": z.object({ "List-Unsubscribe": z.literal("One-Click") }),
      },
      responses: {
        200: { description: "Digests are off", schema: r.unsubscribed },
        303: { description: "From the confirmation page's button: back to it, saying so" },
      },
    },
  },
  "/api/audit": {
    get: {
      summary: "The security audit log",
      description:
        "Sign-ins (and failed ones), sign-outs, role changes, deactivations, API tokens made and revoked, share links made, exports (who, which filters, how many rows) and backups, newest first; paged like GET /api/deals. Events are kept for `AUDIT_RETENTION_DAYS` (365 by default). See docs/audit-and-tokens.md.",
      tag: "Audit",
      access: "admin",
      query: auditQuery,
      responses: { 200: { description: "One page of events", schema: r.auditPage } },
    },
  },
  "/api/export/audit.csv": {
    get: {
      summary: "The security audit log as CSV",
      description: "The filters of GET /api/audit (`page` and `pageSize` are ignored); every matching event.",
      tag: "Audit",
      access: "admin",
      query: auditQuery,
      responses: { 200: csv },
    },
  },
  "/api/webhooks": {
    get: {
      summary: "Webhook endpoints with their recent deliveries",
      tag: "Webhooks",
      access: "admin",
      responses: { 200: { description: "The endpoints", schema: z.object({ items: z.array(r.webhook) }) } },
    },
    post: {
      summary: "Register a webhook endpoint",
      description:
        'Deliveries are JSON POSTs `{ id, event, occurredAt, actor, data }` signed in `X-Atlas-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256 of "<t>.<body>">` with the secret answered here (once); see docs/webhooks.md. http:// endpoints are refused unless `WEBHOOK_ALLOW_HTTP_HOSTS` names the host. An endpoint receives the events of public deals, and with `team` those of that team’s confidential deals too (issue 25); a deal leaving its sight comes as `deal.deleted` with the id only, a deal coming into it as `deal.created`. An unknown `team` is a 400 on `team`.',
      tag: "Webhooks",
      access: "admin",
      body: webhookInput,
      responses: { 201: { description: "Registered", schema: r.webhookCreated } },
    },
  },
  "/api/webhooks/{id}": {
    patch: {
      summary: "Change a webhook endpoint's events or team",
      description:
        "The fields sent replace the saved ones; `team: null` is public deals only. Deliveries already queued stay as they are: each was decided when its event happened.",
      tag: "Webhooks",
      access: "admin",
      path: id,
      body: webhookPatch,
      responses: { 200: { description: "The endpoint", schema: r.webhook } },
      errors: { 404: "No such endpoint" },
    },
    delete: {
      summary: "Delete a webhook endpoint",
      tag: "Webhooks",
      access: "admin",
      path: id,
      responses: { 204: { description: "Deleted" } },
      errors: { 404: "No such endpoint" },
    },
  },
  "/api/webhooks/{id}/test": {
    post: {
      summary: "Queue a test delivery to this endpoint",
      tag: "Webhooks",
      access: "admin",
      path: id,
      responses: { 202: { description: "Queued", schema: r.queued } },
      errors: { 404: "No such endpoint" },
    },
  },
  "/api/teams": {
    get: {
      summary: "Teams with their members",
      description:
        "Teams group users; a confidential deal will be visible to its team's members and to admins only (issue 25). See docs/teams.md.",
      tag: "Teams",
      access: "admin",
      responses: {
        200: { description: "Every team, by name", schema: z.object({ items: z.array(r.team) }) },
      },
    },
    post: {
      summary: "Create a team",
      description:
        "Names are unique whatever their case; the slug is made from the name. Each member is given by the e-mail address of an existing user: an unknown one is a 400 naming `members.N`. Recorded in the security audit log.",
      tag: "Teams",
      access: "admin",
      body: teamInput,
      responses: { 201: { description: "Created", schema: r.team } },
    },
  },
  "/api/teams/{slug}": {
    patch: {
      summary: "Rename a team or replace its members",
      description:
        "The fields sent replace the saved ones; `members` is the whole new list. A new name gives a new slug (in the answer). Who was added and removed is recorded in the security audit log.",
      tag: "Teams",
      access: "admin",
      path: teamSlug,
      body: teamPatch,
      responses: { 200: { description: "The team", schema: r.team } },
      errors: { 404: "No such team" },
    },
    delete: {
      summary: "Delete a team",
      description: "Its memberships go with it. Recorded in the security audit log.",
      tag: "Teams",
      access: "admin",
      path: teamSlug,
      responses: { 204: { description: "Deleted" } },
      errors: {
        404: "No such team",
        409: "The team owns deals (deleted ones included) or webhook endpoints are registered for it: `error` says how many",
      },
    },
  },
  "/api/sources": {
    get: {
      summary: "News sources with their last fetch, items and candidates",
      tag: "News sources",
      access: "import",
      responses: { 200: { description: "Every source", schema: z.object({ items: z.array(r.newsSource) }) } },
    },
    post: {
      summary: "Add a news source",
      description:
        '`url` is an RSS 2.0, Atom 1.0 or JSON Feed 1.1 feed (told apart by its content), or a web page: its first `<link rel="alternate">` feed is taken and `message` says which. The first fetch is done at once. A feed that fails now is saved with `status: error` and its `lastError`; see docs/news-sources.md.',
      tag: "News sources",
      access: "import",
      body: sourceInput,
      responses: { 201: { description: "Added and fetched once", schema: r.newsSourceAdded } },
      errors: {
        400: "Invalid input, an address that is not public or not found, or a web page that names no feed (`fieldErrors.url`)",
        409: "That feed is already watched",
      },
    },
  },
  "/api/sources/{id}": {
    patch: {
      summary: "Rename, move, pause or resume a source, or change its interval",
      description: "Resuming or changing the address makes it due at once.",
      tag: "News sources",
      access: "import",
      path: id,
      body: sourcePatch,
      responses: { 200: { description: "The source", schema: r.newsSource } },
      errors: { 404: "No such source", 409: "That feed is already watched" },
    },
    delete: {
      summary: "Delete a source and the items stored from it",
      tag: "News sources",
      access: "import",
      path: id,
      responses: { 204: { description: "Deleted" } },
      errors: { 404: "No such source" },
    },
  },
  "/api/sources/{id}/fetch": {
    post: {
      summary: "Fetch a source now",
      description:
        "A conditional GET (ETag, Last-Modified): a feed that answers 304 has nothing new. New items are stored once and turned into candidates.",
      tag: "News sources",
      access: "import",
      path: id,
      responses: { 200: { description: "What this fetch brought", schema: r.newsFetched } },
      errors: {
        404: "No such source",
        502: "The feed failed or was refused: `error` says why in words (also kept as the source's `lastError`)",
      },
    },
  },
  "/api/session": {
    get: {
      summary: "Who am I",
      tag: "Session",
      access: "public",
      responses: { 200: { description: "The caller (user or token)", schema: r.principal } },
      errors: { 401: "Not signed in" },
    },
    post: {
      summary: "Sign in with email and password",
      description: "Sets the session cookie. Only from Atlas's own pages (same origin).",
      tag: "Session",
      access: "public",
      body: signInInput,
      responses: {
        200: { description: "Signed in; Set-Cookie carries the session", schema: r.signedIn },
      },
      errors: {
        401: "Wrong email or password",
        403: "Not from Atlas's own origin, or password sign-in is turned off (PASSWORD_SIGNIN=0)",
        429: ERROR_TEXT[429]!,
        503: ERROR_TEXT[503]!,
      },
    },
    delete: {
      summary: "Sign out",
      tag: "Session",
      access: "public",
      responses: { 204: { description: "Signed out; the cookie is cleared" } },
      errors: { 403: "Not from Atlas's own origin" },
    },
  },
  "/api/session/sso": {
    post: {
      summary: "Start a single sign-on",
      description:
        "Answers the OpenID provider's authorization address (code flow with PKCE, state and nonce) and sets the cookies that bind the sign-in to this browser; the page then opens the address. `next` is where to go once signed in (a same-origin path). Only from Atlas's own pages; see docs/sso.md.",
      tag: "Session",
      access: "public",
      body: ssoStartInput,
      responses: { 200: { description: "Where to send the browser", schema: r.ssoStarted } },
      errors: {
        403: "Not from Atlas's own origin",
        404: "Single sign-on is not configured",
        503: "The identity provider cannot be reached (its discovery document did not load)",
      },
    },
  },
  "/api/auth/callback/oidc": {
    get: {
      summary: "Single sign-on callback (the redirect URI to register with the provider)",
      description:
        "Where the OpenID provider sends the browser back. Checks state, PKCE, the ID token's signature, issuer and nonce, then redirects: to `next` with the session cookie, or to `/sign-in?error=<reason>`. Not for API clients.",
      tag: "Session",
      access: "public",
      query: callbackQuery,
      responses: {
        302: { description: "To the page the user was going to, or back to /sign-in with the reason" },
      },
      errors: { 404: "Single sign-on is not configured" },
    },
  },
  "/api/openapi.json": {
    get: {
      summary: "This description of the API (OpenAPI 3.1)",
      tag: "Session",
      access: "public",
      responses: {
        200: { description: "The OpenAPI document", schema: z.looseObject({ openapi: z.string() }) },
      },
    },
  },
};

/**
 * z.stringbool() renders as a bare string; say which values it means (it also takes yes/no, on/off),
 * and keep its default, which is a boolean on the output side only.
 */
const describeStringbool: NonNullable<CreateDocumentOptions["override"]> = ({
  zodSchema,
  jsonSchema,
  io,
}) => {
  const def = zodSchema._zod.def;
  const stringbool = (d: z.core.$ZodTypeDef): boolean =>
    d.type === "pipe" &&
    (d as z.core.$ZodPipeDef).in._zod.def.type === "string" &&
    (d as z.core.$ZodPipeDef).out._zod.def.type === "boolean";
  if (io !== "input") return;
  if (stringbool(def)) jsonSchema.enum = ["1", "0", "true", "false"];
  if (def.type === "default" && stringbool((def as z.core.$ZodDefaultDef).innerType._zod.def))
    jsonSchema.default = (def as z.core.$ZodDefaultDef).defaultValue ? "1" : "0";
};

let document: ReturnType<typeof createDocument> | undefined;

/** The OpenAPI 3.1 document of every route under app/api (built once per process). */
export function openApiDocument() {
  document ??= createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Partnership Atlas API",
        version: packageJson.version,
        description:
          "Deals, companies, technology areas, statistics and exports of Partnership Atlas. Errors answer `{ error, fieldErrors? }`; bad input is a 400 naming every invalid field.",
      },
      security: [{ session: [] }, { bearer: [] }],
      components: {
        securitySchemes: {
          session: {
            type: "apiKey",
            in: "cookie",
            name: "better-auth.session_token",
            description:
              "The session cookie of a signed-in user (POST /api/session). Writes must come from Atlas's own origin.",
          },
          bearer: {
            type: "http",
            scheme: "bearer",
            description:
              "An API token (Settings → API tokens, or `npm run token:create`); acts with its role, within its scopes (each operation's security requirement names the scope it needs). Tokens made before scopes hold every scope of their role.",
          },
        },
      },
      paths: Object.fromEntries(
        Object.entries(paths).map(([route, item]) => [
          route,
          Object.fromEntries(Object.entries(item).map(([method, op]) => [method, operation(op, method)])),
        ]),
      ),
    },
    { override: describeStringbool },
  );
  return document;
}
