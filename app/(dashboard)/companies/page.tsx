import type { Metadata } from "next";
import Link from "next/link";
import { CompareCheckbox } from "@/components/compare/compare-checkbox";
import { z } from "zod";
import { searchCompanies } from "@/db/directory/directory";
import { requirePrincipal } from "@/server/auth/page";
import { searchText } from "@/lib/filters";
import { plural } from "@/lib/plural";
import { hasRole } from "@/lib/roles";
import { ReferenceImport } from "@/components/companies/reference-import";
import { audienceOf } from "@/db/accounts/visibility";

export const metadata: Metadata = { title: "Companies" };

const PAGE_SIZE = 50;
const params = z.object({
  q: z.optional(searchText(200, "Keep the search under 200 characters")).catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

export default async function CompaniesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
  const raw = await searchParams;
  const { q, page } = params.parse({ q: raw.q, page: raw.page });
  const { items, total } = await searchCompanies({
    q,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    audience: await audienceOf(principal.viewer),
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const href = (p: number) => `/companies?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Companies</h1>
          <p>{plural(total, "company", "companies")}, with the names and aliases they are known by.</p>
        </div>
        <div className="actions">
          <Link className="button" href="/companies/duplicates">
            Find duplicates
          </Link>
        </div>
      </div>
      {hasRole(principal.role, "editor") && <ReferenceImport />}
      <form method="get" className="card section-gap" role="search" aria-label="Find companies">
        <div className="actions" style={{ alignItems: "flex-end" }}>
          <div style={{ flex: "1 1 320px" }}>
            <label htmlFor="company-q">Find a company</label>
            <input
              id="company-q"
              type="search"
              name="q"
              defaultValue={q ?? ""}
              placeholder="Name or alias, e.g. SKT"
            />
          </div>
          <button className="button primary" type="submit">
            Search
          </button>
        </div>
      </form>
      {/* Tick 2–4 companies and compare them side by side (/compare says so if the count is off). */}
      <form method="get" action="/compare" id="compare-companies" aria-label="Compare companies" />
      <div className="section-gap table-wrap" role="region" aria-label="Companies table" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th>
                <span className="visually-hidden">Compare</span>
              </th>
              <th>Company</th>
              <th>Also known as</th>
              <th>Country</th>
              <th>Sector</th>
              <th>Group</th>
              <th style={{ textAlign: "right" }}>Deals</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <CompareCheckbox form="compare-companies" kind="company" slug={c.slug} name={c.name} />
                </td>
                <td className="title-cell">
                  <Link href={`/companies/${c.slug}`}>{c.name}</Link>
                </td>
                <td className="small">{c.aliases.join(", ")}</td>
                <td>{c.countryName}</td>
                <td className="small">{c.sectorName}</td>
                <td>{c.parent && <Link href={`/companies/${c.parent.slug}`}>{c.parent.name}</Link>}</td>
                <td style={{ textAlign: "right" }}>{c.dealCount}</td>
              </tr>
            ))}
            {items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No company matches “{q}”.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <p className="section-gap">
        <button type="submit" className="button" form="compare-companies">
          Compare selected (2–4)
        </button>
      </p>
      {pages > 1 && (
        <nav className="pagination" aria-label="Pages">
          <span className="muted">
            Page {page} of {pages}
          </span>
          <span className="actions">
            {page > 1 && (
              <Link className="button small" href={href(page - 1)}>
                ← Previous
              </Link>
            )}
            {page < pages && (
              <Link className="button small" href={href(page + 1)}>
                Next →
              </Link>
            )}
          </span>
        </nav>
      )}
    </>
  );
}
