import Link from "next/link";
import type { TechnologySummary } from "@/db/types";
import { BINDING_LABELS, STATUS_LABELS, TYPE_LABELS } from "@/lib/enums";
import {
  AnyOptions,
  CROSS_BORDER_LABELS,
  crossBorderValue,
  ENUM_FILTERS,
  multiFilters,
  RegionOptions,
} from "@/components/ui/filter-choices";
import { MultiSelect } from "@/components/ui/multi-select";
import { countryByCode } from "@/lib/geo/countries";
import { sectorByCode } from "@/lib/geo/sectors";
import { filtersToSearch, hasActiveFilters, SORTS, type DealFilters } from "@/lib/filters";

const SORT_LABELS: Record<(typeof SORTS)[number], string> = {
  "-announcedOn": "Newest first",
  announcedOn: "Oldest first",
  title: "Title A–Z",
  "-updatedAt": "Recently edited",
};

type Repeatable = "company" | "partner" | "technology" | "type" | "binding" | "status" | "country" | "sector";

/**
 * A plain GET form: it works without JavaScript and every view it produces is a URL that can be
 * bookmarked or shared. Extra values of repeatable filters ride along as hidden inputs.
 */
export function DealFilterForm({
  filters,
  technologies,
  action = "/deals",
}: {
  filters: DealFilters;
  technologies: TechnologySummary[];
  action?: string;
}) {
  const extra = (key: Repeatable) =>
    filters[key].slice(1).map((v) => <input key={`${key}-${v}`} type="hidden" name={key} value={v} />);
  return (
    <form method="get" action={action} className="card" role="search" aria-label="Filter deals">
      <div className="filters">
        <div className="wide">
          <label htmlFor="f-q">Search</label>
          <input
            id="f-q"
            type="search"
            name="q"
            defaultValue={filters.q ?? ""}
            placeholder="Title, summary, quotes, companies…"
          />
        </div>
        <div>
          <label htmlFor="f-company">Company</label>
          <input
            id="f-company"
            name="company"
            defaultValue={filters.company[0] ?? ""}
            placeholder="Name or alias"
          />
          {extra("company")}
        </div>
        {multiFilters(technologies).map(({ key, label, choices }) => (
          <MultiSelect
            key={`${key}:${filters[key].join(",")}`}
            id={`f-${key}`}
            name={key}
            label={label}
            choices={choices}
            value={filters[key]}
          />
        ))}
        <div>
          <label htmlFor="f-region">Region</label>
          <select id="f-region" name="region" defaultValue={filters.region ?? ""}>
            <RegionOptions />
          </select>
        </div>
        <div>
          <label htmlFor="f-crossBorder">Cross-border</label>
          <select id="f-crossBorder" name="crossBorder" defaultValue={crossBorderValue(filters.crossBorder)}>
            <AnyOptions values={["1", "0"]} labels={CROSS_BORDER_LABELS} />
          </select>
        </div>
        {ENUM_FILTERS.map(({ key, label, values, labels }) => (
          <div key={key}>
            <label htmlFor={`f-${key}`}>{label}</label>
            <select id={`f-${key}`} name={key} defaultValue={filters[key][0] ?? ""}>
              <AnyOptions values={values} labels={labels} />
            </select>
            {extra(key)}
          </div>
        ))}
        <div>
          <label htmlFor="f-from">From</label>
          <input id="f-from" type="date" name="from" defaultValue={filters.from ?? ""} />
        </div>
        <div>
          <label htmlFor="f-to">To</label>
          <input id="f-to" type="date" name="to" defaultValue={filters.to ?? ""} />
        </div>
        <div>
          <label htmlFor="f-sort">Sort</label>
          <select id="f-sort" name="sort" defaultValue={filters.sort}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        {filters.pageSize !== 50 && <input type="hidden" name="pageSize" value={filters.pageSize} />}
        {filters.rollup && <input type="hidden" name="rollup" value="1" />}
        {filters.partner.map((p) => (
          <input key={`partner-${p}`} type="hidden" name="partner" value={p} />
        ))}
        <div className="actions">
          <button type="submit" className="button primary">
            Apply filters
          </button>
          {hasActiveFilters(filters) && (
            <Link className="button" href={action}>
              Clear
            </Link>
          )}
        </div>
      </div>
    </form>
  );
}

/** The active filters as removable chips. */
export function ActiveFilters({ filters, basePath = "/deals" }: { filters: DealFilters; basePath?: string }) {
  if (!hasActiveFilters(filters)) return null;
  const chips: { label: string; without: Partial<DealFilters> }[] = [];
  if (filters.q) chips.push({ label: `“${filters.q}”`, without: { q: undefined } });
  const list = (key: Repeatable, label: (v: string) => string) =>
    filters[key].forEach((v) =>
      chips.push({ label: label(v), without: { [key]: (filters[key] as string[]).filter((x) => x !== v) } }),
    );
  list("company", (v) => `Company: ${v}`);
  list("partner", (v) => `With: ${v}`);
  list("technology", (v) => `Technology: ${v}`);
  list("type", (v) => `Type: ${TYPE_LABELS[v as keyof typeof TYPE_LABELS]}`);
  list("binding", (v) => BINDING_LABELS[v as keyof typeof BINDING_LABELS]);
  list("status", (v) => `Status: ${STATUS_LABELS[v as keyof typeof STATUS_LABELS]}`);
  list("country", (v) => `Country: ${countryByCode(v)?.name ?? v}`);
  list("sector", (v) => `Sector: ${sectorByCode(v)?.name ?? v}`);
  if (filters.region) chips.push({ label: `Region: ${filters.region}`, without: { region: undefined } });
  if (filters.crossBorder !== undefined)
    chips.push({
      label: CROSS_BORDER_LABELS[crossBorderValue(filters.crossBorder)]!,
      without: { crossBorder: undefined },
    });
  if (filters.from) chips.push({ label: `From ${filters.from}`, without: { from: undefined } });
  if (filters.to) chips.push({ label: `To ${filters.to}`, without: { to: undefined } });
  return (
    <div className="filter-summary" aria-label="Active filters">
      <span className="muted">Filtered by</span>
      {chips.map((chip) => (
        <Link
          key={chip.label}
          className="chip"
          href={`${basePath}${filtersToSearch({ ...filters, ...chip.without, page: 1 })}`}
          aria-label={`Remove filter ${chip.label}`}
        >
          {/* The × is drawn by CSS: as text it made the visible text differ from the name (axe). */}
          {chip.label} <span aria-hidden="true" className="chip-x" />
        </Link>
      ))}
    </div>
  );
}
