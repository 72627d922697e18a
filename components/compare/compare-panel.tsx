import Link from "next/link";
import type { CSSProperties, ReactNode } from "react";
import { DownloadLinks } from "@/components/charts/download-links";
import type { CompareItem, CompareRow } from "@/db/types";
import { SERIES_COLORS } from "@/lib/chart-colors";

/** Each compared item keeps one colour on every panel and in the images (lib/widgets.ts). */
export const itemColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length]!;

const deals = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "deal" : "deals"}`;

/**
 * One compare panel: a small chart per item, side by side (stacked on a phone), all drawn on the
 * same scale (the largest count of any item), so a longer bar means more deals whichever column it
 * is in. Every non-zero number opens the deals behind it. Rendered on the server: no script needed.
 */
export function ComparePanelView({
  id,
  title,
  note,
  items,
  rows,
  column,
  layout = "bars",
  href,
  download,
  image,
}: {
  id: string;
  title: string;
  note?: ReactNode;
  items: CompareItem[];
  rows: CompareRow[];
  /** What a row is, as the data table's first column says it ("Country"). */
  column: string;
  /** bars: a ranking per item; columns: periods along a time axis. */
  layout?: "bars" | "columns";
  href: (row: CompareRow, item: CompareItem) => string;
  download: string;
  image: { svg: string; png: string };
}) {
  const max = Math.max(1, ...rows.flatMap((r) => items.map((i) => r.counts[i.slug] ?? 0)));
  const percent = (n: number) => `${(n / max) * 100}%`;
  return (
    <section className="card widget compare-panel" aria-labelledby={`${id}-h`}>
      <div className="widget-head">
        <h2 id={`${id}-h`}>{title}</h2>
        <div className="actions">
          <DownloadLinks title={title} download={download} image={image} />
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="empty">No deals to show here.</p>
      ) : (
        <>
          <p className="small muted">
            {note ? <>{note} </> : null}Same scale in every column: the longest bar is {deals(max)}.
          </p>
          <div className="compare-grid">
            {items.map((item, i) => {
              const color = { "--item": itemColor(i) } as CSSProperties;
              return (
                <div key={item.slug} className="compare-column" style={color} data-item={item.slug}>
                  <h3 className="compare-item-name">{item.name}</h3>
                  {layout === "columns" ? (
                    <div className="compare-columns" role="list" aria-label={`${title}: ${item.name}`}>
                      {rows.map((row) => {
                        const n = row.counts[item.slug] ?? 0;
                        const label = `${item.name}, ${row.label}: ${deals(n)}`;
                        return (
                          <div key={row.key} role="listitem" className="compare-col" title={label}>
                            {n ? (
                              <Link
                                href={href(row, item)}
                                aria-label={label}
                                style={{ height: percent(n) }}
                              />
                            ) : (
                              <span className="visually-hidden">{label}</span>
                            )}
                          </div>
                        );
                      })}
                    </div>
                  ) : (
                    <ol className="compare-bars">
                      {rows.map((row) => {
                        const n = row.counts[item.slug] ?? 0;
                        return (
                          <li key={row.key}>
                            <span className="compare-label">{row.label}</span>
                            <span className="compare-value">
                              {n ? (
                                <Link
                                  href={href(row, item)}
                                  aria-label={`${item.name}, ${row.label}: ${deals(n)}`}
                                >
                                  {n}
                                </Link>
                              ) : (
                                0
                              )}
                            </span>
                            <span className="compare-bar" aria-hidden>
                              <span style={{ width: percent(n) }} />
                            </span>
                          </li>
                        );
                      })}
                    </ol>
                  )}
                  {layout === "columns" && (
                    <p className="compare-axis small muted" aria-hidden>
                      <span>{rows[0]!.label}</span>
                      <span>{rows.at(-1)!.label}</span>
                    </p>
                  )}
                </div>
              );
            })}
          </div>
          <details className="data-table">
            <summary>Data table</summary>
            <div className="table-scroll" role="region" aria-label={`${title}: data table`} tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{column}</th>
                    {items.map((item) => (
                      <th key={item.slug} scope="col">
                        {item.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.key}>
                      <th scope="row">{row.label}</th>
                      {items.map((item) => (
                        <td key={item.slug}>{row.counts[item.slug] ?? 0}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
