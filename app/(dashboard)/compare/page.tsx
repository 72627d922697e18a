import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { saveViewAction } from "@/app/(dashboard)/views/actions";
import { ComparePanelView } from "@/components/compare/compare-panel";
import { CompareWith } from "@/components/compare/compare-with";
import { SaveViewForm } from "@/components/follow/save-view-form";
import { InputError } from "@/db/core/errors";
import { listTechnologyChoices, searchCompanies } from "@/db/directory/directory";
import type { CompareItem, CompareRow, Comparison } from "@/db/types";
import { bucketRange, INTERVALS } from "@/lib/buckets";
import { filtersInWords } from "@/lib/chart-figure";
import { COMPARE_MAX, compareDealsHref, compareSelection, type CompareSelection } from "@/lib/compare";
import { DEAL_TYPES, TYPE_LABELS } from "@/lib/enums";
import { filtersQuery, parseDealFiltersLenient, type DealFilters } from "@/lib/filters";
import { widgetOptionsFromUrl, widgetSearch, type CompareWidget } from "@/lib/widgets";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";
import { comparison } from "@/server/widgets";

export const metadata: Metadata = { title: "Compare" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ComparePage({ searchParams }: Props) {
  const principal = await requirePrincipal();
  const query = await searchParams;
  const parsed = parseDealFiltersLenient(query);
  const { errors: filterErrors } = parsed;
  const filters = await forPrincipal(parsed.filters, principal);
  const first = (key: string) => {
    const value = query[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const { interval } = widgetOptionsFromUrl("compare-over-time", first);
  const selected = compareSelection(filters);
  let result: { c: Comparison; s: CompareSelection } | { errors: Record<string, string[]> };
  if (!selected.success) result = { errors: selected.errors };
  else {
    try {
      result = { c: await comparison(filters, interval), s: selected.selection };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      result = { errors: error.fieldErrors };
    }
  }
  const [companyChoices, areaChoices] = await Promise.all([
    searchCompanies({ limit: 100 }).then((r) => r.items),
    listTechnologyChoices(),
  ]);

  if ("errors" in result) {
    const kind = filters.company.length || !filters.technology.length ? "company" : "technology";
    const given = kind === "company" ? filters.company : filters.technology;
    return (
      <>
        <div className="page-head">
          <div>
            <h1>Compare</h1>
            <p>Two to four companies, or two to four technology areas, side by side on the same scales.</p>
          </div>
        </div>
        {(filters.company.length > 0 || filters.technology.length > 0) && (
          <div className="alert error" role="alert">
            <p>This comparison cannot be shown:</p>
            <ul>
              {Object.values(result.errors)
                .flat()
                .filter((m, i, all) => all.indexOf(m) === i)
                .map((m) => (
                  <li key={m}>{m}</li>
                ))}
            </ul>
          </div>
        )}
        <div className="grid cols-2 section-gap">
          <div className="card">
            <CompareWith
              id="start-company"
              kind="company"
              chosen={kind === "company" && given.length < COMPARE_MAX ? given : []}
              choices={companyChoices}
              label="Compare companies: add a company"
            />
            <p className="small muted">
              Or pick them on the <Link href="/companies">companies list</Link>.
            </p>
          </div>
          <div className="card">
            <CompareWith
              id="start-technology"
              kind="technology"
              chosen={kind === "technology" && given.length < COMPARE_MAX ? given : []}
              choices={areaChoices}
              label="Compare technology areas: add an area"
            />
          </div>
        </div>
        {Object.keys(filterErrors).length > 0 && (
          <p className="small muted">Some filters in the address were not understood and were left out.</p>
        )}
      </>
    );
  }

  const { c, s } = result;
  const slugs = c.items.map((i) => i.slug);
  const extra: Record<string, string> = interval === "auto" ? {} : { interval };
  const canonical: DealFilters = { ...filters, [s.kind]: slugs };
  // Names typed into "Compare with…" become slugs, so the address (and a saved view) is canonical.
  const search = filtersQuery(canonical, extra);
  if (s.given.join("\n") !== slugs.join("\n")) redirect(`/compare${search}`);

  const urls = (name: CompareWidget) => {
    const q = widgetSearch(name, canonical, name === "compare-over-time" ? { interval } : {});
    return {
      download: `/api/export/stats/${name}.csv${q}`,
      image: { svg: `/api/charts/${name}.svg${q}`, png: `/api/charts/${name}.png${q}` },
    };
  };
  const deals = (item: CompareItem, patch: Partial<DealFilters> = {}, geo = {}) =>
    compareDealsHref(s, item.slug, patch, geo);
  const companies = s.kind === "company";
  const otherKind = companies ? "technology" : "company";
  const kept: [string, string][] = [
    ...new URLSearchParams(filtersQuery({ ...s.base, [s.kind]: [] }, extra).slice(1)),
  ];
  const names = new Map(c.items.map((i) => [i.slug, i.name]));

  return (
    <>
      <div className="crumbs">
        <Link href={companies ? "/companies" : "/technologies"}>
          {companies ? "Companies" : "Technology areas"}
        </Link>{" "}
        / Compare
      </div>
      <div className="page-head">
        <div>
          <h1>Compare {c.items.map((i) => i.name).join(" · ")}</h1>
          <p>{filtersInWords(s.base)}</p>
        </div>
        <div className="actions">
          <SaveViewForm saveView={saveViewAction} />
          <a className="button" href={`/api/export/compare.csv${search}`} download>
            Download comparison (CSV)
          </a>
        </div>
      </div>

      <form method="get" className="card" aria-label="Filter the comparison">
        {slugs.map((slug) => (
          <input key={slug} type="hidden" name={s.kind} value={slug} />
        ))}
        {s.base.q && <input type="hidden" name="q" value={s.base.q} />}
        {s.base[otherKind].map((v) => (
          <input key={v} type="hidden" name={otherKind} value={v} />
        ))}
        {(["partner", "binding", "status"] as const).flatMap((key) =>
          s.base[key].map((v) => <input key={`${key}-${v}`} type="hidden" name={key} value={v} />),
        )}
        <div className="filters">
          <div>
            <label htmlFor="c-type">Type</label>
            <select id="c-type" name="type" defaultValue={s.base.type[0] ?? ""}>
              <option value="">Any type</option>
              {DEAL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="c-from">From</label>
            <input id="c-from" type="date" name="from" defaultValue={s.base.from ?? ""} />
          </div>
          <div>
            <label htmlFor="c-to">To</label>
            <input id="c-to" type="date" name="to" defaultValue={s.base.to ?? ""} />
          </div>
          <div>
            <label htmlFor="c-interval">Periods</label>
            <select id="c-interval" name="interval" defaultValue={interval === "auto" ? "" : interval}>
              <option value="">Automatic</option>
              {INTERVALS.map((i) => (
                <option key={i} value={i}>
                  {i[0]!.toUpperCase() + i.slice(1)}
                </option>
              ))}
            </select>
          </div>
          <label className="checkbox" htmlFor="c-rollup">
            <input id="c-rollup" type="checkbox" name="rollup" value="1" defaultChecked={s.base.rollup} />
            Count subsidiaries under their group
          </label>
          <div>
            <button type="submit" className="button primary">
              Apply
            </button>
          </div>
        </div>
        {Object.keys(filterErrors).length > 0 && (
          <p className="small" role="status">
            Left out filters that were not understood: {Object.keys(filterErrors).join(", ")}.
          </p>
        )}
      </form>

      <div className="compare-items section-gap">
        {c.items.map((item) => (
          <div key={item.slug} className="card stat">
            <div className="label">
              <Link href={`/${companies ? "companies" : "technologies"}/${item.slug}`}>{item.name}</Link>
            </div>
            <div className="value">
              <Link href={deals(item)} aria-label={`${item.name}: ${item.deals} deals`}>
                {item.deals}
              </Link>
            </div>
            {c.items.length > 2 && (
              <Link
                className="small"
                href={`/compare${filtersQuery({ ...canonical, [s.kind]: slugs.filter((x) => x !== item.slug) }, extra)}`}
                aria-label={`Remove ${item.name} from the comparison`}
              >
                Remove
              </Link>
            )}
          </div>
        ))}
        {c.items.length < COMPARE_MAX && (
          <div className="card">
            <CompareWith
              id="add-item"
              kind={s.kind}
              chosen={slugs}
              choices={companies ? companyChoices : areaChoices}
              keep={kept}
              label={companies ? "Add a company" : "Add a technology area"}
            />
          </div>
        )}
      </div>

      <div className="compare-panels section-gap">
        <ComparePanelView
          id="compare-over-time"
          title="Deals over time"
          column="Period"
          layout="columns"
          items={c.items}
          rows={c.overTime}
          href={(row, item) => deals(item, bucketRange(row.key))}
          {...urls("compare-over-time")}
        />
        <ComparePanelView
          id="compare-types"
          title="Deal types"
          note="A deal of two types counts under both."
          column="Type"
          items={c.items}
          rows={c.types}
          href={(row, item) => deals(item, { type: [row.key as DealFilters["type"][number]] })}
          {...urls("compare-types")}
        />
        <ComparePanelView
          id="compare-mix"
          title={companies ? "Technology areas" : "Top companies"}
          note={
            companies ? "A deal counts under each of its areas." : "A deal counts for each of its companies."
          }
          column={companies ? "Technology area" : "Company"}
          items={c.items}
          rows={c.mix}
          href={(row: CompareRow, item) =>
            deals(item, companies ? { technology: [row.key] } : { company: [row.key] })
          }
          {...urls("compare-mix")}
        />
        <ComparePanelView
          id="compare-countries"
          title={companies ? "Partners' countries" : "Companies' countries"}
          note="A deal counts once for each country among its partners."
          column="Country"
          items={c.items}
          rows={c.countries}
          href={(row, item) => deals(item, {}, { country: row.key })}
          {...urls("compare-countries")}
        />
        <ComparePanelView
          id="compare-sectors"
          title={companies ? "Partners' sectors" : "Companies' sectors"}
          note="NAICS sectors; a deal counts once for each sector among its partners."
          column="Sector"
          items={c.items}
          rows={c.sectors}
          href={(row, item) => deals(item, {}, { sector: row.key })}
          {...urls("compare-sectors")}
        />
        {companies && (
          <ComparePanelView
            id="compare-partners"
            title="Top partners"
            column="Partner"
            items={c.items}
            rows={c.partners}
            href={(row, item) => deals(item, { partner: [row.key] })}
            {...urls("compare-partners")}
          />
        )}
        <ComparePanelView
          id="compare-shared"
          title={companies ? "Shared partners" : "Companies in several of these areas"}
          note={companies ? "Partners of two or more of these companies." : undefined}
          column={companies ? "Partner" : "Company"}
          items={c.items}
          rows={c.shared}
          href={(row, item) => deals(item, companies ? { partner: [row.key] } : { company: [row.key] })}
          {...urls("compare-shared")}
        />
        {companies && (
          <section className="card" aria-labelledby="between-h">
            <h2 id="between-h">Deals between them</h2>
            <div className="table-scroll" role="region" aria-label="Deals between them" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Companies</th>
                    <th scope="col">Deals together</th>
                  </tr>
                </thead>
                <tbody>
                  {c.between.map((p) => (
                    <tr key={`${p.a}-${p.b}`}>
                      <th scope="row">
                        {names.get(p.a)} and {names.get(p.b)}
                      </th>
                      <td>
                        {p.deals ? (
                          <Link
                            href={deals(
                              c.items.find((i) => i.slug === p.a)!,
                              { partner: [p.b] },
                            )}
                            aria-label={`Deals of ${names.get(p.a)} with ${names.get(p.b)}: ${p.deals}`}
                          >
                            {p.deals}
                          </Link>
                        ) : (
                          0
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </div>
    </>
  );
}
