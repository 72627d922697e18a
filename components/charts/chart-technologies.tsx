"use client";

import { RANKING_COLORS } from "@/lib/chart-colors";
import { RankingChart, useDealsLink } from "./chart-parts";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

export function ChartTechnologies({ title = "Deals by technology area" }: { title?: string }) {
  const { query, filters, download, image } = useWidget("technologies");
  const open = useDealsLink(filters);
  return (
    <Widget
      id="technologies"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.length === 0}
      note="A deal counts in each of its areas, so the bars add up to more than the deals."
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
      {(d) => (
        <RankingChart
          data={d.slice(0, 15)}
          valueKey="deals"
          valueLabel="Deals"
          color={RANKING_COLORS.technology}
          onOpen={(t) => open({ technology: [t.slug] })}
        />
      )}
    </Widget>
  );
}
