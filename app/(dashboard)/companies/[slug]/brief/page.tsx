import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { BriefView } from "@/components/brief/brief-view";
import { listDeals } from "@/db/deals/deals";
import { resolveCompanySlug } from "@/db/directory/companies";
import { getCompanyBySlug } from "@/db/directory/directory";
import { dealsOverTime, getSummary, technologyCounts } from "@/db/stats/stats";
import { parseDealFiltersLenient, type SearchParams } from "@/lib/filters";
import { describeFilters } from "@/lib/filters-in-words";
import { requirePrincipal } from "@/server/auth/page";
import { audienceOf } from "@/db/accounts/visibility";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<SearchParams> };

// Enough to fill a second page at most: the brief is a summary, the company page has the rest.
const RANKED = 8;
const LATEST = 4;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  await requirePrincipal();
  const company = await getCompanyBySlug((await params).slug);
  return { title: company ? `${company.name} brief` : "Company not found" };
}

export default async function CompanyBriefPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  const found = await resolveCompanySlug((await params).slug);
  if (!found) notFound();
  if (found.redirect) redirect(`/companies/${found.redirect}/brief`);
  // One audience for the company's counts and its deals below (one query, not two).
  const audience = await audienceOf(principal.viewer);
  const company = (await getCompanyBySlug(found.slug, audience))!;
  // Like the company page: its own deals, or with ?rollup=1 its subsidiaries' too.
  const { rollup } = parseDealFiltersLenient(await searchParams).filters;
  const filters = {
    ...parseDealFiltersLenient({
      company: company.slug,
      rollup: rollup ? "1" : "0",
      pageSize: String(LATEST),
    }).filters,
    audience,
  };
  const [figures, overTime, areas, latest] = await Promise.all([
    getSummary(filters),
    dealsOverTime(filters),
    technologyCounts(filters, undefined, RANKED),
    listDeals(filters),
  ]);
  const identity = [
    { term: "Also known as", details: company.aliases.join(", ") || "No aliases recorded" },
    {
      term: "Group",
      details: company.parent ? (
        <>
          Part of <Link href={`/companies/${company.parent.slug}/brief`}>{company.parent.name}</Link>
        </>
      ) : company.subsidiaries.length ? (
        `Parent of ${company.subsidiaries.map((s) => s.name).join(", ")}`
      ) : (
        "Independent"
      ),
    },
    { term: "Country", details: company.country ?? "Not recorded" },
    { term: "Sector", details: company.sector ?? "Not recorded" },
  ];
  return (
    <BriefView
      kind="Company"
      name={company.name}
      back={{ href: `/companies/${company.slug}`, label: company.name }}
      scope={describeFilters(filters, { companies: { [company.slug]: company.name } })}
      asOf={new Date().toISOString().slice(0, 10)}
      identity={identity}
      figures={figures}
      overTime={overTime}
      rankings={[
        {
          id: "partners",
          title: "Partners",
          unit: "Deals together",
          rows: company.partners.slice(0, RANKED).map((p) => ({
            key: p.id,
            name: p.name,
            href: `/companies/${p.slug}/brief`,
            deals: p.dealCount,
          })),
          empty: "No partners yet.",
        },
        {
          id: "areas",
          title: "Technology areas",
          unit: "Deals",
          rows: areas.map((a) => ({
            key: a.id,
            name: a.name,
            href: `/technologies/${a.slug}/brief`,
            deals: a.deals,
          })),
          empty: "No technology areas recorded.",
        },
      ]}
      latest={latest}
    />
  );
}
