"use client";

import {
  forceCenter,
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  type SimulationNodeDatum,
} from "d3-force";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import type { Network } from "@/db/types";
import { useWidget } from "@/components/charts/stats-client";
import { Widget } from "@/components/charts/widget";
import { plural } from "@/lib/plural";

const WIDTH = 1000;
const HEIGHT = 640;

type Node = Network["nodes"][number] & SimulationNodeDatum;

/** Lays the graph out with d3-force, run to rest up front (deterministic for the same data). */
function layout(network: Network) {
  const nodes: Node[] = network.nodes.map((n, i) => ({
    ...n,
    // A fixed spiral start instead of random positions, so a view always looks the same.
    x: WIDTH / 2 + Math.cos(i * 2.4) * (20 + i * 6),
    y: HEIGHT / 2 + Math.sin(i * 2.4) * (20 + i * 6),
  }));
  const maxDeals = Math.max(1, ...nodes.map((n) => n.deals));
  const radius = (n: Node) => 5 + 22 * Math.sqrt(n.deals / maxDeals);
  const links = network.edges.map((e) => ({ ...e }));
  forceSimulation(nodes)
    .force("charge", forceManyBody().strength(-160))
    .force(
      "link",
      forceLink<Node, (typeof links)[number]>(links)
        .id((n) => n.id)
        .distance(90)
        .strength((l) => Math.min(1, 0.15 + l.deals * 0.1)),
    )
    .force(
      "collide",
      forceCollide<Node>().radius((n) => radius(n) + 4),
    )
    .force("center", forceCenter(WIDTH / 2, HEIGHT / 2))
    .stop()
    .tick(300);
  for (const n of nodes) {
    n.x = Math.max(30, Math.min(WIDTH - 30, n.x ?? 0));
    n.y = Math.max(20, Math.min(HEIGHT - 20, n.y ?? 0));
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    nodes,
    radius,
    edges: network.edges.map((e) => ({ ...e, a: byId.get(e.source)!, b: byId.get(e.target)! })),
  };
}

export function NetworkView() {
  const router = useRouter();
  const { query, download } = useWidget("network");
  return (
    <Widget
      id="network"
      download={download}
      title="Partner network"
      query={query}
      isEmpty={(d) => d.nodes.length === 0}
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Company</th>
              <th>Partner</th>
              <th>Shared deals</th>
            </tr>
          </thead>
          <tbody>
            {d.edges
              .toSorted((a, b) => b.deals - a.deals)
              .map((e) => (
                <tr key={`${e.source}-${e.target}`}>
                  <td>{d.nodes.find((n) => n.id === e.source)?.name}</td>
                  <td>{d.nodes.find((n) => n.id === e.target)?.name}</td>
                  <td>{e.deals}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <div className="chart-scroll">
          <Graph data={d} onOpen={(slug) => router.push(`/companies/${slug}`)} />
        </div>
      )}
    </Widget>
  );
}

function Graph({ data, onOpen }: { data: Network; onOpen: (slug: string) => void }) {
  const { nodes, edges, radius } = useMemo(() => layout(data), [data]);
  const [hover, setHover] = useState<number | null>(null);
  const near = useMemo(() => {
    if (hover === null) return null;
    const set = new Set([hover]);
    for (const e of edges) {
      if (e.source === hover) set.add(e.target);
      if (e.target === hover) set.add(e.source);
    }
    return set;
  }, [hover, edges]);
  const maxEdge = Math.max(1, ...edges.map((e) => e.deals));
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="group"
      aria-label="Partner network: Tab to a company, Enter opens it; the data table below lists every link"
    >
      {edges.map((e) => (
        <line
          key={`${e.source}-${e.target}`}
          x1={e.a.x}
          y1={e.a.y}
          x2={e.b.x}
          y2={e.b.y}
          stroke="#8a94a6"
          strokeOpacity={near && !(near.has(e.source) && near.has(e.target)) ? 0.08 : 0.5}
          strokeWidth={1 + 4 * (e.deals / maxEdge)}
        >
          <title>{`${e.a.name} – ${e.b.name}: ${plural(e.deals, "deal")}`}</title>
        </line>
      ))}
      {nodes.map((n, i) => (
        <g
          key={n.id}
          transform={`translate(${n.x},${n.y})`}
          role="link"
          tabIndex={0}
          aria-label={`${n.name}, ${plural(n.deals, "deal")}`}
          className="mark"
          opacity={near && !near.has(n.id) ? 0.25 : 1}
          onMouseEnter={() => setHover(n.id)}
          onMouseLeave={() => setHover(null)}
          onFocus={() => setHover(n.id)}
          onBlur={() => setHover(null)}
          onClick={() => onOpen(n.slug)}
          onKeyDown={(e) => {
            if (e.key !== "Enter" && e.key !== " ") return;
            e.preventDefault();
            onOpen(n.slug);
          }}
        >
          <circle r={radius(n)} fill="#3446C8" fillOpacity={0.85} stroke="#fff" strokeWidth={1.5} />
          {(i < 25 || hover === n.id || near?.has(n.id)) && (
            <text
              y={-radius(n) - 4}
              textAnchor="middle"
              fontSize={11}
              fill="#1b2230"
              stroke="#fff"
              strokeWidth={3}
              paintOrder="stroke"
            >
              {n.name}
            </text>
          )}
          <title>{`${n.name}: ${plural(n.deals, "deal")}`}</title>
        </g>
      ))}
    </svg>
  );
}
