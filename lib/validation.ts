import { z } from "zod";
import type { FieldErrors } from "@/lib/form-state";
import { companyKey, hasLetterOrDigit, labelKey, normalizeName } from "@/lib/names";
import { isCurrency, toMinorUnits } from "@/lib/money";
import { isCountryCode } from "@/lib/geo/countries";
import { leiCheckDigitsValid, TICKER, WIKIDATA_ID } from "@/lib/geo/identifiers";
import { isSectorCode } from "@/lib/geo/sectors";
import { BINDINGS, DATE_PRECISIONS, DEAL_TYPES, PASTED_TEXT_PUBLISHER, ROLES, STATUSES } from "@/lib/enums";

// One set of input schemas for the form's Server Action, the JSON API, CSV import and the tests.

const text = (max: number) =>
  z
    .string({ error: "Must be text" })
    .trim()
    .max(max, { error: `Keep this under ${max.toLocaleString("en")} characters` });
const requiredText = (max: number, message: string) => text(max).min(1, { error: message });

/**
 * A company name as stored: normalised (lib/names.ts normalizeName) and with a non-empty identity
 * key, so "!!!" or an invisible-only name is a field error rather than an unfindable record.
 */
export const companyName = (message: string) =>
  z
    .string({ error: "Must be text" })
    .transform(normalizeName)
    .pipe(requiredText(200, message))
    .refine((name) => companyKey(name) !== "", { error: "Use at least one letter or digit in the name" });

/** A technology area's name, normalised; it needs a letter or digit as well. */
export const technologyName = (message: string) =>
  z
    .string({ error: "Must be text" })
    .transform(normalizeName)
    .pipe(requiredText(80, message))
    .refine(hasLetterOrDigit, { error: "Use at least one letter or digit in the name" });
/** Optional text: absent, null and "" all mean "not given". */
const optionalText = (max: number) =>
  text(max)
    .nullish()
    .transform((v) => (v ? v : null));

export const isoDate = z.iso.date({ error: "Enter a real calendar date as YYYY-MM-DD" });
const optionalDate = z
  .union([isoDate, z.literal("")])
  .nullish()
  .transform((v) => v || null);

export const httpUrl = z
  .string({ error: "Enter a web address" })
  .trim()
  .min(1, { error: "Enter a web address" })
  .max(2000, { error: "Keep web addresses under 2,000 characters" })
  .pipe(z.url({ protocol: /^https?$/, error: "Enter a web address starting with http:// or https://" }));

const enumOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: `Choose a ${what}: ${values.join(", ")}` });

const partyInput = z.object({
  company: companyName("Name the company"),
  role: enumOf(ROLES, "role").default("partner"),
});

const quoteInput = z.object({
  text: requiredText(5000, "Enter the quote"),
  speaker: requiredText(200, "Name who said it"),
  speakerTitle: optionalText(200),
  speakerCompany: optionalText(200),
});

/**
 * A source is a web address, or — for pasted text that has no link — the publication that printed it
 * (issue 21): a blank address is kept as none, and then a publisher is required.
 */
export const sourceInput = z
  .object({
    url: z
      .union([z.literal("").transform(() => null), httpUrl])
      .nullish()
      .transform((v) => v ?? null),
    title: optionalText(500),
    publisher: optionalText(200),
    publishedOn: optionalDate,
  })
  .superRefine((source, ctx) => {
    if (!source.url && !source.publisher)
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: `Enter the web address, or name the publication (e.g. "${PASTED_TEXT_PUBLISHER}") for a source without one`,
      });
  });

const valueInput = z
  .object({
    amount: z.union([z.string(), z.number()], { error: "Enter the amount as a number" }).transform(String),
    currency: z
      .string({ error: "Enter a currency code" })
      .trim()
      .toUpperCase()
      .refine(isCurrency, { error: "Enter an ISO 4217 currency code such as USD, EUR or KRW" }),
  })
  .superRefine((v, ctx) => {
    if (isCurrency(v.currency) && toMinorUnits(v.amount, v.currency) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["amount"],
        message: `Enter a positive amount with at most the decimals ${v.currency} allows`,
      });
    }
  });

/**
 * Who sees a deal (issue 25): `"everyone"`, or one team by slug — a confidential deal, visible to
 * that team's members and to admins only. The API shape is `"everyone"` or `{ "team": "m-and-a" }`.
 */
export const dealVisibility = z.union(
  [
    z.literal("everyone"),
    z.strictObject({
      team: z
        .string({ error: "Give the team's slug" })
        .trim()
        .min(1, { error: "Give the team's slug" })
        .max(100, { error: "Keep this under 100 characters" }),
    }),
  ],
  { error: 'Give "everyone" or { "team": "<team slug>" }' },
);
export type DealVisibility = z.output<typeof dealVisibility>;

/** The deal input's fields as declared, before the checks across fields. */
export const dealFields = z.object({
  title: requiredText(300, "Enter a title"),
  announcedOn: isoDate,
  datePrecision: enumOf(DATE_PRECISIONS, "date precision").default("day"),
  types: z
    .array(enumOf(DEAL_TYPES, "deal type"), { error: "Choose at least one deal type" })
    .min(1, { error: "Choose at least one deal type" })
    .transform((types) => [...new Set(types)]),
  binding: enumOf(BINDINGS, "binding").default("unknown"),
  status: enumOf(STATUSES, "status").default("announced"),
  /** When the current status took effect, if known. */
  statusOn: optionalDate,
  summary: text(10_000)
    .nullish()
    .transform((v) => v ?? ""),
  value: valueInput.nullish().transform((v) => v ?? null),
  parties: z
    .array(partyInput, { error: "List the parties" })
    .min(2, { error: "A deal needs at least two parties" })
    .max(50, { error: "At most 50 parties" }),
  technologies: z
    .array(technologyName("Name the technology area"), { error: "List technology areas" })
    .max(50, { error: "At most 50 technology areas" })
    .default([])
    .transform(dedupeBy(labelKey)),
  quotes: z.array(quoteInput, { error: "List quotes" }).max(50, { error: "At most 50 quotes" }).default([]),
  sources: z
    .array(sourceInput, { error: "List the sources" })
    .min(1, { error: "Add at least one source" })
    .max(50, { error: "At most 50 sources" }),
  expandsDealId: z
    .number({ error: "Give the id of the earlier deal" })
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? null),
  visibility: dealVisibility.default("everyone"),
});

export const dealInput = dealFields
  .transform((deal) => ({ ...deal, announcedOn: truncateDate(deal.announcedOn, deal.datePrecision) }))
  .superRefine((deal, ctx) => {
    // Two spellings of one company are still one party.
    const seen = new Map<string, number>();
    deal.parties.forEach((party, i) => {
      const key = companyKey(party.company);
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["parties", i, "company"],
          message: `Same company as party ${first + 1}; a deal needs distinct parties`,
        });
      } else seen.set(key, i);
    });
  });

export type DealInput = z.output<typeof dealInput>;
export type DealInputRaw = z.input<typeof dealInput>;

/**
 * The deal input's fields stored elsewhere than in one column of the deal's row: each has code of its
 * own. Every other field is a plain one, kept as given in the `deals` column of its name, and the
 * row writes, the reads, the revisions, the export and the API's answers carry it without more code.
 */
export const DEAL_PARTS = [
  "statusOn",
  "types",
  "value",
  "parties",
  "technologies",
  "quotes",
  "sources",
  "visibility",
] as const;
export type DealPlainField = Exclude<keyof DealInput, (typeof DEAL_PARTS)[number]>;
export const DEAL_PLAIN_FIELDS = Object.keys(dealFields.shape).filter(
  (key) => !(DEAL_PARTS as readonly string[]).includes(key),
) as DealPlainField[];

const FIELD_ORDER = Object.keys(dealFields.shape);

/** The plain fields of a deal, an input or a row. */
export function plainFieldsOf<S extends Record<DealPlainField, unknown>>(source: S): Pick<S, DealPlainField> {
  return Object.fromEntries(DEAL_PLAIN_FIELDS.map((key) => [key, source[key]])) as Pick<S, DealPlainField>;
}

/**
 * A deal's plain fields from `source` (a row or a record) and its `parts` as given, in the input's
 * order: the order in which revisions list changed fields and the API's answers list fields.
 */
export function withPlainFields<S extends Record<DealPlainField, unknown>, P extends object>(
  source: S,
  parts: P,
): Pick<S, DealPlainField> & P {
  const out: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) {
    if (key in parts) out[key] = parts[key as keyof P];
    else if ((DEAL_PLAIN_FIELDS as string[]).includes(key)) out[key] = source[key as DealPlainField];
  }
  return out as Pick<S, DealPlainField> & P;
}

export const dealPatch = z.object({
  version: z.number({ error: "Send the version you read the deal at" }).int().positive(),
});

/** Absent, null and "" all mean "not given" (null); each schema below lets "" through for this. */
const clearable = <T extends z.ZodType<string>>(schema: T) =>
  schema.nullish().transform((v) => (v ? v : null));

/** ISO 3166-1 alpha-2, any case in, stored upper-case (lib/geo/countries.ts). */
export const countryCode = z
  .string({ error: "Use a two-letter ISO 3166-1 country code such as KR or US" })
  .trim()
  .toUpperCase()
  .refine((code) => code === "" || isCountryCode(code), {
    error: (issue) =>
      `No country has the code ${String(issue.input)}; use an ISO 3166-1 code such as KR or US`,
  });
/** A NAICS 2017 sector ("51") or subsector ("517") code (lib/geo/sectors.ts). */
export const sectorCode = z
  .string({ error: "Choose a NAICS 2017 sector code such as 51 or 517" })
  .trim()
  .refine((code) => code === "" || isSectorCode(code), {
    error: (issue) =>
      `No sector has the code ${String(issue.input)}; use a NAICS 2017 code such as 51 or 517`,
  });
/** A Legal Entity Identifier: 20 characters whose last two are ISO 17442 check digits. */
export const leiCode = z
  .string({ error: "Enter the 20-character LEI" })
  .trim()
  .toUpperCase()
  .superRefine((lei, ctx) => {
    if (lei === "") return;
    if (!/^[0-9A-Z]{18}[0-9]{2}$/.test(lei))
      ctx.addIssue({ code: "custom", message: "An LEI is 20 letters and digits, the last two digits" });
    else if (!leiCheckDigitsValid(lei))
      ctx.addIssue({ code: "custom", message: "Check digits do not match" });
  });
/** An identifier of a fixed shape, any case in, stored upper-case; "" passes for "none". */
const upperCasePattern = (pattern: RegExp, message: string) =>
  z
    .string({ error: message })
    .trim()
    .toUpperCase()
    .refine((value) => value === "" || pattern.test(value), { error: message });
export const wikidataId = upperCasePattern(
  WIKIDATA_ID,
  "Enter a Wikidata item as Q and its number, such as Q312",
);
export const ticker = upperCasePattern(
  TICKER,
  "Enter the ticker as EXCHANGE:SYMBOL, such as NASDAQ:AAPL or KRX:005930",
);
const website = httpUrl
  .nullish()
  .or(z.literal("").transform(() => null))
  .transform((v) => v ?? null);

/** The reference fields a company form, PATCH and the reference import share. */
const referenceFields = {
  country: clearable(countryCode),
  sector: clearable(sectorCode),
  lei: clearable(leiCode),
  wikidataId: clearable(wikidataId),
  ticker: clearable(ticker),
  website,
};
const aliasList = z
  .array(companyName("Enter the alias"), { error: "List the aliases" })
  .max(50, { error: "At most 50 aliases" })
  .transform(dedupeBy((a) => a.toLowerCase()));

export const companyInput = z.object({
  name: companyName("Enter the company name"),
  ...referenceFields,
  parent: optionalText(200),
  aliases: aliasList.default([]),
});
export type CompanyInput = z.output<typeof companyInput>;

/** PATCH /api/companies/{slug} and the edit form: the version read, and the fields to change. */
export const companyPatch = z.object({
  version: z.number({ error: "Send the version you read the company at" }).int().positive(),
  name: companyName("Enter the company name").optional(),
  country: referenceFields.country.optional(),
  sector: referenceFields.sector.optional(),
  lei: referenceFields.lei.optional(),
  wikidataId: referenceFields.wikidataId.optional(),
  ticker: referenceFields.ticker.optional(),
  website: website.optional(),
  /** A name, alias or slug; null or "" removes the parent. */
  parent: optionalText(200).optional(),
  aliases: aliasList.optional(),
  /** Renaming keeps the old name as an alias unless this is false. */
  keepOldName: z.boolean({ error: "Send true or false" }).default(true),
  /** Renaming changes the slug only when asked; the old slug then redirects. */
  changeSlug: z.boolean({ error: "Send true or false" }).default(false),
});
export type CompanyPatch = z.output<typeof companyPatch>;

/** POST /api/{companies,technologies}/{slug}/merge */
export const mergeInput = z.object({
  into: requiredText(200, "Choose the company or area to merge into"),
  dryRun: z.boolean({ error: "Send true for a preview or false to merge" }).default(true),
});

export const technologyPatch = z.object({
  version: z.number({ error: "Send the version you read the area at" }).int().positive(),
  name: technologyName("Enter the technology area's name").optional(),
  /** The broader area (name or slug); null or "" for none. */
  parent: optionalText(80).optional(),
  /** Words that name the area in articles ("electric vehicle batteries"): what drafts recognise it by. */
  synonyms: z
    .array(technologyName("A word or phrase cannot be empty"), { error: "Send a list of words or phrases" })
    .max(50, { error: "At most 50 words or phrases" })
    .transform(dedupeBy(labelKey))
    .optional(),
  changeSlug: z.boolean({ error: "Send true or false" }).default(false),
});
export type TechnologyPatch = z.output<typeof technologyPatch>;

/** A new sign-in account (first-run owner, admin-created users, the CLI). */
export const accountInput = z.object({
  name: z.string({ error: "Enter a name" }).trim().min(1, { error: "Enter a name" }).max(100),
  email: z
    .string({ error: "Enter an email" })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: "Enter a valid email address" })),
  password: z
    .string({ error: "Enter a password" })
    .min(10, { error: "Use at least 10 characters" })
    .max(256, { error: "Use at most 256 characters" }),
});

export const technologyInput = z.object({ name: technologyName("Enter the technology area's name") });

/** A month-precision date is stored as the 1st of the month, a year-precision one as 1 January. */
function truncateDate(date: string, precision: (typeof DATE_PRECISIONS)[number]) {
  if (precision === "month") return `${date.slice(0, 7)}-01`;
  if (precision === "year") return `${date.slice(0, 4)}-01-01`;
  return date;
}

function dedupeBy(key: (s: string) => string) {
  return (values: string[]) => {
    const seen = new Set<string>();
    return values.filter((v) => {
      const k = key(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  };
}

export type { FieldErrors };

export function fieldErrors(error: z.core.$ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}
