import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BriefView } from "@/components/brief/brief-view";
import { listDeals } from "@/db/deals/deals";
import { getTechnology } from "@/db/directory/technologies";
import { dealsOverTime, getSummary, relatedTechnologies, topCompanies } from "@/db/stats/stats";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { describeFilters } from "@/lib/filters-in-words";
import { requirePrincipal } from "@/server/auth/page";
import { forPrincipal } from "@/server/auth/principal";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

// Enough to fill a second page at most: the brief is a summary, the area's page has the rest.
const RANKED = 8;
const LATEST = 4;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePrincipal();
  const area = await getTechnology((await params).slug);
  return { title: area ? `${area.name} brief` : "Technology not found" };
}

export default async function TechnologyBriefPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  const area = await getTechnology((await params).slug);
  if (!area) notFound();
  if (area.redirect) redirect(`/technologies/${area.redirect}/brief`);
  // With ?rollup=1 the narrower areas' deals count too, as on the dashboard.
  const { rollup } = parseDealFiltersLenient(await searchParams).filters;
  const filters = await forPrincipal(
    parseDealFiltersLenient({ technology: area.slug, rollup: rollup ? "1" : "0", pageSize: String(LATEST) })
      .filters,
    principal,
  );
  const [figures, overTime, companies, related, latest] = await Promise.all([
    getSummary(filters),
    dealsOverTime(filters),
    topCompanies(filters, { limit: RANKED }),
    relatedTechnologies(area.id, filters.audience, undefined, RANKED),
    listDeals(filters),
  ]);
  const identity = [
    {
      term: "Broader area",
      details: area.parent ? (
        <Link href={`/technologies/${area.parent.slug}/brief`}>{area.parent.name}</Link>
      ) : (
        "None"
      ),
    },
    { term: "Narrower areas", details: area.narrower.map((n) => n.name).join(", ") || "None" },
  ];
  return (
    <BriefView
      kind="Technology area"
      name={area.name}
      back={{ href: `/technologies/${area.slug}`, label: area.name }}
      scope={describeFilters(filters, { technologies: { [area.slug]: area.name } })}
      asOf={new Date().toISOString().slice(0, 10)}
      identity={identity}
      figures={figures}
      overTime={overTime}
      rankings={[
        {
          id: "companies",
          title: "Most active companies",
          unit: "Deals",
          rows: companies.map((c) => ({
            key: c.id,
            name: c.name,
            href: `/companies/${c.slug}/brief`,
            deals: c.deals,
          })),
          empty: "No companies yet.",
        },
        {
          id: "related",
          title: "Related technology areas",
          unit: "Deals together",
          rows: related.map((r) => ({
            key: r.id,
            name: r.name,
            href: `/technologies/${r.slug}/brief`,
            deals: r.deals,
          })),
          empty: "No related areas yet.",
        },
      ]}
      latest={latest}
    />
  );
}
