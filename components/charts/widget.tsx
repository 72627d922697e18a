"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { DownloadLinks } from "./download-links";

/**
 * A dashboard card: title, optional controls, and the loading, error and empty states every
 * widget needs. `table` is the chart's text alternative, always in the page for screen readers
 * and one click away for everyone else.
 */
export function Widget<T>({
  id,
  title,
  query,
  isEmpty,
  controls,
  children,
  table,
  download,
  image,
  note,
  className,
}: {
  id: string;
  title: string;
  query: UseQueryResult<T>;
  isEmpty: (data: T) => boolean;
  controls?: ReactNode;
  children: (data: T) => ReactNode;
  table?: (data: T) => ReactNode;
  /** The chart's numbers as CSV, with the same filters ("Download data"). */
  download?: string;
  /** The same chart as images, with the same filters ("Download image": SVG and PNG). */
  image?: { svg: string; png: string };
  /** How the chart counts, where its numbers could be misread (e.g. summed across bars). */
  note?: ReactNode;
  className?: string;
}) {
  const { data, isPending, isError, error, refetch, isFetching } = query;
  return (
    <section
      className={`card widget ${className ?? ""}`}
      aria-labelledby={`${id}-h`}
      aria-busy={isFetching || undefined}
    >
      <div className="widget-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {(controls || download || image) && (
          <div className="actions">
            {controls}
            <DownloadLinks title={title} download={download} image={image} />
          </div>
        )}
      </div>
      {isPending ? (
        <div className="skeleton widget-skeleton" aria-label="Loading" />
      ) : isError ? (
        <div className="alert error" role="alert">
          Could not load this chart: {error.message}{" "}
          <button type="button" className="button small" onClick={() => refetch()}>
            Try again
          </button>
        </div>
      ) : isEmpty(data) ? (
        <p className="empty">No deals match these filters.</p>
      ) : (
        <>
          {note && <p className="small muted">{note}</p>}
          {children(data)}
          {table && (
            <details className="data-table">
              <summary>Data table</summary>
              <div className="table-scroll" role="region" aria-label={`${title}: data table`} tabIndex={0}>
                {table(data)}
              </div>
            </details>
          )}
        </>
      )}
    </section>
  );
}
