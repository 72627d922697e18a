"use client";

import { Legend, Line, LineChart, ResponsiveContainer, Tooltip } from "recharts";
import { bucketLabel, bucketRange } from "@/lib/buckets";
import { SERIES_COLORS } from "@/lib/chart-colors";
import { payloadOf, timeAxes, useDealsLink } from "./chart-parts";
import { OpenOnEnter } from "./open-on-enter";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

type BucketRow = { bucket: string; label: string };

export function ChartTechnologiesOverTime() {
  const { query, filters, download, image } = useWidget("technologies-over-time");
  const open = useDealsLink(filters);
  return (
    <Widget
      id="tech-over-time"
      download={download}
      image={image}
      title="Technology areas over time"
      query={query}
      isEmpty={(d) => d.buckets.length === 0}
      note="Deals per area: a deal in two areas counts in both lines, so the lines do not add up to the number of deals."
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Period</th>
              {d.areas.map((a) => (
                <th key={a.slug}>{a.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.buckets.map((b) => (
              <tr key={b.bucket}>
                <td>{bucketLabel(b.bucket)}</td>
                {d.areas.map((a) => (
                  <td key={a.slug}>{b.counts[a.slug] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => {
        const rows = d.buckets.map((b) => ({ bucket: b.bucket, label: bucketLabel(b.bucket), ...b.counts }));
        return (
          <ResponsiveContainer width="100%" height={300}>
            <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 24, left: 8 }} accessibilityLayer>
              {timeAxes(d.interval)}
              <Tooltip />
              <OpenOnEnter<BucketRow> onOpen={(row) => open(bucketRange(row.bucket))} />
              <Legend
                verticalAlign="top"
                height={28}
                onClick={(entry) => {
                  const slug = d.areas.find((a) => a.name === entry.value)?.slug;
                  if (slug) open({ technology: [slug] });
                }}
              />
              {d.areas.map((area, i) => (
                <Line
                  key={area.slug}
                  type="linear"
                  dataKey={area.slug}
                  name={area.name}
                  stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
                  strokeWidth={2}
                  dot={false}
                  activeDot={{
                    r: 5,
                    cursor: "pointer",
                    onClick: (_event: unknown, point: unknown) => {
                      const bucket = payloadOf<BucketRow>(point)?.bucket;
                      if (bucket) open({ ...bucketRange(bucket), technology: [area.slug] });
                    },
                  }}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        );
      }}
    </Widget>
  );
}
