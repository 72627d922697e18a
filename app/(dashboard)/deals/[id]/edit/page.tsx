import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDeal } from "@/db/deals/deals";
import { listTechnologyChoices } from "@/db/directory/directory";
import { DealForm } from "@/components/deals/deal-form";
import { toFormValues } from "@/components/deals/deal-form-values";
import { AccessDenied } from "@/components/ui/access-denied";
import { teamChoices } from "@/db/accounts/visibility";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole } from "@/lib/roles";
import { saveDeal } from "../../actions";

export const metadata: Metadata = { title: "Edit deal" };

export default async function EditDealPage({ params }: { params: Promise<{ id: string }> }) {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  const { id } = await params;
  const deal = /^\d{1,15}$/.test(id) ? await getDeal(Number(id), { viewer: principal.viewer }) : undefined;
  if (!deal) notFound();
  return (
    <>
      <div className="crumbs">
        <Link href="/deals">Deals</Link> / <Link href={`/deals/${deal.id}`}>#{deal.id}</Link> / Edit
      </div>
      <div className="page-head">
        <div>
          <h1>Edit deal</h1>
          <p>{deal.title}</p>
        </div>
      </div>
      <DealForm
        dealId={deal.id}
        version={deal.version}
        initialValues={toFormValues(deal)}
        teams={await teamChoices(principal.viewer)}
        technologyNames={(await listTechnologyChoices()).map((t) => t.name)}
        save={saveDeal}
      />
    </>
  );
}
