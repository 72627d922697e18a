import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTechnology, previewTechnologyMerge } from "@/db/directory/technologies";
import { MergePage } from "@/components/companies/merge-page";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { readMergePreview } from "@/server/merge-preview";
import { mergeTechnologyAction } from "../../actions";

export const metadata: Metadata = { title: "Merge technology area" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function MergeTechnologyPage({ params, searchParams }: Props) {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  const area = await getTechnology((await params).slug);
  if (!area) notFound();
  if (area.redirect) redirect(`/technologies/${area.redirect}/merge`);
  const chosen = await readMergePreview((await searchParams).into, (into) =>
    previewTechnologyMerge(area.slug, into, principal.viewer),
  );
  return (
    <MergePage
      record={{ name: area.name, slug: area.slug, href: `/technologies/${area.slug}` }}
      list={{ label: "Technologies", href: "/technologies" }}
      heading={`Merge ${area.name} into another area`}
      intro={`${area.name} disappears; its deals and narrower areas move to the area you choose.`}
      placeholder="Name or slug of the area that stays"
      confirmLabel="Merge technology areas"
      merge={mergeTechnologyAction}
      {...chosen}
    />
  );
}
