import type { Gazetteer, GazetteerCompany } from "@/lib/extract/types";

// The extractor tries every directory company's names on an article, one regular expression each:
// with 5,000 companies that is about a second per feed item on a busy 2-core server (issue 22's
// 1,000 items in < 60 s). A feed item names a handful of companies, so the news processor hands the
// extractor only those that can occur in it: every company one of whose names begins with a word of
// the item. A superset of what the extractor would find, so the parties are the same; only the
// spelling suggestions for an unknown name come from this shorter list.

const WORDS = /[\p{L}\p{N}]+/gu;
const firstWord = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/u)?.[0];

export type CompanyIndex = { gazetteer: Gazetteer; byWord: Map<string, Set<GazetteerCompany>> };

/** Indexes the directory's companies by the first word of each of their names (once per run). */
export function indexCompanies(gazetteer: Gazetteer): CompanyIndex {
  const byWord = new Map<string, Set<GazetteerCompany>>();
  for (const company of gazetteer.companies)
    for (const name of [company.name, ...company.aliases]) {
      const word = firstWord(name);
      if (word) (byWord.get(word) ?? byWord.set(word, new Set()).get(word)!).add(company);
    }
  return { gazetteer, byWord };
}

/** The gazetteer with only the companies whose names can occur in `text`, in the directory's order. */
export function gazetteerFor({ gazetteer, byWord }: CompanyIndex, text: string): Gazetteer {
  const found = new Set<GazetteerCompany>();
  for (const word of new Set(text.toLowerCase().match(WORDS)))
    for (const company of byWord.get(word) ?? []) found.add(company);
  return { ...gazetteer, companies: gazetteer.companies.filter((c) => found.has(c)) };
}
