"use client";

import { useEffect, useRef, useState } from "react";
import { useDealFilters } from "@/components/charts/stats-client";
import { filtersQuery } from "@/lib/filters";

const LAYOUTS = [
  { layout: "deals", label: "Deals", hint: "one row per deal" },
  { layout: "parties", label: "Parties", hint: "one row per deal and company" },
  { layout: "pairs", label: "Partner pairs", hint: "one row per pair of companies" },
] as const;

/**
 * "Export CSV": the rows of the current filters (the same schema the page and its charts use), in
 * the layout the analyst picks, optionally with a BOM so Excel reads non-ASCII names right.
 */
export function ExportMenu() {
  const { filters } = useDealFilters();
  const [open, setOpen] = useState(false);
  const [excel, setExcel] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);
  return (
    <div className="export-menu" ref={ref}>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen((o) => !o)}
      >
        Export CSV
      </button>
      {open && (
        <div className="export-panel card" role="group" aria-label="Export the filtered deals">
          {LAYOUTS.map(({ layout, label, hint }) => (
            <a
              key={layout}
              href={`/api/export/deals.csv${filtersQuery(filters, { layout, ...(excel ? { excel: "1" } : {}) }, { keepSort: true })}`}
              download
              onClick={() => setOpen(false)}
            >
              <strong>{label}</strong> <span className="muted small">{hint}</span>
            </a>
          ))}
          <label className="filter-toggle">
            <input type="checkbox" checked={excel} onChange={(e) => setExcel(e.target.checked)} />
            For Excel (adds a UTF-8 BOM)
          </label>
        </div>
      )}
    </div>
  );
}
