import type { CsvTable } from "@/lib/widgets";

/** "non_binding_mou_share" → "Non binding mou share": CSV column names, as a heading. */
export function columnLabel(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A widget's numbers (its CSV table) as an HTML table: the text alternative of a shared chart. */
export function SharedTable({ table, caption }: { table: CsvTable; caption: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={`${caption}: data table`} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {table.header.map((h) => (
              <th key={h} scope="col">
                {columnLabel(h)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell === null || cell === undefined ? "" : String(cell)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One shared chart: its image (drawn from the view's filters) with its numbers one click away. */
export function SharedChart({
  title,
  image,
  table,
  download,
  headingLevel = 2,
}: {
  title: string;
  image: string;
  table: CsvTable;
  download?: string;
  headingLevel?: 1 | 2;
}) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  const id = `${title.toLowerCase().replace(/\W+/g, "-")}-h`;
  return (
    <section className="card widget" aria-labelledby={id}>
      <div className="widget-head">
        <Heading id={id}>{title}</Heading>
        {download && (
          <a className="download-link" href={download} download aria-label={`Download data: ${title}`}>
            Download data
          </a>
        )}
      </div>
      {table.rows.length === 0 ? (
        <p className="empty">Nothing to show here for this view.</p>
      ) : (
        <>
          {/* eslint-disable-next-line @next/next/no-img-element -- a server-drawn SVG, not a photo to optimise */}
          <img
            src={image}
            alt={`${title}: chart (its numbers are in the data table below)`}
            style={{ maxWidth: "100%", height: "auto" }}
          />
          <details className="data-table">
            <summary>Data table</summary>
            <SharedTable table={table} caption={title} />
          </details>
        </>
      )}
    </section>
  );
}
