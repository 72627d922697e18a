import type { ReactNode } from "react";

// The frame of a shared view: no navigation and no links into Atlas, only the view itself, marked
// read-only so a visitor knows they see a fixed selection.

export function ShareFrame({
  name,
  description,
  actions,
  children,
}: {
  name: string;
  description: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Partnership Atlas
          </span>
          <span className="badge">Read-only shared view</span>
        </div>
      </header>
      <main id="main">
        <div className="page-head">
          <div>
            <h1>{name}</h1>
            <p>{description}</p>
          </div>
          {actions && <div className="actions">{actions}</div>}
        </div>
        {children}
      </main>
    </>
  );
}
