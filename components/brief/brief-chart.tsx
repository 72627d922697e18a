"use client";

import { Bar, BarChart, Tooltip } from "recharts";
import { timeAxes } from "@/components/charts/chart-parts";
import { bucketLabel } from "@/lib/buckets";
import { TYPE_COLORS } from "@/lib/chart-colors";
import { DEAL_TYPES, TYPE_SHORT } from "@/lib/enums";
import type { OverTime } from "@/db/types";

// A fixed drawing size, about the width of an A4 or Letter page inside its margins at 96 dpi: the
// SVG scales down to the box (globals.css), so the chart is the same on paper as in a narrow window
// and printing never depends on a resize that happens after the page is laid out for print.
const WIDTH = 680;
const HEIGHT = 210;

/** Deals per period stacked by primary type, drawn from data the page read on the server. */
export function BriefDealsOverTime({ data }: { data: OverTime }) {
  const present = DEAL_TYPES.filter((t) => data.buckets.some((b) => b.counts[t]));
  const rows = data.buckets.map((b) => ({ label: bucketLabel(b.bucket), ...b.counts }));
  return (
    <>
      <p className="small brief-legend">
        <span>By primary type:</span>
        {present.map((type) => (
          <span key={type}>
            <span aria-hidden="true" style={{ color: TYPE_COLORS[type] }}>
              ■
            </span>{" "}
            {TYPE_SHORT[type]}
          </span>
        ))}
      </p>
      <div className="brief-chart">
        <BarChart
          width={WIDTH}
          height={HEIGHT}
          data={rows}
          margin={{ top: 8, right: 8, bottom: 24, left: 8 }}
          accessibilityLayer
        >
          {timeAxes(data.interval)}
          <Tooltip />
          {present.map((type) => (
            <Bar
              key={type}
              dataKey={type}
              name={TYPE_SHORT[type]}
              stackId="types"
              fill={TYPE_COLORS[type]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </div>
    </>
  );
}
