"use client";

import Link from "next/link";
import { useState } from "react";
import { FIELD_LABELS, IMPORT_FIELDS, type ImportField, type Mapping } from "@/lib/import-fields";
import { plural } from "@/lib/plural";

type RowPlan = {
  row: number;
  title: string;
  status: "new" | "duplicate" | "invalid";
  match?: { dealId: number; by: string; row?: number };
  errors: Record<string, string[]>;
  warnings: string[];
};
type Answer = {
  header?: string[];
  mapping?: Mapping;
  summary?: { rows: number; new: number; duplicates: number; invalid: number; newCompanies: string[] };
  rows?: RowPlan[];
  result?: { created: number[]; updated: number[]; skipped: number };
  error?: string;
  fieldErrors?: Record<string, string[]>;
};

const PREVIEW_ROWS = 200;

type Progress = { phase: "checking" | "saving"; done: number; total: number };

/**
 * Posts the form asking for progress lines (app/api/import streams them as NDJSON), reporting each,
 * and resolves with the final status and answer.
 */
async function postWithProgress(form: FormData, onProgress: (p: Progress) => void) {
  const response = await fetch("/api/import", {
    method: "POST",
    body: form,
    headers: { accept: "application/x-ndjson" },
  });
  if (!response.body || !response.headers.get("content-type")?.includes("ndjson")) {
    return { status: response.status, body: (await response.json()) as Answer };
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      if (line.progress) onProgress(line.progress);
      else return { status: line.status as number, body: line.body as Answer };
    }
    if (done) throw new Error("The answer ended early");
  }
}

export function ImportWizard() {
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [onDuplicate, setOnDuplicate] = useState<"skip" | "update">("skip");
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [done, setDone] = useState<Answer["result"] | null>(null);

  async function send(chosen: File, options: { dryRun: boolean; mapping?: Mapping | null }) {
    setBusy(true);
    const form = new FormData();
    form.set("file", chosen);
    form.set("dryRun", options.dryRun ? "1" : "0");
    form.set("onDuplicate", onDuplicate);
    if (options.mapping) form.set("mapping", JSON.stringify(options.mapping));
    setProgress(null);
    const response = await postWithProgress(form, setProgress).catch(() => null);
    const body: Answer = response?.body ?? { error: "Could not reach the server." };
    setBusy(false);
    setProgress(null);
    setAnswer(body);
    if (body.mapping) setMapping(body.mapping);
    if (!options.dryRun && response?.status === 200) setDone(body.result ?? null);
  }

  const summary = answer?.summary;
  const canImport =
    summary &&
    summary.invalid === 0 &&
    (summary.new > 0 || (onDuplicate === "update" && summary.duplicates > 0));

  return (
    <>
      <section className="card" aria-labelledby="file-h">
        <h2 id="file-h">1. Choose a file</h2>
        <p className="small muted">
          UTF-8 CSV with a header row, up to 20 MB. A file exported from Partnership Atlas (the Deals layout)
          imports as is. Multi-valued cells use “; ”, parties as “Company (role)”.
        </p>
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            const chosen = e.target.files?.[0] ?? null;
            setFile(chosen);
            setDone(null);
            setAnswer(null);
            setMapping(null);
            if (chosen) void send(chosen, { dryRun: true });
          }}
        />
        {busy && (
          <div aria-live="polite">
            {progress ? (
              <>
                <label htmlFor="import-progress">
                  {progress.phase === "checking" ? "Checking rows" : "Saving deals"}:{" "}
                  {progress.done.toLocaleString("en")} of {progress.total.toLocaleString("en")}
                </label>
                <progress id="import-progress" max={progress.total} value={progress.done} />
              </>
            ) : (
              <p>Reading the file…</p>
            )}
          </div>
        )}
      </section>

      {answer?.error && !answer.rows && (
        <div className="alert error section-gap" role="alert">
          {answer.error}
        </div>
      )}

      {file && mapping && answer?.header && (
        <section className="card section-gap" aria-labelledby="map-h">
          <h2 id="map-h">2. Match the columns</h2>
          <div className="form-grid">
            {IMPORT_FIELDS.map((field: ImportField) => (
              <div className="field" key={field}>
                <label htmlFor={`map-${field}`}>{FIELD_LABELS[field]} column</label>
                <select
                  id={`map-${field}`}
                  value={mapping[field] ?? ""}
                  onChange={(e) => {
                    const next = { ...mapping };
                    if (e.target.value === "") delete next[field];
                    else next[field] = Number(e.target.value);
                    setMapping(next);
                    void send(file, { dryRun: true, mapping: next });
                  }}
                >
                  <option value="">— not imported —</option>
                  {answer.header!.map((name, i) => (
                    <option key={i} value={i}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
        </section>
      )}

      {summary && answer?.rows && (
        <section className="card section-gap" aria-labelledby="preview-h">
          <h2 id="preview-h">3. Check and import</h2>
          <p role="status">
            {plural(summary.rows, "row")}: <strong>{summary.new} new</strong>,{" "}
            {plural(summary.duplicates, "probable duplicate")},{" "}
            <strong className={summary.invalid ? "trend-down" : undefined}>
              {summary.invalid} with errors
            </strong>
            {summary.newCompanies.length > 0 &&
              `; ${plural(summary.newCompanies.length, "new company", "new companies")} will be created`}
            .
          </p>
          {summary.invalid > 0 && (
            <div className="alert error" role="alert">
              {answer.error ?? "Nothing will be imported until every row is valid."} Fix the rows marked below
              in your spreadsheet and choose the file again.
            </div>
          )}
          {summary.duplicates > 0 && (
            <fieldset className="field">
              <legend>Probable duplicates</legend>
              <label className="checkbox">
                <input
                  type="radio"
                  name="dup"
                  checked={onDuplicate === "skip"}
                  onChange={() => setOnDuplicate("skip")}
                />
                Skip them (keep the deals already here)
              </label>
              <label className="checkbox">
                <input
                  type="radio"
                  name="dup"
                  checked={onDuplicate === "update"}
                  onChange={() => setOnDuplicate("update")}
                />
                Update the existing deals from the file
              </label>
            </fieldset>
          )}
          <div className="table-wrap" role="region" aria-label="Import preview table" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Import preview</caption>
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Title</th>
                  <th>Outcome</th>
                  <th>Problems and notes</th>
                </tr>
              </thead>
              <tbody>
                {answer.rows.slice(0, PREVIEW_ROWS).map((row) => (
                  <tr key={row.row}>
                    <td>{row.row}</td>
                    <td>{row.title || <span className="muted">(no title)</span>}</td>
                    <td>
                      {row.status === "new" && <span className="badge status-active">New</span>}
                      {row.status === "duplicate" && (
                        <span className="badge status-announced">
                          {row.match?.dealId ? (
                            <>
                              Duplicate of{" "}
                              <Link href={`/deals/${row.match.dealId}`}>#{row.match.dealId}</Link> (by{" "}
                              {row.match.by})
                            </>
                          ) : (
                            `Same as row ${row.match?.row}`
                          )}
                        </span>
                      )}
                      {row.status === "invalid" && <span className="badge status-terminated">Error</span>}
                    </td>
                    <td className="small">
                      {Object.entries(row.errors).map(([column, messages]) => (
                        <div key={column} className="field-error">
                          {column}: {messages.join(" ")}
                        </div>
                      ))}
                      {row.warnings.map((w) => (
                        <div key={w} className="muted">
                          {w}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {answer.rows.length > PREVIEW_ROWS && (
            <p className="small muted">Showing the first {PREVIEW_ROWS} rows.</p>
          )}
          <div className="actions section-gap">
            <button
              type="button"
              className="button primary"
              disabled={!canImport || busy}
              onClick={() => file && send(file, { dryRun: false, mapping })}
            >
              Import {plural(summary.new, "deal")}
            </button>
          </div>
        </section>
      )}

      {done && (
        <div className="alert success section-gap" role="status">
          Imported {plural(done.created.length, "new deal")}, updated {done.updated.length}, skipped{" "}
          {done.skipped}. <Link href="/deals?sort=-updatedAt">See them in the deal list</Link>.
        </div>
      )}
    </>
  );
}
