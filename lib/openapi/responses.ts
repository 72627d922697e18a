import { z } from "zod";
import { INTERVALS } from "@/lib/buckets";
import {
  BINDINGS,
  DATE_PRECISIONS,
  DEAL_TYPES,
  DELIVERY_STATUSES,
  ROLES,
  USER_ROLES,
  WEBHOOK_EVENTS,
} from "@/lib/enums";
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
          url: z.string(),
          title: z.string().nullable(),
          publisher: z.string().nullable(),
          publishedOn: isoDate.nullable(),
        }),
      ),
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
    country: z.string().nullable(),
    sector: z.string().nullable(),
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
export const webhookCreated = z
  .object({ id: z.number().int(), secret: z.string().meta({ description: "Shown this once: keep it" }) })
  .loose();
export const queued = z.object({ id: z.number().int().meta({ description: "The queued delivery's event" }) });
export const digestQueued = z.object({
  id: z.number().int().meta({ description: "The queued test digest" }),
  message: z.string().meta({ description: "What happens next, to show the user" }),
});
export const unsubscribed = z.object({ unsubscribed: z.literal(true) });

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
  })
  .loose()
  .meta({
    id: "ArticleDraft",
    description: "The drafted deal fields, each with its evidence (offsets into article.text) and confidence",
  });
