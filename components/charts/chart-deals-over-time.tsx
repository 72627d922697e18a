"use client";

import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip } from "recharts";
import { bucketLabel, bucketRange, type Interval } from "@/lib/buckets";
import { TYPE_COLORS } from "@/lib/chart-colors";
import { DEAL_TYPES, TYPE_SHORT } from "@/lib/enums";
import { payloadOf, timeAxes, titledLegend, useDealsLink } from "./chart-parts";
import { OpenOnEnter } from "./open-on-enter";
import { Segmented } from "./segmented";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

const INTERVAL_OPTIONS: { value: Interval | "auto"; label: string }[] = [
  { value: "auto", label: "Auto" },
  { value: "month", label: "Month" },
  { value: "quarter", label: "Quarter" },
  { value: "year", label: "Year" },
];

type BucketRow = { bucket: string; label: string };

export function ChartDealsOverTime({ title = "Deals over time, by type" }: { title?: string }) {
  const { query, filters, options, setFilters, download, image } = useWidget("deals-over-time");
  const open = useDealsLink(filters);
  return (
    <Widget
      id="over-time"
      title={title}
      query={query}
      download={download}
      image={image}
      isEmpty={(d) => d.buckets.length === 0}
      note="Each deal counts once, under its primary type (the first type listed), so a bar's height is the number of deals in the period."
      controls={
        <Segmented
          label="Interval"
          value={options.interval}
          options={INTERVAL_OPTIONS}
          onChange={(v) => setFilters({}, { interval: v === "auto" ? null : v })}
        />
      }
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Period</th>
              {DEAL_TYPES.map((t) => (
                <th key={t}>{TYPE_SHORT[t]} (primary)</th>
              ))}
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.buckets.map((b) => (
              <tr key={b.bucket}>
                <td>{bucketLabel(b.bucket)}</td>
                {DEAL_TYPES.map((t) => (
                  <td key={t}>{b.counts[t] ?? 0}</td>
                ))}
                <td>{b.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => {
        const present = DEAL_TYPES.filter((t) => d.buckets.some((b) => b.counts[t]));
        const rows = d.buckets.map((b) => ({ bucket: b.bucket, label: bucketLabel(b.bucket), ...b.counts }));
        return (
          <ResponsiveContainer width="100%" height={300}>
            <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 24, left: 8 }} accessibilityLayer>
              {timeAxes(d.interval)}
              <Tooltip />
              <Legend verticalAlign="top" height={28} content={titledLegend("Deals by primary type")} />
              <OpenOnEnter<BucketRow> onOpen={(row) => open(bucketRange(row.bucket))} />
              {present.map((type) => (
                <Bar
                  key={type}
                  dataKey={type}
                  name={TYPE_SHORT[type]}
                  stackId="types"
                  fill={TYPE_COLORS[type]}
                  onClick={(entry) => {
                    const bucket = payloadOf<BucketRow>(entry)?.bucket;
                    if (bucket) open({ ...bucketRange(bucket), type: [type] });
                  }}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </Widget>
  );
}
