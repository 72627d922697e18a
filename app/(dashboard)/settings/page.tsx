import type { Metadata } from "next";
import Link from "next/link";
import { requirePrincipal } from "@/server/auth/page";
import { settingsPagesFor } from "@/lib/settings-pages";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const me = await requirePrincipal();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p>The settings you may change with your role.</p>
        </div>
      </div>
      <div className="card">
        <ul className="plain">
          {settingsPagesFor(me.role).map((p) => (
            <li key={p.href}>
              {/* The link alone in its line: a link inside running text would need more than colour. */}
              <div>
                <Link href={p.href}>{p.label}</Link>
              </div>
              <div className="muted small">{p.description}</div>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
