"use client";

import { useRouter } from "next/navigation";
import { RANKING_COLORS } from "@/lib/chart-colors";
import { countryByCode } from "@/lib/geo/countries";
import { GEO_RULES } from "@/lib/widgets";
import { dealsHref, RankingChart } from "./chart-parts";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

const nameOf = (code: string) => countryByCode(code)?.name ?? code;

/** The top cross-border corridors: deals with parties in both countries. */
export function ChartCountryPairs({ title = "Cross-border corridors" }: { title?: string }) {
  const { query, filters, download, image } = useWidget("country-pairs");
  const router = useRouter();
  // Both countries and cross-border: the deals list's geography filters (issue 23).
  const href = (a: string, b: string) => dealsHref(filters, { country: [a, b], crossBorder: ["1"] });
  return (
    <Widget
      id="country-pairs"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.items.length === 0}
      note={GEO_RULES.pairs}
      table={(d) => (
        <table>
          <thead>
            <tr>
              <th>Countries</th>
              <th>Deals</th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((p) => (
              <tr key={`${p.a}-${p.b}`}>
                <td>
                  {nameOf(p.a)} – {nameOf(p.b)}
                </td>
                <td>{p.deals}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    >
      {(d) => (
        <RankingChart
          data={d.items.map((p) => ({ ...p, name: `${nameOf(p.a)} – ${nameOf(p.b)}` }))}
          valueKey="deals"
          valueLabel="Deals with parties in both"
          color={RANKING_COLORS.country}
          onOpen={(p) => router.push(href(p.a, p.b))}
        />
      )}
    </Widget>
  );
}
