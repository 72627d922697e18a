import type { DealDetail } from "@/db/queries";
import { formatTimestamp } from "@/lib/dates";

const ACTION_LABELS = {
  create: "Created",
  update: "Edited",
  delete: "Deleted",
  restore: "Restored",
} as const;

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

export function RevisionList({ revisions }: { revisions: DealDetail["revisions"] }) {
  return (
    <div>
      {revisions.map((rev) => {
        const before = (rev.before ?? {}) as Record<string, unknown>;
        const after = (rev.after ?? {}) as Record<string, unknown>;
        const showDiff = rev.action === "update" && rev.changedFields.length > 0;
        return (
          <details key={rev.id} className="revision">
            <summary>
              <strong>{ACTION_LABELS[rev.action]}</strong> · version {rev.version} · {rev.actor} ·{" "}
              <time dateTime={rev.at}>{formatTimestamp(rev.at)}</time>
              {showDiff && <span className="muted small"> · {rev.changedFields.join(", ")}</span>}
            </summary>
            {showDiff ? (
              <table className="diff">
                <thead>
                  <tr>
                    <th>Field</th>
                    <th>Before</th>
                    <th>After</th>
                  </tr>
                </thead>
                <tbody>
                  {rev.changedFields.map((field) => (
                    <tr key={field}>
                      <td>{field}</td>
                      <td className="before">{show(before[field])}</td>
                      <td className="after">{show(after[field])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="small muted" style={{ margin: "0.4rem 0 0" }}>
                {rev.action === "create"
                  ? "First version of the record."
                  : rev.action === "delete"
                    ? "Removed from lists; the data is kept."
                    : rev.action === "restore"
                      ? "Back in the lists."
                      : "No field changes."}
              </p>
            )}
          </details>
        );
      })}
    </div>
  );
}
