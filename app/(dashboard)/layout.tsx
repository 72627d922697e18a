import { PrintFooter } from "@/components/brief/print-footer";
import { Nav } from "@/components/ui/nav";
import { unreadCount } from "@/db/follow/inbox";
import { countWaitingCandidates } from "@/db/news/candidates";
import { hasRole } from "@/lib/roles";
import { requirePrincipal } from "@/server/auth/page";

// Every page here reads the live database and needs a signed-in user; each page and action also
// checks the role it needs itself (layouts are not an authorization boundary).
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const principal = await requirePrincipal();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Nav
            user={{ name: principal.name, email: principal.email ?? "", role: principal.role }}
            unread={await unreadCount(principal.id)}
            waiting={hasRole(principal.role, "editor") ? await countWaitingCandidates() : 0}
          />
        </div>
      </header>
      <main id="main">{children}</main>
      <PrintFooter />
    </>
  );
}
