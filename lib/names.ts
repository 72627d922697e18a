import slugifyLib from "slugify";

// Legal-form suffixes that do not distinguish one company from another ("SK Telecom Co., Ltd." is
// "SK Telecom"). Matched as whole trailing words after punctuation is removed.
const LEGAL_SUFFIXES = new Set([
  "inc",
  "incorporated",
  "corp",
  "corporation",
  "co",
  "company",
  "ltd",
  "limited",
  "llc",
  "llp",
  "lp",
  "plc",
  "ag",
  "sa",
  "se",
  "nv",
  "bv",
  "gmbh",
  "kgaa",
  "kg",
  "spa",
  "srl",
  "sas",
  "sarl",
  "ab",
  "asa",
  "oy",
  "oyj",
  "as",
  "pte",
  "pty",
  "kk",
  "bhd",
  "sdn",
  "tbk",
  "holdings",
]);

/**
 * The identity key of a company name: case, accents, punctuation and trailing legal suffixes are
 * ignored, so "Microsoft Corp." and "microsoft" are the same company.
 */
export function companyKey(name: string): string {
  const words = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’`]/g, "")
    // Dotted initials are one word: "S.A." is "sa", "N.V." is "nv".
    .replace(/(?<=(?:^|[^\p{L}])\p{L})\.(?=\p{L}(?:[^\p{L}]|$))/gu, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  // Strip suffixes from the end only, and never down to nothing ("AG" alone stays "ag").
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  return words.join(" ");
}

/** Identity key for technology areas and other labels: case and spacing only. */
export function labelKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

export function slugify(text: string): string {
  const slug = slugifyLib(text.replace(/&/g, " and "), { lower: true, strict: true, trim: true });
  return slug || "item";
}
