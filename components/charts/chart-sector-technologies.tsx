"use client";

import Link from "next/link";
import { mapShade, shadeIsDark } from "@/lib/geo/world";
import { GEO_RULES, heatGrid } from "@/lib/widgets";
import { dealsHref, ShadeLegend } from "./chart-parts";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

/**
 * Sectors × technology areas as a heat map. A table is the chart: its cells are shaded by count and
 * link to their deals, so a screen reader and the keyboard read it as it is.
 */
export function ChartSectorTechnologies({ title = "Sectors × technology areas" }: { title?: string }) {
  const { query, filters, download, image } = useWidget("sector-technologies");
  return (
    <Widget
      id="sector-technologies"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.items.length === 0}
      note={`${GEO_RULES.sectorTechnologies} The ten sectors and areas with the most deals.`}
    >
      {(d) => {
        const grid = heatGrid(d);
        const max = Math.max(0, ...d.items.map((c) => c.deals));
        return (
          <>
            <div className="table-scroll" role="region" aria-label={`${title}: heat map`} tabIndex={0}>
              <table className="heatmap">
                <thead>
                  <tr>
                    <th scope="col">Sector</th>
                    {grid.areas.map((a) => (
                      <th key={a.slug} scope="col">
                        {a.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {grid.sectors.map((s) => (
                    <tr key={s.code}>
                      <th scope="row">{s.name}</th>
                      {grid.areas.map((a) => {
                        const n = grid.cell(s.code, a.slug);
                        const fill = mapShade(n, max);
                        const dark = shadeIsDark(fill);
                        return (
                          <td key={a.slug} style={{ background: fill, color: dark ? "#fff" : undefined }}>
                            {n > 0 ? (
                              <Link
                                href={dealsHref(filters, { sector: [s.code], technology: [a.slug] })}
                                aria-label={`${s.name} × ${a.name}: ${n} deals`}
                              >
                                {n}
                              </Link>
                            ) : (
                              <span className="muted">0</span>
                            )}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="small muted map-legend">
              <ShadeLegend max={max} />
            </p>
          </>
        );
      }}
    </Widget>
  );
}
