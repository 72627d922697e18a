"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { plural } from "@/lib/plural";

// The companies page's upload of a reference CSV (POST /api/companies/import): the dry run first,
// each row's match and every error shown, then Apply, which writes all rows or none.

type Row = { line: number; name: string; match: string; company?: { name: string; slug: string } };
type Answer = {
  rows?: Row[];
  errors?: { line: number; field: string; message: string }[];
  updated?: number;
  created?: number;
  error?: string;
  fieldErrors?: Record<string, string[]>;
};

const MATCH_LABELS: Record<string, string> = {
  exact: "Updates",
  alias: "Updates (by alias)",
  suggested: "New — probably the same as",
  new: "New company",
};

async function post(file: File, dryRun: boolean): Promise<Answer> {
  const response = await fetch(`/api/companies/import${dryRun ? "?dryRun=1" : ""}`, {
    method: "POST",
    body: file,
    headers: { "content-type": "text/csv" },
  });
  return (await response.json()) as Answer;
}

export function ReferenceImport() {
  const id = useId();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Answer | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const problems = preview?.errors ?? [];
  const fileError = preview?.error && !preview.rows ? preview.error : "";

  async function run(dryRun: boolean) {
    if (!file) return;
    setBusy(true);
    setMessage("");
    try {
      const answer = await post(file, dryRun);
      if (dryRun || answer.rows === undefined || answer.errors) setPreview(answer);
      if (!dryRun && answer.updated !== undefined) {
        setPreview(null);
        setMessage(
          `Applied: ${plural(answer.updated, "company", "companies")} updated, ${plural(answer.created ?? 0, "company", "companies")} created.`,
        );
        router.refresh();
      }
    } catch {
      setMessage("The server could not be reached; nothing was changed.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="card section-gap">
      <summary>Import reference data (CSV)</summary>
      <p className="small muted">
        Columns: name, country, sector, lei, wikidata, ticker, website, parent. The file is checked first;
        nothing changes until you apply it, and then every row applies or none. See docs/reference-data.md.
      </p>
      <div className="actions" style={{ alignItems: "flex-end" }}>
        <div>
          <label htmlFor={`${id}-file`}>CSV file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setPreview(null);
              setMessage("");
            }}
          />
        </div>
        <button type="button" className="button" disabled={!file || busy} onClick={() => run(true)}>
          Check file
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!file || busy || !preview?.rows || problems.length > 0}
          onClick={() => run(false)}
        >
          Apply
        </button>
      </div>
      <div aria-live="polite">
        {message && (
          <p className="alert success" role="status">
            {message}
          </p>
        )}
        {fileError && (
          <p className="alert error" role="alert">
            {fileError}
          </p>
        )}
        {problems.length > 0 && (
          <div className="alert error" role="alert">
            <p>{plural(problems.length, "problem")} to fix in the file before it can be applied:</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  Line {p.line}, {p.field}: {p.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {preview?.rows && (
        <div className="table-wrap" role="region" aria-label="What the file would do" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th>Line</th>
                <th>Name in the file</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.line}>
                  <td>{row.line}</td>
                  <td>{row.name}</td>
                  <td>
                    {MATCH_LABELS[row.match] ?? row.match}{" "}
                    {row.company && row.match !== "new" && (
                      <Link href={`/companies/${row.company.slug}`}>{row.company.name}</Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
