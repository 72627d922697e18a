import { BINDING_LABELS, BINDINGS, DEAL_TYPES, STATUS_LABELS, STATUSES, TYPE_LABELS } from "@/lib/enums";

/** The enum filters every filter form offers, in order: one list so the forms cannot drift apart. */
export const ENUM_FILTERS = [
  { key: "type", label: "Type", values: DEAL_TYPES, labels: TYPE_LABELS as Record<string, string> },
  { key: "binding", label: "Binding", values: BINDINGS, labels: BINDING_LABELS as Record<string, string> },
  { key: "status", label: "Status", values: STATUSES, labels: STATUS_LABELS as Record<string, string> },
] as const;

/** A filter select's options: "Any", then each value with its label. */
export function AnyOptions({
  values,
  labels,
}: {
  values: readonly string[];
  labels: Record<string, string>;
}) {
  return (
    <>
      <option value="">Any</option>
      {values.map((value) => (
        <option key={value} value={value}>
          {labels[value]}
        </option>
      ))}
    </>
  );
}

export function technologyChoices(technologies: { name: string; slug: string }[]) {
  return {
    values: technologies.map((t) => t.slug),
    labels: Object.fromEntries(technologies.map((t) => [t.slug, t.name])),
  };
}
