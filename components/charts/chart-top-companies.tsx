"use client";

import { RANKING_COLORS } from "@/lib/chart-colors";
import { RankingChart, useDealsLink } from "./chart-parts";
import { Segmented } from "./segmented";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

export function ChartTopCompanies() {
  const { query, filters, options, setFilters, download, image } = useWidget("top-companies");
  const open = useDealsLink(filters);
  const { by } = options;
  return (
    <Widget
      id="top-companies"
      download={download}
      image={image}
      title={by === "deals" ? "Top companies by deals" : "Top companies by distinct partners"}
      query={query}
      isEmpty={(d) => d.length === 0}
      note="A deal counts for each of its companies, so the bars add up to more than the deals."
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
        <RankingChart
          data={d}
          valueKey={by}
          valueLabel={by === "deals" ? "Deals" : "Distinct partners"}
          seriesName={by === "deals" ? "Deals" : "Partners"}
          color={RANKING_COLORS.company}
          onOpen={(c) => open({ company: [c.slug] })}
        />
      )}
    </Widget>
  );
}
