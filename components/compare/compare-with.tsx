import type { CompareKind } from "@/lib/compare";

/**
 * "Compare with…": a plain GET form to /compare keeping the items already chosen (and the filters
 * given) and adding one more, typed (companies, by any name or alias, with suggestions) or picked
 * (technology areas). Works by keyboard and without script.
 */
export function CompareWith({
  id,
  kind,
  chosen,
  choices,
  keep = [],
  label,
}: {
  id: string;
  kind: CompareKind;
  /** Slugs already compared (or the page's own company or area). */
  chosen: string[];
  choices: { name: string; slug: string }[];
  /** Other query parameters to carry over, as [name, value] pairs. */
  keep?: [string, string][];
  label: string;
}) {
  // Once each, without those already chosen (a page may offer its partners and the busiest companies).
  const offered = [...new Map(choices.map((c) => [c.slug, c])).values()].filter(
    (c) => !chosen.includes(c.slug),
  );
  return (
    <form method="get" action="/compare" className="compare-with">
      {chosen.map((slug) => (
        <input key={slug} type="hidden" name={kind} value={slug} />
      ))}
      {keep.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
      <label htmlFor={id}>{label}</label>
      {kind === "company" ? (
        <>
          <input
            id={id}
            name="company"
            list={`${id}-choices`}
            required
            autoComplete="off"
            placeholder="Company name or alias"
          />
          <datalist id={`${id}-choices`}>
            {offered.map((c) => (
              <option key={c.slug} value={c.name} />
            ))}
          </datalist>
        </>
      ) : (
        <select id={id} name="technology" required defaultValue="">
          <option value="" disabled>
            Choose an area
          </option>
          {offered.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
      )}
      <button type="submit" className="button">
        Compare
      </button>
    </form>
  );
}
