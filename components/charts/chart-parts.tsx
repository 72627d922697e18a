"use client";

import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Label, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { filtersToSearch, type DealFilters } from "@/lib/filters";
import { mapLegend } from "@/lib/geo/world";
import { OpenOnEnter } from "./open-on-enter";

// Pieces the dashboard's charts share: axes, click-through links and the horizontal ranking.

/**
 * The data row behind a clicked Recharts element. Recharts types its event entries loosely; this is
 * the one place that says what they carry.
 */
export function payloadOf<T>(entry: unknown): T | undefined {
  return (entry as { payload?: T } | null | undefined)?.payload;
}

/** The deals list for the chart's filters plus what was clicked. */
const dealsLink = (filters: DealFilters, patch: Partial<DealFilters>) =>
  `/deals${filtersToSearch({ ...filters, ...patch, page: 1 })}`;

/**
 * The deals list for the chart's filters with some parameters set outright (country=KR, sector=51):
 * for the geography filters, which are URL parameters of the deals list (issue 23) not yet part of
 * every DealFilters caller. A parameter given here replaces the page's own of the same name.
 */
export function dealsHref(filters: DealFilters, params: Record<string, string[]>): string {
  const search = new URLSearchParams(filtersToSearch({ ...filters, page: 1 }).slice(1));
  for (const [key, values] of Object.entries(params)) {
    search.delete(key);
    for (const value of values) search.append(key, value);
  }
  return `/deals?${search}`;
}

/** Opens the deals behind a clicked mark. */
export function useDealsLink(filters: DealFilters) {
  const router = useRouter();
  return (patch: Partial<DealFilters>) => router.push(dealsLink(filters, patch));
}

/**
 * A chart legend that says what its series are ("Primary type: MoU, JV, …"), for charts whose
 * sums could be misread. Recharts' Legend `content`.
 */
export function titledLegend(title: string) {
  return function TitledLegend({ payload }: { payload?: readonly { value?: unknown; color?: string }[] }) {
    return (
      <p
        className="small chart-legend"
        style={{ display: "flex", flexWrap: "wrap", gap: "0.25rem 0.75rem", margin: 0 }}
      >
        <span>{title}:</span>
        {payload?.map((item) => (
          <span key={String(item.value)}>
            <span aria-hidden style={{ color: item.color }}>
              ■
            </span>{" "}
            {String(item.value)}
          </span>
        ))}
      </p>
    );
  };
}

/**
 * Grid and axes of a chart over time: periods along, deals up. An array, not a component, because
 * Recharts looks for its axes among the chart's direct children.
 */
export function timeAxes(interval: string) {
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" vertical={false} />,
    <XAxis key="x" dataKey="label" tick={{ fontSize: 11 }} minTickGap={12}>
      <Label value={`Announced (${interval})`} position="insideBottom" offset={-16} />
    </XAxis>,
    <YAxis key="y" allowDecimals={false} tick={{ fontSize: 11 }}>
      <Label value="Deals" angle={-90} position="insideLeft" />
    </YAxis>,
  ];
}

/** A horizontal bar ranking (names down, counts along) whose bars open their deals. */
export function RankingChart<T extends { name: string }>({
  data,
  valueKey,
  valueLabel,
  seriesName = valueLabel,
  color,
  onOpen,
}: {
  data: T[];
  valueKey: keyof T & string;
  /** The value axis's label, and the series name in the tooltip unless `seriesName` says otherwise. */
  valueLabel: string;
  seriesName?: string;
  color: string;
  onOpen: (row: T) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 28 + 50)}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 4, right: 16, bottom: 20, left: 8 }}
        accessibilityLayer
      >
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }}>
          <Label value={valueLabel} position="insideBottom" offset={-12} />
        </XAxis>
        <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} interval={0} />
        <Tooltip />
        <OpenOnEnter<T> onOpen={onOpen} />
        <Bar
          dataKey={valueKey as string}
          name={seriesName}
          fill={color}
          onClick={(entry) => {
            const row = payloadOf<T>(entry);
            if (row) onOpen(row);
          }}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The shade steps of the map and the heat map ("Deals: ■ 1–4 ■ 5–8 …"), with any extra words after. */
export function ShadeLegend({ max, children }: { max: number; children?: ReactNode }) {
  return (
    <>
      <span>Deals:</span>
      {mapLegend(max).map((step) => (
        <span key={step.label}>
          <span aria-hidden style={{ color: step.color }}>
            ■
          </span>{" "}
          {step.label}
        </span>
      ))}
      {children}
    </>
  );
}
