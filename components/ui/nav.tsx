"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "Dashboard" },
  { href: "/deals", label: "Deals" },
  { href: "/companies", label: "Companies" },
];

export function Nav() {
  const pathname = usePathname();
  const current = (href: string) =>
    href === "/"
      ? pathname === "/"
      : pathname === href || (pathname.startsWith(`${href}/`) && pathname !== "/deals/new");
  return (
    <>
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Partnership Atlas
      </Link>
      <nav aria-label="Main" className="nav">
        {LINKS.map((link) => (
          <Link key={link.href} href={link.href} aria-current={current(link.href) ? "page" : undefined}>
            {link.label}
          </Link>
        ))}
        <Link
          href="/deals/new"
          className="button primary nav-cta"
          aria-current={pathname === "/deals/new" ? "page" : undefined}
        >
          Add deal
        </Link>
      </nav>
    </>
  );
}
