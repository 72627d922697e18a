import type { Metadata } from "next";
import Link from "next/link";
import { listTechnologyChoices } from "@/db/directory/directory";
import { DealForm } from "@/components/deals/deal-form";
import { toFormValues } from "@/components/deals/deal-form-values";
import { AccessDenied } from "@/components/ui/access-denied";
import { teamChoices } from "@/db/accounts/visibility";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole } from "@/lib/roles";
import { saveDeal } from "../actions";

export const metadata: Metadata = { title: "Add deal" };

export default async function NewDealPage() {
  const principal = await requirePrincipal();
  if (!hasRole(principal.role, "editor")) return <AccessDenied need="editor" />;
  return (
    <>
      <div className="crumbs">
        <Link href="/deals">Deals</Link> / New
      </div>
      <div className="page-head">
        <div>
          <h1>Add deal</h1>
          <p>Record a partnership announcement with its parties, terms and sources.</p>
        </div>
      </div>
      <DealForm
        initialValues={toFormValues()}
        teams={await teamChoices(principal.viewer)}
        technologyNames={(await listTechnologyChoices()).map((t) => t.name)}
        save={saveDeal}
      />
    </>
  );
}
