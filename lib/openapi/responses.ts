import { z } from "zod";
import { INTERVALS } from "@/lib/buckets";
import {
  API_SCOPES,
  AUDIT_KINDS,
  BINDINGS,
  CANDIDATE_KINDS,
  CANDIDATE_STATUSES,
  DATE_PRECISIONS,
  DISMISS_REASONS,
  DEAL_TYPES,
  DELIVERY_STATUSES,
  FEED_FORMATS,
  ROLES,
  USER_ROLES,
  WEBHOOK_EVENTS,
} from "@/lib/enums";
import { SOURCE_STATUSES } from "@/lib/news/source-input";
import {
  DEAL_PLAIN_FIELDS,
  dealFields,
  withPlainFields,
  type DealInput,
  type DealPlainField,
} from "@/lib/validation";

// What the JSON API answers, as zod schemas: the OpenAPI document (server/openapi.ts) is generated
// from them, and test/openapi.test.ts holds each against its db/types.ts type at compile time and
// against real answers at run time. An `id` names the schema as a component of the document.

const isoDate = z.iso.date().meta({ description: "A calendar date, YYYY-MM-DD" });
const timestamp = z.iso.datetime({ offset: true }).meta({ description: "An ISO 8601 timestamp" });
const count = z.number().int().min(0);
const countryCode = z.string().length(2).meta({ description: "ISO 3166-1 alpha-2 country code" });

export const apiError = z
  .object({
    error: z.string().meta({ description: "What went wrong, in words for a person" }),
    fieldErrors: z.record(z.string(), z.array(z.string())).optional().meta({
      description:
        "Every invalid field with its messages, keyed by the field's path (`parties.1.company`); `_form` for the input as a whole",
    }),
    scope: z.enum(API_SCOPES).optional().meta({
      description: "On a 403 to an API token: the scope it lacks (the error names it too)",
    }),
  })
  .meta({ id: "Error" });

export const versionConflict = z
  .object({
    error: z.string(),
    currentVersion: z.number().int(),
    yourVersion: z.number().int(),
  })
  .meta({
    id: "VersionConflict",
    description: "Someone saved a newer version since you read it; read again and reapply your change",
  });

export const companyRef = z
  .object({ id: z.number().int(), name: z.string(), slug: z.string() })
  .meta({ id: "CompanyRef" });
export const technologyRef = z
  .object({ id: z.number().int(), name: z.string(), slug: z.string() })
  .meta({ id: "TechnologyRef" });

/**
 * A plain deal field's answer, read off its input schema (lib/validation.ts): the kind of value it
 * takes, nullable when the input turns "not given" into null. A kind not known here throws at load.
 */
function answerOf(input: z.ZodType): z.ZodType {
  let base = input as z.ZodType & { _zod: { def: { type: string; in?: z.ZodType; innerType?: z.ZodType } } };
  for (;;) {
    const def = base._zod.def;
    if (def.type === "pipe") base = def.in as typeof base;
    else if (["default", "optional", "nullable", "prefault"].includes(def.type))
      base = def.innerType as typeof base;
    else break;
  }
  // By the definition's type: a date is a string format, not a z.ZodString instance.
  const type = base._zod.def.type;
  let answer: z.ZodType;
  if (type === "enum") answer = z.enum((base as unknown as z.ZodEnum).options as [string, ...string[]]);
  else if (type === "string")
    answer = (base as unknown as z.ZodString).format === "date" ? isoDate : z.string();
  else if (type === "number") answer = (base as unknown as z.ZodNumber).isInt ? z.number().int() : z.number();
  else if (type === "boolean") answer = z.boolean();
  else throw new Error(`Describe the API's answer for a deal field of type ${type}`);
  const empty = input.safeParse(null);
  return empty.success && empty.data === null ? answer.nullable() : answer;
}

const plainAnswers = Object.fromEntries(
  DEAL_PLAIN_FIELDS.map((key) => [key, answerOf(dealFields.shape[key])]),
) as { [K in DealPlainField]: z.ZodType<DealInput[K]> };

export const dealRecord = z
  .object({
    id: z.number().int(),
    version: z.number().int(),
    ...withPlainFields(plainAnswers, {
      types: z.array(z.enum(DEAL_TYPES)),
      value: z
        .object({ amount: z.string().meta({ description: "Decimal, as text" }), currency: z.string() })
        .nullable(),
      parties: z.array(z.object({ company: companyRef, role: z.enum(ROLES) })),
      technologies: z.array(technologyRef),
      quotes: z.array(
        z.object({
          text: z.string(),
          speaker: z.string(),
          speakerTitle: z.string().nullable(),
          speakerCompany: z.string().nullable(),
        }),
      ),
      sources: z.array(
        z.object({
          url: z
            .string()
            .nullable()
            .meta({ description: "Null for pasted text without a link; then publisher names it." }),
          title: z.string().nullable(),
          publisher: z.string().nullable(),
          publishedOn: isoDate.nullable(),
        }),
      ),
      visibility: z.union([z.literal("everyone"), z.object({ team: z.string() })]).meta({
        description:
          'Who sees the deal: "everyone", or { "team": slug } for a confidential deal, which exists only for that team\'s members and admins',
      }),
    }),
    demo: z.boolean().meta({ description: "A generated demo deal, not a real announcement" }),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: timestamp.nullable(),
  })
  .meta({ id: "Deal" });

export const dealPage = z
  .object({ items: z.array(dealRecord), total: count, page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "DealPage" });

const dealBrief = z
  .object({
    id: z.number().int(),
    title: z.string(),
    announcedOn: isoDate,
    datePrecision: z.enum(DATE_PRECISIONS),
  })
  .meta({ id: "DealBrief" });

export const companySummary = z
  .object({
    id: z.number().int(),
    name: z.string(),
    slug: z.string(),
    country: z.string().nullable().meta({ description: "ISO 3166-1 alpha-2 code" }),
    countryName: z.string().nullable(),
    region: z
      .string()
      .nullable()
      .meta({ description: "UN M49 region (Africa, Americas, Asia, Europe, Oceania)" }),
    sector: z.string().nullable().meta({ description: "NAICS 2017 sector or subsector code" }),
    sectorName: z.string().nullable(),
    lei: z.string().nullable().meta({ description: "Legal Entity Identifier (ISO 17442)" }),
    wikidataId: z.string().nullable().meta({ description: 'Wikidata item, "Q…"' }),
    ticker: z.string().nullable().meta({ description: 'Stock ticker with its exchange, "NASDAQ:MSFT"' }),
    aliases: z.array(z.string()),
    parent: companyRef.nullable(),
    dealCount: count,
  })
  .meta({ id: "CompanySummary" });

export const companyPage = z.object({
  items: z.array(companySummary),
  total: count,
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const companyDetail = companySummary
  .extend({
    version: z.number().int(),
    website: z.string().nullable(),
    subsidiaries: z.array(companyRef),
    partners: z.array(companyRef.extend({ dealCount: count })),
  })
  .meta({ id: "Company" });

export const referenceImportAnswer = z
  .object({
    rows: z.array(
      z.object({
        line: z.number().int().meta({ description: "Line of the file (the header is line 1)" }),
        name: z.string(),
        match: z.enum(["exact", "alias", "suggested", "new"]),
        company: companyRef.optional().meta({ description: "The company matched, suggested or created" }),
      }),
    ),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })).optional(),
    updated: count.optional(),
    created: count.optional(),
  })
  .meta({ id: "ReferenceImport" });

export const duplicatePair = z.object({
  a: companyRef,
  b: companyRef,
  score: z.number().min(0).max(1),
  reasons: z.array(z.object({ code: z.string(), label: z.string() })),
});

export const technologySummary = technologyRef
  .extend({ dealCount: count, version: z.number().int(), parentId: z.number().int().nullable() })
  .meta({ id: "TechnologySummary" });

export const technologyDetail = technologyRef
  .extend({
    version: z.number().int(),
    synonyms: z
      .array(z.string())
      .meta({ description: "Words that name the area in articles, besides its name" }),
    parent: technologyRef.nullable(),
    narrower: z.array(technologyRef),
  })
  .loose()
  .meta({ id: "Technology" });

export const mergePreview = z
  .object({
    kind: z.enum(["company", "technology"]),
    source: technologyRef,
    target: technologyRef,
    movedDeals: z.array(dealBrief),
    sharedDeals: z.array(dealBrief),
    blockingDeals: z
      .array(dealBrief)
      .meta({ description: "Deals left with fewer than two parties: they block the merge" }),
    aliases: z.array(z.string()),
    children: z.array(technologyRef),
    nameBecomesAlias: z.string().nullable(),
    canMerge: z.boolean(),
  })
  .meta({ id: "MergePreview" });

export const companyMerged = z.object({ company: companyDetail, mergeId: z.number().int() });
export const technologyMerged = z.object({ technology: technologyDetail, mergeId: z.number().int() }).loose();
export const mergeUndone = z
  .object({ mergeId: z.number().int() })
  .loose()
  .meta({ description: "The merge id and the records given back" });

// The widgets (lib/widgets.ts): one schema per answer.
const timelineLane = z.object({ key: z.string(), name: z.string(), slug: z.string(), deals: count });
const bucket = z.string().meta({ description: "The period: 2024-03, 2024-Q1 or 2024" });
const compareItem = z.object({ name: z.string(), slug: z.string(), deals: count }).meta({
  id: "CompareItem",
  description: "A compared company or technology area, with its deals under the filters",
});
const compareRow = z
  .object({
    key: z.string().meta({
      description:
        "What the row is: a period, a deal type, a company or area slug, an ISO country code or a NAICS sector code ('' for unknown)",
    }),
    label: z.string(),
    counts: z
      .record(z.string(), count)
      .meta({ description: "Deals of each compared item, keyed by its slug" }),
  })
  .meta({ id: "CompareRow" });
const compareKind = z.enum(["company", "technology"]);
const comparePanel = z
  .object({ kind: compareKind, items: z.array(compareItem), rows: z.array(compareRow) })
  .meta({ id: "ComparePanel" });

export const comparison = z
  .object({
    kind: compareKind.meta({ description: "Whether companies or technology areas are compared" }),
    interval: z.enum(INTERVALS),
    items: z.array(compareItem),
    overTime: z.array(compareRow),
    types: z.array(compareRow).meta({ description: "A deal of two types counts under both" }),
    mix: z.array(compareRow).meta({
      description: "Companies compared: their technology areas; areas compared: their top companies",
    }),
    countries: z
      .array(compareRow)
      .meta({ description: "The partners' countries; a deal counts once per country" }),
    sectors: z.array(compareRow).meta({
      description: "The partners' NAICS sectors (two-digit); a deal counts once per sector",
    }),
    partners: z.array(compareRow).meta({ description: "Companies compared: their top partners" }),
    shared: z.array(compareRow).meta({ description: "Partners of two or more compared items" }),
    between: z
      .array(z.object({ a: z.string(), b: z.string(), deals: count }))
      .meta({ description: "Companies compared: deals each pair made together" }),
  })
  .meta({ id: "Comparison" });

export const widgetAnswers = {
  summary: z
    .object({
      deals: count,
      companies: count,
      technologies: count,
      nonBindingMous: count,
      knownBinding: count.meta({
        description: "Deals whose binding is known: what nonBindingMouShare is a share of",
      }),
      nonBindingMouShare: z.number().min(0).max(1),
      last12Months: count,
      previous12Months: count,
    })
    .meta({ id: "Summary" }),
  "deals-over-time": z
    .object({
      interval: z.enum(INTERVALS),
      buckets: z.array(
        z.object({
          bucket,
          counts: z
            .partialRecord(z.enum(DEAL_TYPES), count)
            .meta({ description: "Deals per primary type (a deal's first type): they add up to total" }),
          total: count,
        }),
      ),
    })
    .meta({ id: "DealsOverTime" }),
  "top-companies": z
    .array(
      z.object({ id: z.number().int(), name: z.string(), slug: z.string(), deals: count, partners: count }),
    )
    .meta({ id: "TopCompanies" }),
  technologies: z
    .array(z.object({ id: z.number().int(), name: z.string(), slug: z.string(), deals: count }))
    .meta({ id: "TechnologyCounts" }),
  "technologies-over-time": z
    .object({
      interval: z.enum(INTERVALS),
      areas: z.array(z.object({ name: z.string(), slug: z.string() })),
      buckets: z.array(
        z.object({ bucket, counts: z.record(z.string(), count).meta({ description: "By area slug" }) }),
      ),
    })
    .meta({ id: "TechnologiesOverTime" }),
  "deal-types": z
    .object({
      types: z.array(z.object({ type: z.enum(DEAL_TYPES), deals: count })),
      binding: z.array(z.object({ binding: z.enum(BINDINGS), deals: count })),
    })
    .meta({ id: "DealTypes" }),
  countries: z
    .object({
      items: z.array(
        z.object({
          country: countryCode,
          name: z.string(),
          deals: count.meta({ description: "Deals with a party in this country (each deal once here)" }),
        }),
      ),
      unknown: count.meta({ description: "Deals none of whose parties has a known country" }),
    })
    .meta({
      id: "CountryCounts",
      description:
        "A deal counts once in each country among its parties, so the countries add up to at least the deals. With rollup, a subsidiary without a country of its own counts under its group's.",
    }),
  "country-pairs": z
    .object({
      items: z.array(
        z.object({
          a: countryCode,
          b: countryCode.meta({ description: "ISO 3166-1 alpha-2; always after `a`" }),
          deals: count.meta({ description: "Deals with parties in both countries" }),
        }),
      ),
    })
    .meta({ id: "CountryPairs", description: "The top cross-border corridors, most deals first" }),
  sectors: z
    .object({
      items: z.array(
        z.object({
          sector: z.string().meta({ description: "A two-digit NAICS 2017 sector code (31-33 for a range)" }),
          name: z.string(),
          deals: count,
        }),
      ),
      unknown: count.meta({ description: "Deals none of whose parties has a known sector" }),
    })
    .meta({
      id: "SectorCounts",
      description:
        "A deal counts once in each sector among its parties, a subsector counted under its two-digit sector.",
    }),
  "sector-technologies": z
    .object({
      items: z.array(
        z.object({
          sector: z.string().meta({ description: "A two-digit NAICS 2017 sector code" }),
          name: z.string().meta({ description: "The sector's name" }),
          technology: z.string().meta({ description: "The technology area's name" }),
          slug: z.string().meta({ description: "The technology area's slug" }),
          deals: count,
        }),
      ),
    })
    .meta({
      id: "SectorTechnologies",
      description:
        "The sector × technology matrix as cells (only non-empty ones): a deal counts once in each pair of its parties' sectors and its technology areas.",
    }),
  "partner-mix": z
    .object({
      countries: z.array(z.object({ country: countryCode, name: z.string(), companies: count })),
      sectors: z.array(z.object({ sector: z.string(), name: z.string(), companies: count })),
      unknownCountry: count,
      unknownSector: count,
    })
    .meta({
      id: "PartnerMix",
      description:
        "The parties of the filtered deals (without the filtered companies themselves: a company's partners) by country and by sector, each company once.",
    }),
  timeline: z
    .discriminatedUnion("mode", [
      z.object({
        groupBy: z.enum(["company", "technology"]),
        mode: z.literal("deals"),
        lanes: z.array(timelineLane),
        markers: z.array(
          z.object({
            lane: z.string(),
            id: z.number().int(),
            title: z.string(),
            announcedOn: isoDate,
            datePrecision: z.enum(DATE_PRECISIONS),
            types: z.array(z.enum(DEAL_TYPES)),
            parties: z.array(z.string()),
            quote: z.object({ text: z.string(), speaker: z.string() }).nullable(),
          }),
        ),
      }),
      z.object({
        groupBy: z.enum(["company", "technology"]),
        mode: z
          .literal("months")
          .meta({ description: "Too many deals to draw one by one: counts per month" }),
        lanes: z.array(timelineLane),
        cells: z.array(z.object({ lane: z.string(), month: z.string(), deals: count })),
      }),
    ])
    .meta({ id: "Timeline" }),
  network: z
    .object({
      nodes: z.array(z.object({ id: z.number().int(), name: z.string(), slug: z.string(), deals: count })),
      edges: z.array(z.object({ source: z.number().int(), target: z.number().int(), deals: count })),
    })
    .meta({ id: "Network" }),
  "compare-over-time": comparePanel,
  "compare-types": comparePanel,
  "compare-mix": comparePanel,
  "compare-countries": comparePanel,
  "compare-sectors": comparePanel,
  "compare-partners": comparePanel,
  "compare-shared": comparePanel,
};

export const savedView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    path: z.string(),
    shared: z.boolean(),
    owner: z.object({ name: z.string() }),
    mine: z.boolean(),
    watched: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "SavedView" });

export const shareLink = z
  .object({
    id: z.number().int(),
    viewId: z.number().int(),
    allowExport: z.boolean().meta({ description: "Whether visitors may download the view's data as CSV" }),
    expiresAt: timestamp
      .nullable()
      .meta({ description: "When the link ends (a 404 from then on); null: never" }),
    expired: z.boolean(),
    openCount: z.number().int().meta({ description: "How often the shared page was opened" }),
    lastOpenedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: "ShareLink" });
export const newShareLink = shareLink.extend({
  url: z
    .string()
    .meta({ description: "The link's address, shown only now: only a hash of its token is kept" }),
});

export const feedKey = z.object({
  key: z
    .string()
    .meta({ description: "Goes in feed addresses as ?key=; shown only this once (stored hashed)" }),
});
export const feedKeyState = z.object({
  createdAt: z.iso
    .datetime()
    .nullable()
    .meta({ description: "When the current key was made; null: none yet" }),
});

export const principal = z.object({
  kind: z.enum(["user", "token"]),
  name: z.string(),
  email: z.string().optional(),
  role: z.enum(USER_ROLES),
});
export const signedIn = z.object({
  user: z.object({ id: z.string(), name: z.string(), role: z.enum(USER_ROLES) }),
});

export const webhook = z
  .object({
    id: z.number().int(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    team: z
      .string()
      .nullable()
      .meta({ description: "The team whose confidential deals it also receives; null: public deals only" }),
    createdAt: timestamp,
    failingSince: timestamp.nullable(),
    disabledAt: timestamp.nullable(),
    deliveries: z.array(
      z
        .object({
          id: z.number().int(),
          event: z.string(),
          status: z.enum(DELIVERY_STATUSES),
          attempts: count,
        })
        .loose(),
    ),
  })
  .loose()
  .meta({ id: "Webhook" });
export const team = z
  .object({
    id: z.number().int(),
    slug: z.string().meta({ description: "The team's address, /api/teams/{slug}; it follows renames" }),
    name: z.string(),
    members: z
      .array(z.string())
      .meta({ description: "The members' e-mail addresses, in alphabetical order" }),
  })
  .meta({ id: "Team" });
export const webhookCreated = z
  .object({
    id: z.number().int(),
    secret: z.string().meta({ description: "Shown this once: keep it" }),
    team: z.string().nullable(),
  })
  .loose();
export const queued = z.object({ id: z.number().int().meta({ description: "The queued delivery's event" }) });
export const digestQueued = z.object({
  id: z.number().int().meta({ description: "The queued test digest" }),
  message: z.string().meta({ description: "What happens next, to show the user" }),
});
export const unsubscribed = z.object({ unsubscribed: z.literal(true) });

export const newsSource = z
  .object({
    id: z.number().int(),
    name: z.string(),
    url: z.string().meta({ description: "The feed polled" }),
    pageUrl: z
      .string()
      .nullable()
      .meta({ description: "The web page the feed was found on, if a page was given" }),
    format: z.enum(FEED_FORMATS).nullable().meta({ description: "null until the feed was read once" }),
    status: z.enum(SOURCE_STATUSES),
    active: z.boolean(),
    intervalMinutes: count,
    lastFetchedAt: timestamp.nullable(),
    lastSuccessAt: timestamp.nullable(),
    nextFetchAt: timestamp.nullable(),
    failures: count.meta({ description: "Failed fetches in a row (the back-off doubles with each)" }),
    lastError: z.string().nullable().meta({ description: "The last failure in words; null after a success" }),
    itemsSeen: count.meta({ description: "Items stored from this source (each once)" }),
    candidatesMade: count,
    accepted: count.meta({ description: "Its candidates accepted" }),
    dismissed: count.meta({ description: "Its candidates dismissed" }),
  })
  .meta({ id: "NewsSource" });
export const newsSourceAdded = newsSource
  .extend({ message: z.string().meta({ description: "What was found, e.g. which feed a page named" }) })
  .meta({ id: "NewsSourceAdded" });
export const newsFetched = z.object({
  items: count.meta({ description: "Items in the feed (0 when it answered 304 Not Modified)" }),
  new: count.meta({ description: "Items stored for the first time" }),
  candidates: count.meta({ description: "Candidates the new items made" }),
});

export const ssoStarted = z.object({
  url: z
    .string()
    .meta({ description: "The identity provider's authorization address, to open in the browser" }),
});

const importSummary = z.object({
  rows: count,
  new: count,
  duplicates: count,
  invalid: count,
  newCompanies: z.array(z.string()),
});
export const importAnswer = z
  .object({
    header: z.array(z.string()),
    mapping: z.record(z.string(), z.number().int()),
    dryRun: z.boolean(),
    summary: importSummary,
    rows: z.array(
      z
        .object({
          row: z.number().int(),
          title: z.string(),
          status: z.enum(["new", "duplicate", "invalid"]),
          errors: z.record(z.string(), z.array(z.string())),
          warnings: z.array(z.string()),
        })
        .loose(),
    ),
    result: z
      .object({ created: z.array(z.number().int()), updated: z.array(z.number().int()), skipped: count })
      .optional()
      .meta({ description: "What was written (dryRun=0 only)" }),
    error: z.string().optional().meta({ description: "Why nothing was imported (with a 400)" }),
  })
  .meta({ id: "ImportAnswer" });
export const importProgress = z.object({
  phase: z.enum(["checking", "saving"]),
  done: count,
  total: count,
});

export const articleDraft = z
  .object({
    duplicates: z
      .array(z.looseObject({}))
      .meta({ description: "Deals that probably record the same announcement" }),
    article: z.object({ text: z.string(), title: z.string().nullable(), url: z.string().nullable() }),
    newAreas: z.array(z.object({ name: z.string(), evidence: z.looseObject({ snippet: z.string() }) })).meta({
      description: "Technology areas the article turns on that Atlas lacks, proposed with their words",
    }),
  })
  .loose()
  .meta({
    id: "ArticleDraft",
    description: "The drafted deal fields, each with its evidence (offsets into article.text) and confidence",
  });

/** A triage-queue entry (issue 22): one announcement, however many feed items reported it. */
export const candidate = z
  .object({
    id: z.number().int(),
    kind: z.enum(CANDIDATE_KINDS),
    status: z.enum(CANDIDATE_STATUSES),
    score: z.number().int().min(0).max(100),
    reason: z.string().meta({ description: "Why it was read so, in words" }),
    draft: z.looseObject({ passage: z.string().nullable() }).nullable().meta({
      description:
        "POST /api/extract's answer for the leading item, with every item's link as a source, and the passage that decided its kind",
    }),
    knownDealId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'A recorded deal it matches: "already known"' }),
    dealId: z.number().int().nullable().meta({ description: "The deal it was accepted into or added to" }),
    dismissReason: z.enum(DISMISS_REASONS).nullable(),
    createdAt: z.string(),
    items: z.array(
      z.object({
        title: z.string(),
        url: z.string().nullable(),
        source: z.string(),
        sourceId: z.number().int(),
        publishedAt: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: "Candidate" });
export const candidatePage = z.object({
  items: z.array(candidate),
  total: count,
  page: z.number().int(),
  pageSize: z.number().int(),
});
export const auditEvent = z
  .object({
    at: timestamp,
    actor: z.string().meta({
      description:
        "Who acted (a user's name and email, a token, a share link, the command line), or the email tried for a failed sign-in",
    }),
    kind: z.enum(AUDIT_KINDS),
    detail: z.record(z.string(), z.unknown()).meta({
      description:
        "What happened, by kind: an export's `file`, `filters` (as a query string) and `rows`; a role change's `userId`, `email`, `from`, `to`; a team's `team`, `slug` and `members` (created, deleted) or `renamedFrom`, `added` and `removed` (changed); a token's `tokenId`, `name`, `scopes`, `expiresAt`; a sign-in's `method`; a failed one's `email` and `reason`",
    }),
    ip: z
      .string()
      .nullable()
      .meta({ description: "The client's address, when the event came from a request" }),
  })
  .meta({ id: "AuditEvent" });

export const auditPage = z
  .object({ items: z.array(auditEvent), total: count, page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: "AuditPage" });
