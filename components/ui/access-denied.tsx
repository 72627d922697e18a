import Link from "next/link";
import type { UserRole } from "@/lib/enums";

export function AccessDenied({ need }: { need: UserRole }) {
  return (
    <div className="card empty" role="alert">
      <h1>You don&apos;t have access to this page</h1>
      <p>It needs the {need} role. Ask an admin of this Partnership Atlas if you should have it.</p>
      <Link className="button" href="/">
        Back to the dashboard
      </Link>
    </div>
  );
}
