import type { Binding, DealType } from "./enums";

// One colour per deal type, used by every chart and the timeline, chosen to stay distinct for
// common colour-vision deficiencies (Okabe–Ito based).
export const TYPE_COLORS: Record<DealType, string> = {
  mou: "#E69F00",
  strategic_partnership: "#3446C8",
  joint_venture: "#009E73",
  investment: "#CC79A7",
  licensing: "#56B4E9",
  rd_collaboration: "#D55E00",
  commercial_agreement: "#0072B2",
  acquisition: "#8B1E3F",
  other: "#999999",
};

export const SERIES_COLORS = [
  "#3446C8",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#0072B2",
  "#8B1E3F",
];

/** Ranking bars: companies and technology areas each keep one colour across pages. */
export const RANKING_COLORS = {
  company: "#3446C8",
  technology: "#009E73",
  country: "#0072B2",
  sector: "#D55E00",
} as const;

export const BINDING_COLORS: Record<Binding, string> = {
  binding: "#009E73",
  non_binding: "#E69F00",
  unknown: "#B0B7C3",
};
