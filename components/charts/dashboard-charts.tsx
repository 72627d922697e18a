"use client";

import { useRouter } from "next/navigation";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Label,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CompanyRank, OverTime, TechnologiesOverTime, TechnologyCount, TypeBreakdown } from "@/db/stats";
import { bucketLabel, bucketRange, type Interval } from "@/lib/buckets";
import { SERIES_COLORS, TYPE_COLORS } from "@/lib/chart-colors";
import {
  BINDING_LABELS,
  DEAL_TYPES,
  TYPE_LABELS,
  TYPE_SHORT,
  type Binding,
  type DealType,
} from "@/lib/enums";
import { filtersToSearch, type DealFilters } from "@/lib/filters";
import { statsSearch } from "@/lib/stats-search";
import { OpenOnEnter } from "./open-on-enter";
import { Segmented } from "./segmented";
import { useDealFilters, useStats } from "./stats-client";
import { Widget } from "./widget";

/**
 * Grid and axes of a chart over time: periods along, deals up. An array, not a component, because
 * Recharts looks for its axes among the chart's direct children.
 */
function timeAxes(interval: string) {
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

/** Grid and axes of a horizontal ranking: names down, counts along. */
function rankingAxes(valueLabel: string) {
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" horizontal={false} />,
    <XAxis key="x" type="number" allowDecimals={false} tick={{ fontSize: 11 }}>
      <Label value={valueLabel} position="insideBottom" offset={-12} />
    </XAxis>,
    <YAxis key="y" type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} interval={0} />,
  ];
}

const dealsLink = (filters: DealFilters, patch: Partial<DealFilters>) =>
  `/deals${filtersToSearch({ ...filters, ...patch, page: 1 })}`;

const INTERVAL_OPTIONS: { value: Interval | "auto"; label: string }[] = [
  { value: "auto", label: "Auto" },
  { value: "month", label: "Month" },
  { value: "quarter", label: "Quarter" },
  { value: "year", label: "Year" },
];

export function ChartDealsOverTime({ title = "Deals over time, by type" }: { title?: string }) {
  const router = useRouter();
  const { filters, params, setFilters } = useDealFilters();
  const interval = (params.get("interval") as Interval | "auto" | null) ?? "auto";
  const query = useStats<OverTime>("stats/deals-over-time", filters, interval === "auto" ? {} : { interval });
  return (
    <Widget
      id="over-time"
      title={title}
      query={query}
      download={`/api/export/stats/deals-over-time.csv${statsSearch(filters, interval === "auto" ? {} : { interval })}`}
      isEmpty={(d) => d.buckets.length === 0}
      controls={
        <Segmented
          label="Interval"
          value={interval}
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
                <th key={t}>{TYPE_SHORT[t]}</th>
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
              <Legend verticalAlign="top" height={28} />
              <OpenOnEnter<{ bucket: string }>
                onOpen={(row) => router.push(dealsLink(filters, bucketRange(row.bucket)))}
              />
              {present.map((type) => (
                <Bar
                  key={type}
                  dataKey={type}
                  name={TYPE_SHORT[type]}
                  stackId="types"
                  fill={TYPE_COLORS[type]}
                  onClick={(entry) => {
                    const bucket = (entry as { payload?: { bucket?: string } }).payload?.bucket;
                    if (bucket) router.push(dealsLink(filters, { ...bucketRange(bucket), type: [type] }));
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

export function ChartTopCompanies() {
  const router = useRouter();
  const { filters, params, setFilters } = useDealFilters();
  const by = params.get("rankBy") === "partners" ? "partners" : "deals";
  const query = useStats<CompanyRank[]>("stats/top-companies", filters, by === "partners" ? { by } : {});
  return (
    <Widget
      id="top-companies"
      download={`/api/export/stats/top-companies.csv${statsSearch(filters, by === "partners" ? { by } : {})}`}
      title={by === "deals" ? "Top companies by deals" : "Top companies by distinct partners"}
      query={query}
      isEmpty={(d) => d.length === 0}
      controls={
        <Segmented
          label="Rank companies by"
          value={by}
          options={[
            { value: "deals", label: "Deals" },
            { value: "partners", label: "Partners" },
          ]}
          onChange={(v) => setFilters({}, { rankBy: v === "deals" ? null : v })}
        />
      }
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Company</th>
              <th>Deals</th>
              {by === "partners" && <th>Partners</th>}
            </tr>
          </thead>
          <tbody>
            {d.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.deals}</td>
                {by === "partners" && <td>{c.partners}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <ResponsiveContainer width="100%" height={Math.max(160, d.length * 28 + 50)}>
          <BarChart
            data={d}
            layout="vertical"
            margin={{ top: 4, right: 16, bottom: 20, left: 8 }}
            accessibilityLayer
          >
            {rankingAxes(by === "deals" ? "Deals" : "Distinct partners")}
            <Tooltip />
            <OpenOnEnter<CompanyRank>
              onOpen={(c) => router.push(dealsLink(filters, { company: [c.slug] }))}
            />
            <Bar
              dataKey={by}
              name={by === "deals" ? "Deals" : "Partners"}
              fill="#3446C8"
              onClick={(entry) => {
                const slug = (entry as { payload?: CompanyRank }).payload?.slug;
                if (slug) router.push(dealsLink(filters, { company: [slug] }));
              }}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </Widget>
  );
}

export function ChartTechnologies({ title = "Deals by technology area" }: { title?: string }) {
  const router = useRouter();
  const { filters } = useDealFilters();
  const query = useStats<TechnologyCount[]>("stats/technologies", filters);
  return (
    <Widget
      id="technologies"
      title={title}
      download={`/api/export/stats/technologies.csv${statsSearch(filters)}`}
      query={query}
      isEmpty={(d) => d.length === 0}
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Technology area</th>
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>{t.deals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(data) => {
        const d = data.slice(0, 15);
        return (
          <ResponsiveContainer width="100%" height={Math.max(160, d.length * 26 + 50)}>
            <BarChart
              data={d}
              layout="vertical"
              margin={{ top: 4, right: 16, bottom: 20, left: 8 }}
              accessibilityLayer
            >
              {rankingAxes("Deals")}
              <Tooltip />
              <OpenOnEnter<TechnologyCount>
                onOpen={(t) => router.push(dealsLink(filters, { technology: [t.slug] }))}
              />
              <Bar
                dataKey="deals"
                name="Deals"
                fill="#009E73"
                onClick={(entry) => {
                  const slug = (entry as { payload?: TechnologyCount }).payload?.slug;
                  if (slug) router.push(dealsLink(filters, { technology: [slug] }));
                }}
              />
            </BarChart>
          </ResponsiveContainer>
        );
      }}
    </Widget>
  );
}

export function ChartTechnologiesOverTime() {
  const router = useRouter();
  const { filters, params } = useDealFilters();
  const interval = (params.get("interval") as Interval | null) ?? undefined;
  const query = useStats<TechnologiesOverTime>(
    "stats/technologies-over-time",
    filters,
    interval ? { interval } : {},
  );
  return (
    <Widget
      id="tech-over-time"
      download={`/api/export/stats/technologies-over-time.csv${statsSearch(filters, interval ? { interval } : {})}`}
      title="Technology areas over time"
      query={query}
      isEmpty={(d) => d.buckets.length === 0}
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
              <OpenOnEnter<{ bucket: string }>
                onOpen={(row) => router.push(dealsLink(filters, bucketRange(row.bucket)))}
              />
              <Legend
                verticalAlign="top"
                height={28}
                onClick={(entry) => {
                  const slug = d.areas.find((a) => a.name === entry.value)?.slug;
                  if (slug) router.push(dealsLink(filters, { technology: [slug] }));
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
                      const bucket = (point as { payload?: { bucket?: string } }).payload?.bucket;
                      if (bucket)
                        router.push(dealsLink(filters, { ...bucketRange(bucket), technology: [area.slug] }));
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

const BINDING_COLORS: Record<Binding, string> = {
  binding: "#009E73",
  non_binding: "#E69F00",
  unknown: "#B0B7C3",
};

export function ChartDealTypes() {
  const router = useRouter();
  const { filters } = useDealFilters();
  const query = useStats<TypeBreakdown>("stats/deal-types", filters);
  return (
    <Widget
      id="deal-types"
      download={`/api/export/stats/deal-types.csv${statsSearch(filters)}`}
      title="Deal types and binding"
      query={query}
      isEmpty={(d) => d.types.length === 0}
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Type or binding</th>
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.types.map((t) => (
              <tr key={t.type}>
                <td>{TYPE_LABELS[t.type]}</td>
                <td>{t.deals}</td>
              </tr>
            ))}
            {d.binding.map((b) => (
              <tr key={b.binding}>
                <td>{BINDING_LABELS[b.binding as Binding]}</td>
                <td>{b.deals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <div className="grid split-3-2">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart
              data={d.types.map((t) => ({ ...t, label: TYPE_SHORT[t.type] }))}
              margin={{ top: 4, right: 8, bottom: 20, left: 24 }}
              accessibilityLayer
            >
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis
                dataKey="label"
                tick={{ fontSize: 10 }}
                interval={0}
                angle={-20}
                textAnchor="end"
                height={50}
              />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }}>
                <Label value="Deals" angle={-90} position="insideLeft" />
              </YAxis>
              <Tooltip />
              <OpenOnEnter<{ type: DealType }>
                onOpen={(t) => router.push(dealsLink(filters, { type: [t.type] }))}
              />
              <Bar
                dataKey="deals"
                name="Deals"
                onClick={(entry) => {
                  const type = (entry as { payload?: { type?: DealType } }).payload?.type;
                  if (type) router.push(dealsLink(filters, { type: [type] }));
                }}
              >
                {d.types.map((t) => (
                  <Cell key={t.type} fill={TYPE_COLORS[t.type]} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
          <ResponsiveContainer width="100%" height={260}>
            <PieChart accessibilityLayer>
              <Pie
                data={d.binding.map((b) => ({ ...b, name: BINDING_LABELS[b.binding as Binding] }))}
                dataKey="deals"
                nameKey="name"
                innerRadius="40%"
                outerRadius="70%"
                onClick={(entry) => {
                  const binding = (entry as { payload?: { binding?: Binding } }).payload?.binding;
                  if (binding) router.push(dealsLink(filters, { binding: [binding] }));
                }}
              >
                {d.binding.map((b) => (
                  <Cell key={b.binding} fill={BINDING_COLORS[b.binding as Binding]} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
              <OpenOnEnter<{ binding: Binding }>
                onOpen={(b) => router.push(dealsLink(filters, { binding: [b.binding] }))}
              />
            </PieChart>
          </ResponsiveContainer>
        </div>
      )}
    </Widget>
  );
}
