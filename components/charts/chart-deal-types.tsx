"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Label,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TypeBreakdown } from "@/db/types";
import { BINDING_COLORS, TYPE_COLORS } from "@/lib/chart-colors";
import { BINDING_LABELS, TYPE_LABELS, TYPE_SHORT, type Binding, type DealType } from "@/lib/enums";
import { payloadOf, useDealsLink } from "./chart-parts";
import { OpenOnEnter } from "./open-on-enter";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

export function ChartDealTypes() {
  const { query, filters, download, image } = useWidget("deal-types");
  const open = useDealsLink(filters);
  return (
    <Widget
      id="deal-types"
      download={download}
      image={image}
      title="Deal types and binding"
      query={query}
      isEmpty={(d) => d.types.length === 0}
      note="Types: deals having each type, so a deal of two types counts under both. Binding: each deal once."
      table={(d) => <DealTypesTable data={d} />}
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
              <OpenOnEnter<{ type: DealType }> onOpen={(t) => open({ type: [t.type] })} />
              <Bar
                dataKey="deals"
                name="Deals"
                onClick={(entry) => {
                  const type = payloadOf<{ type: DealType }>(entry)?.type;
                  if (type) open({ type: [type] });
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
                data={d.binding.map((b) => ({ ...b, name: BINDING_LABELS[b.binding] }))}
                dataKey="deals"
                nameKey="name"
                innerRadius="40%"
                outerRadius="70%"
                onClick={(entry) => {
                  const binding = payloadOf<{ binding: Binding }>(entry)?.binding;
                  if (binding) open({ binding: [binding] });
                }}
              >
                {d.binding.map((b) => (
                  <Cell key={b.binding} fill={BINDING_COLORS[b.binding]} />
                ))}
              </Pie>
              <Tooltip />
              <Legend />
              <OpenOnEnter<{ binding: Binding }> onOpen={(b) => open({ binding: [b.binding] })} />
            </PieChart>
          </ResponsiveContainer>
        </div>
      )}
    </Widget>
  );
}

function DealTypesTable({ data }: { data: TypeBreakdown }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Type or binding</th>
          <th>Deals</th>
        </tr>
      </thead>
      <tbody>
        {data.types.map((t) => (
          <tr key={t.type}>
            <td>{TYPE_LABELS[t.type]}</td>
            <td>{t.deals}</td>
          </tr>
        ))}
        {data.binding.map((b) => (
          <tr key={b.binding}>
            <td>{BINDING_LABELS[b.binding]}</td>
            <td>{b.deals}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
