import type { Metadata } from "next";
import { ImportWizard } from "@/components/import/import-wizard";
import { AccessDenied } from "@/components/ui/access-denied";
import { requirePrincipal } from "@/server/auth/page";
import { hasRole } from "@/lib/roles";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage() {
  if (!hasRole((await requirePrincipal()).role, "editor")) return <AccessDenied need="editor" />;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Import deals from CSV</h1>
          <p>
            Preview first: nothing is saved until you import, and a file with any bad row imports nothing.
            Importing the same file twice adds nothing.
          </p>
        </div>
      </div>
      <ImportWizard />
    </>
  );
}
