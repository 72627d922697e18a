import { ruleExtractor } from "./rules";
import type { ExtractInput, ExtractResult, Gazetteer } from "./types";

export type * from "./types";
export { resolveCompanies, resolveCompany, buildCompanyIndex } from "./resolve";
export { findDuplicateDeals } from "./duplicates";
export { ruleExtractor } from "./rules";
export { readHtmlArticle, extractInputFromHtml } from "./html";

/** Drafts a deal from an article with the default (rule-based) extractor. */
export function extractArticle(input: ExtractInput, gazetteer: Gazetteer): ExtractResult {
  return ruleExtractor.extract(input, gazetteer);
}
