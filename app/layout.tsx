import type { Metadata } from "next";
import { Nav } from "@/components/ui/nav";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Partnership Atlas", template: "%s · Partnership Atlas" },
  description: "Track corporate partnerships: parties, deal types, quotes, sources and their history.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <Nav />
          </div>
        </header>
        <Providers>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
