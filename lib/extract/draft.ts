import type { DuplicateCandidate } from "./duplicates";
import type { ExtractResult } from "./types";

/** What POST /api/extract answers: the extractor's result, probable duplicates and the article's text. */
export type ArticleDraft = ExtractResult & {
  duplicates: DuplicateCandidate[];
  /** The text the evidence offsets point into. */
  article: { text: string; title: string | null; url: string | null };
};
