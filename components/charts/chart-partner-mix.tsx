"use client";

import type { PartnerMix } from "@/db/types";
import { RANKING_COLORS } from "@/lib/chart-colors";
import { GEO_RULES } from "@/lib/widgets";
import { useWidget } from "./stats-client";
import { Widget } from "./widget";

/** The partners of a company (or the companies of an area) by country and by sector: two short lists. */
export function ChartPartnerMix({ title = "Partners by country and sector" }: { title?: string }) {
  const { query, download, image } = useWidget("partner-mix");
  return (
    <Widget
      id="partner-mix"
      title={title}
      download={download}
      image={image}
      query={query}
      isEmpty={(d) => d.countries.length + d.sectors.length + d.unknownCountry + d.unknownSector === 0}
      note={GEO_RULES.partnerMix}
    >
      {(d) => (
        <div className="grid cols-2">
          <MixList
            caption="By country"
            color={RANKING_COLORS.country}
            rows={d.countries.map((c) => ({ key: c.country, name: c.name, n: c.companies }))}
            unknown={d.unknownCountry}
          />
          <MixList
            caption="By sector"
            color={RANKING_COLORS.sector}
            rows={d.sectors.map((c) => ({ key: c.sector, name: c.name, n: c.companies }))}
            unknown={d.unknownSector}
          />
        </div>
      )}
    </Widget>
  );
}

function MixList({
  caption,
  color,
  rows,
  unknown,
}: {
  caption: string;
  color: string;
  rows: { key: string; name: string; n: number }[];
  unknown: PartnerMix["unknownCountry"];
}) {
  const all = unknown ? [...rows.slice(0, 10), { key: "", name: "Unknown", n: unknown }] : rows.slice(0, 10);
  const max = Math.max(1, ...all.map((r) => r.n));
  return (
    <table className="mix-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption.replace("By ", "").replace(/^./, (c) => c.toUpperCase())}</th>
          <th scope="col">Partners</th>
        </tr>
      </thead>
      <tbody>
        {all.map((r) => (
          <tr key={r.key || "unknown"}>
            <td>{r.name}</td>
            <td>
              <span
                className="mix-bar"
                aria-hidden
                style={{ width: `${(r.n / max) * 6}rem`, background: color }}
              />{" "}
              {r.n}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
