"use client";

import { useRouter } from "next/navigation";
import { RANKING_COLORS } from "@/lib/chart-colors";
import { GEO_RULES, unknownNote } from "@/lib/widgets";
import { dealsHref, RankingChart } from "./chart-parts";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

/** Deals by the two-digit NAICS sectors of their parties. */
export function ChartSectors({ title = "Deals by sector" }: { title?: string }) {
  const { query, filters, download, image } = useWidget("sectors");
  const router = useRouter();
  return (
    <Widget
      id="sectors"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.items.length === 0}
      note={
        <>
          {GEO_RULES.sectors}
          {unknownNote(query.data?.unknown ?? 0, "sector")}
        </>
      }
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Sector (NAICS)</th>
              <th>Code</th>
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((s) => (
              <tr key={s.sector}>
                <td>{s.name}</td>
                <td>{s.sector}</td>
                <td>{s.deals}</td>
              </tr>
            ))}
            {d.unknown > 0 && (
              <tr>
                <td>Unknown</td>
                <td />
                <td>{d.unknown}</td>
              </tr>
            )}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <RankingChart
          data={d.items}
          valueKey="deals"
          valueLabel="Deals"
          color={RANKING_COLORS.sector}
          onOpen={(s) => router.push(dealsHref(filters, { sector: [s.sector] }))}
        />
      )}
    </Widget>
  );
}
