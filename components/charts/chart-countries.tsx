"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, type ReactNode } from "react";
import type { CountryCounts } from "@/db/types";
import { RANKING_COLORS } from "@/lib/chart-colors";
import { mapShade, MAP_EMPTY, projectWorld, worldProjection } from "@/lib/geo/world";
import { GEO_RULES, unknownNote } from "@/lib/widgets";
import { dealsHref, RankingChart, ShadeLegend } from "./chart-parts";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

const W = 960;
const H = 440;

/**
 * Deals by country: a world choropleth (each counted country a link to its deals, so the keyboard
 * reaches every one with Tab), the ranked bars and the data table. The map is drawn once per size.
 */
export function ChartCountries({ title = "Deals by country" }: { title?: string }) {
  const { query, filters, download, image } = useWidget("countries");
  const router = useRouter();
  const href = (country: string) => dealsHref(filters, { country: [country] });
  return (
    <Widget
      id="countries"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.items.length === 0}
      note={
        <>
          {GEO_RULES.countries}
          {unknownNote(query.data?.unknown ?? 0, "country")}
        </>
      }
      table={(d) => <CountryTable data={d} href={href} />}
    >
      {(d) => (
        <div className="geo-map-layout">
          <WorldMap data={d} href={href} />
          <RankingChart
            data={d.items.slice(0, 10)}
            valueKey="deals"
            valueLabel="Deals"
            color={RANKING_COLORS.country}
            onOpen={(c) => router.push(href(c.country))}
          />
        </div>
      )}
    </Widget>
  );
}

function WorldMap({ data, href }: { data: CountryCounts; href: (country: string) => string }) {
  const world = useMemo(() => projectWorld(worldProjection(0, 0, W, H)), []);
  const counted = new Map(data.items.map((c) => [c.country, c]));
  const max = Math.max(...data.items.map((c) => c.deals));
  const link = (code: string, shape: ReactNode) => {
    const c = counted.get(code)!;
    const label = `${c.name}: ${c.deals} ${c.deals === 1 ? "deal" : "deals"}`;
    return (
      // A plain SVG link: each counted country is one Tab stop, opening its deals.
      <a key={code} href={href(code)} className="mark" aria-label={label}>
        <title>{label}</title>
        {shape}
      </a>
    );
  };
  return (
    <figure className="world-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label="World map of deals by country">
        <g aria-hidden="true">
          {world.shapes
            .filter((s) => !counted.has(s.code))
            .map((s, i) => (
              <path key={`${s.code}-${i}`} d={s.d} fill={MAP_EMPTY} stroke="#fff" strokeWidth={0.5} />
            ))}
        </g>
        {world.shapes
          .filter((s) => counted.has(s.code))
          .map((s) =>
            link(
              s.code,
              <path
                d={s.d}
                fill={mapShade(counted.get(s.code)!.deals, max)}
                stroke="#fff"
                strokeWidth={0.5}
              />,
            ),
          )}
        {world.dots
          .filter((d) => counted.has(d.code))
          .map((d) =>
            link(
              d.code,
              <circle
                cx={d.x}
                cy={d.y}
                r={5}
                fill={mapShade(counted.get(d.code)!.deals, max)}
                stroke="#1f2937"
                strokeWidth={1}
              />,
            ),
          )}
      </svg>
      <figcaption className="small muted map-legend">
        <ShadeLegend max={max}>
          <span>Small countries are dots. Tab through the countries, or use the data table.</span>
        </ShadeLegend>
      </figcaption>
    </figure>
  );
}

function CountryTable({ data, href }: { data: CountryCounts; href: (country: string) => string }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Country</th>
          <th>Code</th>
          <th>Deals</th>
        </tr>
      </thead>
      <tbody>
        {data.items.map((c) => (
          <tr key={c.country}>
            <td>
              <Link href={href(c.country)}>{c.name}</Link>
            </td>
            <td>{c.country}</td>
            <td>{c.deals}</td>
          </tr>
        ))}
        {data.unknown > 0 && (
          <tr>
            <td>Unknown (no party with a known country)</td>
            <td />
            <td>{data.unknown}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
