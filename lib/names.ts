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

// Characters that render as nothing (or as a blank) and so let two different strings look equal:
// format and control characters (zero-width space/joiners, bidi overrides, soft hyphen), variation
// selectors, the combining grapheme joiner, Hangul and Mongolian fillers, the braille blank.
const INVISIBLE =
  /[\p{Cc}\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180E\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;
const SPACES = /[\s\p{Z}]+/gu;

/**
 * How a company or technology name is stored: Unicode NFKC (full-width letters become ASCII, "ﬁ"
 * becomes "fi"), invisible and control characters removed, runs of spaces collapsed, trimmed.
 */
export function normalizeName(name: string): string {
  return name.normalize("NFKC").replace(SPACES, " ").replace(INVISIBLE, "").replace(/ {2,}/g, " ").trim();
}

// Letters of other scripts that look like a Latin letter in common fonts, mapped to that letter
// (after UTS #39's confusables, restricted to Cyrillic and Greek letters that occur in names).
// Lower-case small capitals (в, м, н, т) are left alone: they do not pass for b, m, h, t.
// Digits are not folded ("3M" is not "EM"); full-width forms are already folded by NFKC.
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  А: "A",
  а: "a",
  В: "B",
  Е: "E",
  е: "e",
  Ё: "E",
  ё: "e",
  К: "K",
  к: "k",
  М: "M",
  Н: "H",
  О: "O",
  о: "o",
  Р: "P",
  р: "p",
  С: "C",
  с: "c",
  Т: "T",
  У: "Y",
  у: "y",
  Х: "X",
  х: "x",
  Ѕ: "S",
  ѕ: "s",
  І: "I",
  і: "i",
  Ї: "I",
  ї: "i",
  Ј: "J",
  ј: "j",
  Ԁ: "D",
  ԁ: "d",
  Ԛ: "Q",
  ԛ: "q",
  Ԝ: "W",
  ԝ: "w",
  Һ: "H",
  һ: "h",
  Ӏ: "I",
  ӏ: "l",
  Ү: "Y",
  ү: "y",
  Ɡ: "G",
  ɡ: "g",
  // Greek
  Α: "A",
  α: "a",
  Β: "B",
  β: "b",
  Ε: "E",
  ε: "e",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  ι: "i",
  Κ: "K",
  κ: "k",
  Μ: "M",
  Ν: "N",
  ν: "v",
  Ο: "O",
  ο: "o",
  Ρ: "P",
  ρ: "p",
  Τ: "T",
  τ: "t",
  Υ: "Y",
  υ: "u",
  Χ: "X",
  χ: "x",
  γ: "y",
  ω: "w",
  // Latin look-alikes outside ASCII
  ı: "i",
  ȷ: "j",
  ſ: "s",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "gu");

/** Replaces look-alike letters of other scripts by the Latin letter they imitate. */
export function foldConfusables(text: string): string {
  return text.replace(CONFUSABLE_RE, (c) => CONFUSABLES[c]!);
}

/**
 * The identity key of a company name: case, accents, punctuation, invisible characters, look-alike
 * letters and trailing legal suffixes are ignored, so "Microsoft Corp.", "microsoft" and
 * "Мicrosoft" (Cyrillic М) are the same company. Empty when the name has no letter or digit.
 */
export function companyKey(name: string): string {
  const words = nameWords(name);
  // Strip suffixes from the end only, and never down to nothing ("AG" alone stays "ag").
  while (words.length > 1 && isLegalSuffix(words[words.length - 1]!)) words.pop();
  return words.join(" ");
}

/** The words of a name as the identity key sees them, legal suffixes still in place. */
export function nameWords(name: string): string[] {
  return (
    foldConfusables(normalizeName(name))
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
      .filter(Boolean)
  );
}

export function isLegalSuffix(word: string): boolean {
  return LEGAL_SUFFIXES.has(word);
}

/** Identity key for technology areas and other labels: case, spacing and look-alike letters only. */
export function labelKey(name: string): string {
  return foldConfusables(normalizeName(name)).toLowerCase();
}

/** True when a label has something to tell it apart: at least one letter or digit. */
export function hasLetterOrDigit(name: string): boolean {
  return /[\p{L}\p{N}]/u.test(normalizeName(name));
}

export function slugify(text: string): string {
  const plain = foldConfusables(normalizeName(text)).replace(/&/g, " and ");
  const slug = slugifyLib(plain, { lower: true, strict: true, trim: true });
  return slug || "item";
}
