import type { DealRecord } from "@/db/types";
import {
  BINDING_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
  TYPE_SHORT,
  type Binding,
  type DealStatus,
  type DealType,
} from "@/lib/enums";

export function TypeBadges({ types }: { types: DealType[] }) {
  return (
    <span className="chips">
      {types.map((t) => (
        <span key={t} className="badge type" title={TYPE_LABELS[t]}>
          {TYPE_SHORT[t]}
        </span>
      ))}
    </span>
  );
}

export function StatusBadge({ status }: { status: DealStatus }) {
  return <span className={`badge status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function BindingBadge({ binding }: { binding: Binding }) {
  return <span className={`badge binding-${binding}`}>{BINDING_LABELS[binding]}</span>;
}

/** Marks a confidential deal (issue 25): only its team's members and admins see it. */
export function ConfidentialBadge({ visibility }: { visibility: DealRecord["visibility"] }) {
  if (visibility === "everyone") return null;
  return (
    <span className="badge confidential" title="Visible only to this team's members and to admins">
      Confidential · {visibility.team}
    </span>
  );
}
