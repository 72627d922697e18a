"use client";

import dynamic from "next/dynamic";

// The charts pull in Recharts (about 135 kB compressed). Loading them after the page keeps the
// first-load JavaScript small; their data is already in the react-query cache, prefetched on the
// server, so they draw as soon as their code arrives.

function ChartPlaceholder() {
  return (
    <div className="card widget" aria-busy="true">
      <div className="skeleton widget-skeleton" />
    </div>
  );
}

export const ChartDealsOverTime = dynamic(
  () => import("./chart-deals-over-time").then((m) => m.ChartDealsOverTime),
  {
    ssr: false,
    loading: ChartPlaceholder,
  },
);
export const ChartTopCompanies = dynamic(
  () => import("./chart-top-companies").then((m) => m.ChartTopCompanies),
  {
    ssr: false,
    loading: ChartPlaceholder,
  },
);
export const ChartTechnologies = dynamic(
  () => import("./chart-technologies").then((m) => m.ChartTechnologies),
  {
    ssr: false,
    loading: ChartPlaceholder,
  },
);
export const ChartTechnologiesOverTime = dynamic(
  () => import("./chart-technologies-over-time").then((m) => m.ChartTechnologiesOverTime),
  {
    ssr: false,
    loading: ChartPlaceholder,
  },
);
export const ChartDealTypes = dynamic(() => import("./chart-deal-types").then((m) => m.ChartDealTypes), {
  ssr: false,
  loading: ChartPlaceholder,
});
export const ChartCountries = dynamic(() => import("./chart-countries").then((m) => m.ChartCountries), {
  ssr: false,
  loading: ChartPlaceholder,
});
export const ChartCountryPairs = dynamic(
  () => import("./chart-country-pairs").then((m) => m.ChartCountryPairs),
  { ssr: false, loading: ChartPlaceholder },
);
export const ChartSectors = dynamic(() => import("./chart-sectors").then((m) => m.ChartSectors), {
  ssr: false,
  loading: ChartPlaceholder,
});
export const ChartSectorTechnologies = dynamic(
  () => import("./chart-sector-technologies").then((m) => m.ChartSectorTechnologies),
  { ssr: false, loading: ChartPlaceholder },
);
export const ChartPartnerMix = dynamic(() => import("./chart-partner-mix").then((m) => m.ChartPartnerMix), {
  ssr: false,
  loading: ChartPlaceholder,
});
