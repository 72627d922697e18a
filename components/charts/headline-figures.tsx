"use client";

import { useWidget } from "./stats-client";
import { Widget } from "./widget";

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function HeadlineFigures() {
  const { query, download, image } = useWidget("summary");
  return (
    <Widget
      id="headline"
      title="At a glance"
      query={query}
      isEmpty={(d) => d.deals === 0}
      download={download}
      image={image}
    >
      {(d) => {
        const change = d.previous12Months ? (d.last12Months - d.previous12Months) / d.previous12Months : null;
        return (
          <dl className="headline">
            {[
              ["Deals", d.deals.toLocaleString("en"), null],
              ["Companies involved", d.companies.toLocaleString("en"), null],
              ["Technology areas", d.technologies.toLocaleString("en"), null],
              [
                "Non-binding MoUs",
                pct(d.nonBindingMouShare),
                d.knownBinding
                  ? `${d.nonBindingMous.toLocaleString("en")} of the ${d.knownBinding.toLocaleString("en")} deals whose binding is known`
                  : "no deal's binding is known",
              ],
              [
                "Last 12 months",
                d.last12Months.toLocaleString("en"),
                change === null
                  ? "none in the 12 before"
                  : `${change >= 0 ? "+" : ""}${pct(change)} on the 12 before (${d.previous12Months})`,
              ],
            ].map(([label, value, hint]) => (
              <div key={label} className="stat">
                <dt className="label">{label}</dt>
                <dd className="value" style={{ margin: 0 }}>
                  {value}
                </dd>
                {hint && (
                  <dd className="hint" style={{ margin: 0 }}>
                    {hint}
                  </dd>
                )}
              </div>
            ))}
          </dl>
        );
      }}
    </Widget>
  );
}
