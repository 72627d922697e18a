import type { DealDetail } from "@/db/types";
import { formatTimestamp } from "@/lib/dates";

const ACTION_LABELS = {
  create: "Created",
  update: "Edited",
  delete: "Deleted",
  restore: "Restored",
  merge: "Merged",
  unmerge: "Merge undone",
} as const;

export type RevisionView = DealDetail["revisions"][number];
/** A deal's, a company's or a technology area's revision: the diff reads them alike. */
export type AnyRevision = Omit<RevisionView, "action" | "id"> & { action: keyof typeof ACTION_LABELS };

/** Renders one field's value of a revision snapshot as short readable text. */
function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) {
    if (!value.length) return "—";
    return value
      .map((item) => {
        if (item && typeof item === "object") {
          const o = item as Record<string, unknown>;
          if ("company" in o) return `${o.company} (${o.role})`;
          if ("url" in o) return String(o.url);
          if ("text" in o) return `“${o.text}” — ${o.speaker}`;
        }
        return String(item);
      })
      .join("; ");
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    if ("amount" in o) return `${o.amount} ${o.currency}`;
    return JSON.stringify(value);
  }
  return String(value);
}

const NOTES = {
  create: "First version of the record.",
  delete: "Removed from lists; the data is kept.",
  restore: "Back in the lists.",
  update: "No field changes.",
  merge: "No field changes.",
  unmerge: "No field changes.",
} as const;

const DIFFED = new Set(["update", "merge", "unmerge"]);

/** What one revision changed, field by field. */
export function RevisionDiff({ revision }: { revision: AnyRevision }) {
  const before = (revision.before ?? {}) as Record<string, unknown>;
  const after = (revision.after ?? {}) as Record<string, unknown>;
  if (!DIFFED.has(revision.action) || revision.changedFields.length === 0) {
    return <p className="small muted diff-note">{NOTES[revision.action]}</p>;
  }
  return (
    <table className="diff">
      <thead>
        <tr>
          <th>Field</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {revision.changedFields.map((field) => (
          <tr key={field}>
            <td>{field}</td>
            <td className="before">{show(before[field])}</td>
            <td className="after">{show(after[field])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RevisionSummary({ revision }: { revision: AnyRevision }) {
  return (
    <>
      <strong>{ACTION_LABELS[revision.action]}</strong> · version {revision.version} · {revision.actor} ·{" "}
      <time dateTime={revision.at}>{formatTimestamp(revision.at)}</time>
      {DIFFED.has(revision.action) && revision.changedFields.length > 0 && (
        <span className="muted small"> · {revision.changedFields.join(", ")}</span>
      )}
    </>
  );
}

export function RevisionList({
  revisions,
  dealId,
  currentVersion,
  restoreVersion,
}: {
  revisions: RevisionView[];
  dealId: number;
  currentVersion: number;
  /** The "Restore this version" Server Action, given only to those who may use it. */
  restoreVersion?: (formData: FormData) => Promise<void>;
}) {
  return (
    <div>
      {revisions.map((rev) => (
        <details key={rev.id} className="revision">
          <summary>
            <RevisionSummary revision={rev} />
          </summary>
          <RevisionDiff revision={rev} />
          {restoreVersion && rev.after !== null && rev.version !== currentVersion && (
            <form action={restoreVersion} className="actions diff-note">
              <input type="hidden" name="dealId" value={dealId} />
              <input type="hidden" name="revisionId" value={rev.id} />
              <input type="hidden" name="version" value={currentVersion} />
              <button type="submit" className="button small">
                Restore this version
              </button>
              <span className="small muted">
                Saves the deal as it was after version {rev.version}, as a new version.
              </span>
            </form>
          )}
        </details>
      ))}
    </div>
  );
}
