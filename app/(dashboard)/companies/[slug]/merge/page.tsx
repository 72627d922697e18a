import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { previewCompanyMerge, resolveCompanySlug } from "@/db/directory/companies";
import { getCompanyBySlug } from "@/db/directory/directory";
import { MergePage } from "@/components/companies/merge-page";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { readMergePreview } from "@/server/merge-preview";
import { mergeCompanyAction } from "../../actions";

export const metadata: Metadata = { title: "Merge company" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MergeCompanyPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  const found = await resolveCompanySlug((await params).slug);
  if (!found) notFound();
  if (found.redirect) redirect(`/companies/${found.redirect}/merge`);
  const company = (await getCompanyBySlug(found.slug))!;
  const chosen = await readMergePreview((await searchParams).into, (into) =>
    previewCompanyMerge(company.slug, into, principal.viewer),
  );
  return (
    <MergePage
      record={{ name: company.name, slug: company.slug, href: `/companies/${company.slug}` }}
      list={{ label: "Companies", href: "/companies" }}
      heading={`Merge ${company.name} into another company`}
      intro={`${company.name} disappears; its deals, aliases and subsidiaries move to the company you choose.`}
      placeholder="Name, alias or slug of the company that stays"
      confirmLabel="Merge companies"
      merge={mergeCompanyAction}
      {...chosen}
    />
  );
}
