"use client";

import { useState } from "react";
import {
  AnyOptions,
  CROSS_BORDER_LABELS,
  crossBorderValue,
  ENUM_FILTERS,
  multiFilters,
  RegionOptions,
} from "@/components/ui/filter-choices";
import { MultiSelect } from "@/components/ui/multi-select";
import { defaultFilters, hasActiveFilters, type DealFilters } from "@/lib/filters";
import { PrintFilters } from "@/components/brief/print-filters";
import { useDealFilters } from "./stats-client";

/**
 * The dashboard's filters. Choices apply at once (text on Enter or "Apply"); the URL changes
 * without a page load and every widget refetches with the same filters.
 */
export function FilterBar({ technologies }: { technologies: { name: string; slug: string }[] }) {
  const { filters, setFilters } = useDealFilters();
  // Remount the text inputs when the URL changes under them (back/forward), so they show it.
  const textKey = `${filters.q ?? ""}|${filters.company.join(",")}`;
  return (
    <>
      <PrintFilters filters={filters} technologies={technologies} />
      <FilterBarInner key={textKey} filters={filters} setFilters={setFilters} technologies={technologies} />
    </>
  );
}

function FilterBarInner({
  filters,
  setFilters,
  technologies,
}: {
  filters: DealFilters;
  setFilters: (patch: Partial<DealFilters>) => void;
  technologies: { name: string; slug: string }[];
}) {
  const [q, setQ] = useState(filters.q ?? "");
  const [company, setCompany] = useState(filters.company[0] ?? "");
  const one = <T,>(value: string): T[] => (value ? [value as T] : []);
  return (
    <form
      className="card"
      role="search"
      aria-label="Filter the dashboard"
      onSubmit={(e) => {
        e.preventDefault();
        setFilters({ q: q.trim() || undefined, company: one(company.trim()) });
      }}
    >
      <div className="filters">
        <div className="wide">
          <label htmlFor="d-q">Search</label>
          <input
            id="d-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Title, summary, quotes, companies…"
          />
        </div>
        <div>
          <label htmlFor="d-company">Company</label>
          <input
            id="d-company"
            value={company}
            onChange={(e) => setCompany(e.target.value)}
            placeholder="Name or alias"
          />
        </div>
        {multiFilters(technologies).map(({ key, label, choices }) => (
          <MultiSelect
            key={key}
            id={`d-${key}`}
            label={label}
            choices={choices}
            value={filters[key]}
            onChange={(values) => setFilters({ [key]: values })}
          />
        ))}
        <div>
          <label htmlFor="d-region">Region</label>
          <select
            id="d-region"
            value={filters.region ?? ""}
            onChange={(e) => setFilters({ region: e.target.value || undefined })}
          >
            <RegionOptions />
          </select>
        </div>
        <div>
          <label htmlFor="d-crossBorder">Cross-border</label>
          <select
            id="d-crossBorder"
            value={crossBorderValue(filters.crossBorder)}
            onChange={(e) =>
              setFilters({ crossBorder: e.target.value === "" ? undefined : e.target.value === "1" })
            }
          >
            <AnyOptions values={["1", "0"]} labels={CROSS_BORDER_LABELS} />
          </select>
        </div>
        {ENUM_FILTERS.map(({ key, label, values, labels }) => (
          <div key={key}>
            <label htmlFor={`d-${key}`}>{label}</label>
            <select
              id={`d-${key}`}
              value={filters[key][0] ?? ""}
              onChange={(e) => setFilters({ [key]: one(e.target.value) })}
            >
              <AnyOptions values={values} labels={labels} />
            </select>
          </div>
        ))}
        <div>
          <label htmlFor="d-from">From</label>
          <input
            id="d-from"
            type="date"
            value={filters.from ?? ""}
            onChange={(e) => setFilters({ from: e.target.value || undefined })}
          />
        </div>
        <div>
          <label htmlFor="d-to">To</label>
          <input
            id="d-to"
            type="date"
            value={filters.to ?? ""}
            onChange={(e) => setFilters({ to: e.target.value || undefined })}
          />
        </div>
        <div>
          <label className="filter-toggle">
            <input
              type="checkbox"
              checked={filters.rollup}
              onChange={(e) => setFilters({ rollup: e.target.checked })}
            />
            Roll up subsidiaries to their group
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          {hasActiveFilters(filters) && (
            <button type="button" className="button" onClick={() => setFilters({ ...defaultFilters })}>
              Clear
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
