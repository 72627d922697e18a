"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { USER_ROLE_LABELS, type UserRole } from "@/lib/enums";
import { settingsPagesFor } from "@/lib/settings-pages";

const LINKS = [
  { href: "/", label: "Dashboard" },
  { href: "/deals", label: "Deals" },
  { href: "/timeline", label: "Timeline" },
  { href: "/companies", label: "Companies" },
  { href: "/technologies", label: "Technologies" },
  { href: "/network", label: "Network" },
  { href: "/activity", label: "Activity" },
  { href: "/views", label: "Views" },
];

export function Nav({
  user,
  unread,
  waiting = 0,
}: {
  user: { name: string; email: string; role: UserRole };
  /** Unread changes in the user's inbox. */
  unread: number;
  /** Candidates waiting for an editor's decision (0 for viewers). */
  waiting?: number;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const [signingOut, setSigningOut] = useState(false);
  // On a narrow screen the links fold into a "Menu" button (CSS hides one or the other).
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const current = (href: string) =>
    href === "/"
      ? pathname === "/"
      : pathname === href || (pathname.startsWith(`${href}/`) && pathname !== "/deals/new");
  const canEdit = user.role !== "viewer";

  async function signOut() {
    setSigningOut(true);
    await fetch("/api/session", { method: "DELETE" });
    router.replace("/sign-in");
    router.refresh();
  }

  return (
    <>
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Partnership Atlas
      </Link>
      <button
        type="button"
        ref={menuButton}
        className="menu-button"
        aria-expanded={menuOpen}
        aria-controls="main-nav"
        onClick={() => setMenuOpen((open) => !open)}
      >
        <span className="menu-icon" aria-hidden="true" />
        Menu
      </button>
      <nav
        id="main-nav"
        aria-label="Main"
        className="nav"
        data-open={menuOpen || undefined}
        onClick={(e) => {
          if ((e.target as Element).closest("a")) setMenuOpen(false);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape" && menuOpen) {
            setMenuOpen(false);
            menuButton.current?.focus();
          }
        }}
      >
        {LINKS.map((link) => (
          <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
            {link.label}
          </Link>
        ))}
        <Link href="/inbox" aria-current={pathname === "/inbox" ? "page" : undefined}>
          Inbox
          {unread > 0 && (
            <span className="nav-count">
              {" "}
              {unread}
              <span className="visually-hidden"> unread</span>
            </span>
          )}
        </Link>
        {canEdit && (
          <Link href="/candidates" aria-current={pathname.startsWith("/candidates") ? "page" : undefined}>
            Candidates
            {waiting > 0 && (
              <span className="nav-count">
                {" "}
                {waiting}
                <span className="visually-hidden"> waiting</span>
              </span>
            )}
          </Link>
        )}
        {canEdit && (
          <Link href="/import" aria-current={pathname === "/import" ? "page" : undefined}>
            Import
          </Link>
        )}
        {canEdit && (
          <Link href="/sources" aria-current={pathname === "/sources" ? "page" : undefined}>
            Sources
          </Link>
        )}
        {canEdit && (
          <Link
            href="/deals/new"
            className="button primary nav-cta"
            aria-current={pathname === "/deals/new" ? "page" : undefined}
          >
            Add deal
          </Link>
        )}
      </nav>
      <details className="user-menu">
        <summary aria-label={`Account: ${user.name}`}>
          {/* The initial is drawn by CSS, so the visible text is the name that the label contains. */}
          <span className="avatar" aria-hidden="true" data-initial={user.name.slice(0, 1).toUpperCase()} />
          <span className="user-name">{user.name}</span>
        </summary>
        <div className="user-menu-panel">
          <div className="small">
            <strong>{user.name}</strong>
            <div className="muted">{user.email}</div>
            <div className="muted">{USER_ROLE_LABELS[user.role]}</div>
          </div>
          {settingsPagesFor(user.role).map((p) => (
            <Link key={p.href} href={p.href}>
              {p.label}
            </Link>
          ))}
          <button type="button" className="button small" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </details>
    </>
  );
}
