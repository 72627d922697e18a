import type { CandidateKind, CandidateStatus, DismissReason } from "@/lib/enums";
import type { ArticleDraft } from "@/lib/extract/draft";
import type { NewsReading } from "./classify";

// A candidate as the queue and GET /api/candidates show it (db/news/candidates.ts reads it).

/** What a candidate keeps of its reading: POST /api/extract's answer plus the deciding passage. */
export type CandidateDraft = Partial<ArticleDraft> & {
  passage: string | null;
  change: NewsReading["change"];
};

export interface CandidateItem {
  title: string;
  url: string | null;
  source: string;
  sourceId: number;
  publishedAt: string | null;
}
export interface CandidateView {
  id: number;
  kind: CandidateKind;
  status: CandidateStatus;
  score: number;
  reason: string;
  draft: CandidateDraft | null;
  knownDealId: number | null;
  dealId: number | null;
  dismissReason: DismissReason | null;
  createdAt: string;
  items: CandidateItem[];
}
export type CandidatePage = { items: CandidateView[]; total: number; page: number; pageSize: number };
