import "server-only";
import { z } from "zod";
import {
  dealsOverTime,
  dealTypeBreakdown,
  getSummary,
  partnerNetwork,
  technologiesOverTime,
  technologyCounts,
  timeline,
  topCompanies,
} from "@/db/stats";
import type { CsvCell } from "./csv";
import { DEAL_TYPES } from "./enums";
import type { DealFilters } from "./filters";
import { intervalOption, timelineOptions, topCompaniesOptions } from "./stats-options";

// Each chart's numbers as a table: what the "Download data" action of that chart exports.

const options = intervalOption.extend(topCompaniesOptions.shape).extend(timelineOptions.shape);
export const chartCsvOptions = options;
type Options = z.output<typeof options>;
type Table = { header: string[]; rows: CsvCell[][] };

export const CHART_TABLES: Record<string, (f: DealFilters, o: Options) => Table> = {
  summary: (f) => {
    const s = getSummary(f);
    return {
      header: ["metric", "value"],
      rows: [
        ["deals", s.deals],
        ["companies", s.companies],
        ["technology_areas", s.technologies],
        ["non_binding_mous", s.nonBindingMous],
        ["non_binding_mou_share", Number(s.nonBindingMouShare.toFixed(4))],
        ["last_12_months", s.last12Months],
        ["previous_12_months", s.previous12Months],
      ],
    };
  },
  "deals-over-time": (f, o) => {
    const d = dealsOverTime(f, o.interval);
    return {
      header: ["period", ...DEAL_TYPES, "deals"],
      rows: d.buckets.map((b) => [b.bucket, ...DEAL_TYPES.map((t) => b.counts[t] ?? 0), b.total]),
    };
  },
  "top-companies": (f, o) => ({
    header: ["company", "deals", "partners"],
    rows: topCompanies(f, { by: o.by, limit: o.limit }).map((c) => [
      c.name,
      c.deals,
      o.by === "partners" ? c.partners : null,
    ]),
  }),
  technologies: (f) => ({
    header: ["technology_area", "deals"],
    rows: technologyCounts(f).map((t) => [t.name, t.deals]),
  }),
  "technologies-over-time": (f, o) => {
    const d = technologiesOverTime(f, o.interval);
    return {
      header: ["period", ...d.areas.map((a) => a.name)],
      rows: d.buckets.map((b) => [b.bucket, ...d.areas.map((a) => b.counts[a.slug] ?? 0)]),
    };
  },
  "deal-types": (f) => {
    const d = dealTypeBreakdown(f);
    return {
      header: ["dimension", "value", "deals"],
      rows: [
        ...d.types.map((t) => ["type", t.type, t.deals]),
        ...d.binding.map((b) => ["binding", b.binding, b.deals]),
      ],
    };
  },
  timeline: (f, o) => {
    const d = timeline(f, o.groupBy);
    const lane = new Map(d.lanes.map((l) => [l.key, l.name]));
    return d.mode === "deals"
      ? {
          header: ["lane", "deal_id", "title", "announced_on", "date_precision", "deal_types"],
          rows: d.markers.map((m) => [
            lane.get(m.lane) ?? m.lane,
            m.id,
            m.title,
            m.announcedOn,
            m.datePrecision,
            m.types.join("; "),
          ]),
        }
      : {
          header: ["lane", "month", "deals"],
          rows: d.cells.map((c) => [lane.get(c.lane) ?? c.lane, c.month, c.deals]),
        };
  },
  network: (f) => {
    const d = partnerNetwork(f);
    const name = new Map(d.nodes.map((n) => [n.id, n.name]));
    return {
      header: ["company_a", "company_b", "shared_deals"],
      rows: d.edges
        .toSorted((a, b) => b.deals - a.deals)
        .map((e) => [name.get(e.source)!, name.get(e.target)!, e.deals]),
    };
  },
};
