import { csvRow, csvRows } from "@/lib/csv";
import type { AuditKind } from "@/lib/enums";

// The security audit log as CSV. Every text cell goes through lib/csv's formula-injection guard,
// which matters here: an actor can be the email someone typed at the sign-in page.

type AuditRow = {
  at: Date;
  actor: string;
  kind: AuditKind;
  detail: Record<string, unknown>;
  ip: string | null;
};

export const AUDIT_CSV_HEADER = ["At", "Actor", "Kind", "Detail", "IP address"];

export async function* auditCsvLines(batches: AsyncIterable<AuditRow[]>): AsyncGenerator<string> {
  yield csvRow(AUDIT_CSV_HEADER);
  for await (const batch of batches)
    yield csvRows(batch.map((e) => [e.at.toISOString(), e.actor, e.kind, JSON.stringify(e.detail), e.ip]));
}

/** atlas-audit[-kind][-from-to].csv */
export function auditFilename(f: { kind?: string; from?: string; to?: string }): string {
  return `${["atlas-audit", f.kind, f.from, f.to].filter(Boolean).join("-")}.csv`;
}
