import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { resolveCompanySlug } from "@/db/directory/companies";
import { getCompanyBySlug } from "@/db/directory/directory";
import { CompanyForm } from "@/components/companies/company-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { saveCompany } from "../../actions";

export const metadata: Metadata = { title: "Edit company" };

export default async function EditCompanyPage({ params }: { params: Promise<{ slug: string }> }) {
  if (!hasRole((await requirePrincipal()).role, "editor")) return <AccessDenied need="editor" />;
  const found = await resolveCompanySlug((await params).slug);
  if (!found) notFound();
  if (found.redirect) redirect(`/companies/${found.redirect}/edit`);
  const company = (await getCompanyBySlug(found.slug))!;
  return (
    <>
      <div className="crumbs">
        <Link href="/companies">Companies</Link> /{" "}
        <Link href={`/companies/${company.slug}`}>{company.name}</Link> / Edit
      </div>
      <div className="page-head">
        <div>
          <h1>Edit company</h1>
          <p>{company.name}</p>
        </div>
      </div>
      <CompanyForm
        slug={company.slug}
        version={company.version}
        initialValues={{
          name: company.name,
          aliases: company.aliases,
          country: company.country ?? "",
          sector: company.sector ?? "",
          lei: company.lei ?? "",
          wikidataId: company.wikidataId ?? "",
          ticker: company.ticker ?? "",
          website: company.website ?? "",
          parent: company.parent?.name ?? "",
        }}
        save={saveCompany}
      />
    </>
  );
}
