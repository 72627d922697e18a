"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import type { Timeline, TimelineMarker } from "@/db/types";
import { useWidget } from "@/components/charts/stats-client";
import { Segmented } from "@/components/charts/segmented";
import { Widget } from "@/components/charts/widget";
import { TYPE_COLORS } from "@/lib/chart-colors";
import { formatDealDate } from "@/lib/dates";
import { DEAL_TYPES, TYPE_LABELS, TYPE_SHORT } from "@/lib/enums";
import { filtersToSearch } from "@/lib/filters";
import { bucketRange } from "@/lib/buckets";
import { plural } from "@/lib/plural";

// Swimlanes drawn as plain SVG: a timeline is not a standard chart, and at most 1,500 marks (or
// lanes × months cells beyond that) keep it fast without a charting layer.

const LANE_HEIGHT = 34;
const LABEL_WIDTH = 170;
const WIDTH = 1100;

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
/** Where a mark ends: a month- or year-precision date covers its whole month or year. */
function spanEnd(m: { announcedOn: string; datePrecision: string }) {
  if (m.datePrecision === "year") return `${m.announcedOn.slice(0, 4)}-12-31`;
  if (m.datePrecision === "month") return bucketRange(m.announcedOn.slice(0, 7)).to;
  return m.announcedOn;
}

export function TimelineView() {
  const router = useRouter();
  const { query, filters, options, setFilters, download } = useWidget("timeline");
  const { groupBy } = options;
  const [active, setActive] = useState<{ marker: TimelineMarker; x: number; y: number } | null>(null);

  return (
    <Widget
      id="timeline"
      download={download}
      title={groupBy === "company" ? "Deals by company" : "Deals by technology area"}
      query={query}
      isEmpty={(d) => d.lanes.length === 0}
      controls={
        <Segmented
          label="Group lanes by"
          value={groupBy}
          options={[
            { value: "company", label: "Companies" },
            { value: "technology", label: "Technologies" },
          ]}
          onChange={(v) => setFilters({}, { groupBy: v === "company" ? null : v })}
        />
      }
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>{groupBy === "company" ? "Company" : "Technology area"}</th>
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.lanes.map((l) => (
              <tr key={l.key}>
                <td>{l.name}</td>
                <td>{l.deals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <Lanes
          data={d}
          active={active}
          setActive={setActive}
          onOpen={(id) => router.push(`/deals/${id}`)}
          laneLink={(lane) =>
            `/deals${filtersToSearch({ ...filters, page: 1, ...(groupBy === "company" ? { company: [lane] } : { technology: [lane] }) })}`
          }
        />
      )}
    </Widget>
  );
}

function Lanes({
  data,
  active,
  setActive,
  onOpen,
  laneLink,
}: {
  data: Timeline;
  active: { marker: TimelineMarker; x: number; y: number } | null;
  setActive: (value: { marker: TimelineMarker; x: number; y: number } | null) => void;
  onOpen: (id: number) => void;
  laneLink: (slug: string) => string;
}) {
  const dates =
    data.mode === "deals" ? data.markers.map((m) => m.announcedOn) : data.cells.map((c) => `${c.month}-01`);
  const [min, max] = useMemo(() => {
    const sorted = [...dates].sort();
    const first = sorted[0] ?? "2015-01-01";
    const last = sorted[sorted.length - 1] ?? first;
    return [dayNumber(`${first.slice(0, 4)}-01-01`), dayNumber(`${last.slice(0, 4)}-12-31`)];
  }, [dates]);
  const x = (iso: string) =>
    LABEL_WIDTH + ((dayNumber(iso) - min) / Math.max(1, max - min)) * (WIDTH - LABEL_WIDTH - 10);
  const laneIndex = new Map(data.lanes.map((l, i) => [l.key, i]));
  const height = data.lanes.length * LANE_HEIGHT + 30;
  const years: number[] = [];
  for (
    let y = new Date(min * 86_400_000).getUTCFullYear();
    y <= new Date(max * 86_400_000).getUTCFullYear();
    y++
  )
    years.push(y);
  const maxCell = data.mode === "months" ? Math.max(1, ...data.cells.map((c) => c.deals)) : 1;

  return (
    <div className="chart-scroll">
      {data.mode === "months" && (
        <p className="small muted">
          Too many deals to draw one by one: each cell shows how many were announced in that lane and month.
        </p>
      )}
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="group"
        aria-label="Timeline of deals: Tab to a mark, Enter opens its deal; the data table below lists the lanes"
      >
        {years.map((year) => (
          <g key={year}>
            <line x1={x(`${year}-01-01`)} x2={x(`${year}-01-01`)} y1={0} y2={height - 20} stroke="#e3e7ee" />
            <text x={x(`${year}-01-01`) + 3} y={height - 6} fontSize={11} fill="#5b6577">
              {year}
            </text>
          </g>
        ))}
        {data.lanes.map((lane, i) => (
          <g key={lane.key}>
            <rect
              x={0}
              y={i * LANE_HEIGHT}
              width={WIDTH}
              height={LANE_HEIGHT}
              fill={i % 2 ? "#fafbfc" : "#fff"}
            />
            <a href={laneLink(lane.slug)}>
              <text x={6} y={i * LANE_HEIGHT + LANE_HEIGHT / 2 + 4} fontSize={12} fill="#26349e">
                {lane.name.length > 24 ? `${lane.name.slice(0, 23)}…` : lane.name} ({lane.deals})
              </text>
            </a>
          </g>
        ))}
        {data.mode === "months"
          ? data.cells.map((cell) => {
              const row = laneIndex.get(cell.lane);
              // Empty months are in the data (a true time series) but draw nothing.
              if (row === undefined || cell.deals === 0) return null;
              const range = bucketRange(cell.month);
              return (
                <rect
                  key={`${cell.lane}-${cell.month}`}
                  x={x(range.from)}
                  y={row * LANE_HEIGHT + 6}
                  width={Math.max(2, x(range.to) - x(range.from))}
                  height={LANE_HEIGHT - 12}
                  fill="#3446C8"
                  opacity={0.15 + 0.85 * (cell.deals / maxCell)}
                >
                  <title>{`${plural(cell.deals, "deal")} in ${cell.month}`}</title>
                </rect>
              );
            })
          : // Lane by lane, left to right: the order Tab walks the marks in.
            data.markers
              .toSorted(
                (a, b) =>
                  (laneIndex.get(a.lane) ?? 0) - (laneIndex.get(b.lane) ?? 0) ||
                  a.announcedOn.localeCompare(b.announcedOn),
              )
              .map((m) => {
                const row = laneIndex.get(m.lane);
                if (row === undefined) return null;
                const cy = row * LANE_HEIGHT + LANE_HEIGHT / 2;
                const color = TYPE_COLORS[m.types[0] ?? "other"];
                const x1 = x(m.announcedOn);
                const x2 = x(spanEnd(m));
                const show = (e: { currentTarget: Element }) => {
                  const box = e.currentTarget.getBoundingClientRect();
                  const scroller = e.currentTarget.closest("div")!;
                  const parent = scroller.getBoundingClientRect();
                  setActive({
                    marker: m,
                    x: box.left - parent.left + scroller.scrollLeft,
                    y: box.bottom - parent.top,
                  });
                };
                return (
                  <g
                    key={`${m.lane}-${m.id}`}
                    tabIndex={0}
                    role="link"
                    aria-label={`${m.title}, ${formatDealDate(m.announcedOn, m.datePrecision)}`}
                    className="mark"
                    onMouseEnter={show}
                    onFocus={show}
                    onMouseLeave={() => setActive(null)}
                    onBlur={() => setActive(null)}
                    onClick={() => onOpen(m.id)}
                    onKeyDown={(e) => {
                      if (e.key !== "Enter" && e.key !== " ") return;
                      e.preventDefault();
                      onOpen(m.id);
                    }}
                  >
                    {m.datePrecision === "day" ? (
                      <circle cx={x1} cy={cy} r={6} fill={color} stroke="#fff" strokeWidth={1.5} />
                    ) : (
                      <rect
                        x={x1}
                        y={cy - 5}
                        width={Math.max(6, x2 - x1)}
                        height={10}
                        rx={5}
                        fill={color}
                        opacity={0.75}
                      />
                    )}
                  </g>
                );
              })}
      </svg>
      {active && (
        <div
          className="timeline-card card"
          style={{ left: Math.min(active.x, WIDTH - 320), top: active.y + 6 }}
          role="tooltip"
        >
          <strong>{active.marker.title}</strong>
          <div className="small muted">
            {formatDealDate(active.marker.announcedOn, active.marker.datePrecision)} ·{" "}
            {active.marker.parties.join(", ")}
          </div>
          <div className="small">{active.marker.types.map((t) => TYPE_LABELS[t]).join(", ")}</div>
          {active.marker.quote && (
            <blockquote className="quote small" style={{ margin: "0.4rem 0 0" }}>
              “
              {active.marker.quote.text.length > 180
                ? `${active.marker.quote.text.slice(0, 180)}…`
                : active.marker.quote.text}
              ” — {active.marker.quote.speaker}
            </blockquote>
          )}
        </div>
      )}
      <div className="chips" style={{ marginTop: "0.5rem" }} aria-label="Colours">
        {DEAL_TYPES.map((t) => (
          <span key={t} className="chip">
            <span
              aria-hidden="true"
              style={{
                width: 10,
                height: 10,
                borderRadius: 5,
                background: TYPE_COLORS[t],
                display: "inline-block",
              }}
            />
            {TYPE_SHORT[t]}
          </span>
        ))}
        <span className="chip">● day · ▬ month or year precision</span>
      </div>
      <p className="small muted">
        Click a mark to open the deal, or a lane&apos;s name for its deals.{" "}
        <Link href="/deals">All deals</Link>
      </p>
    </div>
  );
}
