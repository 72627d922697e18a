import type { CompareKind } from "@/lib/compare";

/** A list row's "compare this" tick, sent with the list's compare form (`form` names it). */
export function CompareCheckbox({
  form,
  kind,
  slug,
  name,
}: {
  form: string;
  kind: CompareKind;
  slug: string;
  name: string;
}) {
  return <input type="checkbox" name={kind} value={slug} form={form} aria-label={`Compare ${name}`} />;
}
