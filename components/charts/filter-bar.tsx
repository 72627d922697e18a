"use client";

import { useState } from "react";
import { AnyOptions, ENUM_FILTERS, technologyChoices } from "@/components/ui/filter-choices";
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
        <div>
          <label htmlFor="d-technology">Technology</label>
          <select
            id="d-technology"
            value={filters.technology[0] ?? ""}
            onChange={(e) => setFilters({ technology: one(e.target.value) })}
          >
            <AnyOptions {...technologyChoices(technologies)} />
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
