import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getTechnology } from "@/db/directory/technologies";
import { TechnologyForm } from "@/components/companies/technology-form";
import { AccessDenied } from "@/components/ui/access-denied";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";
import { saveTechnology } from "../../actions";

export const metadata: Metadata = { title: "Edit technology area" };

export default async function EditTechnologyPage({ params }: { params: Promise<{ slug: string }> }) {
  if (!hasRole((await requirePrincipal()).role, "editor")) return <AccessDenied need="editor" />;
  const area = await getTechnology((await params).slug);
  if (!area) notFound();
  if (area.redirect) redirect(`/technologies/${area.redirect}/edit`);
  return (
    <>
      <div className="crumbs">
        <Link href="/technologies">Technologies</Link> /{" "}
        <Link href={`/technologies/${area.slug}`}>{area.name}</Link> / Edit
      </div>
      <div className="page-head">
        <div>
          <h1>Edit technology area</h1>
          <p>{area.name}</p>
        </div>
      </div>
      <TechnologyForm
        slug={area.slug}
        version={area.version}
        initialValues={{ name: area.name, parent: area.parent?.name ?? "", synonyms: area.synonyms }}
        save={saveTechnology}
      />
    </>
  );
}
