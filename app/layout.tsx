import type { Metadata } from "next";
import { connection } from "next/server";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Partnership Atlas", template: "%s · Partnership Atlas" },
  description: "Track corporate partnerships: parties, deal types, quotes, sources and their history.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Rendered per request, never prerendered (not even the 404 page): Next puts the CSP nonce that
  // proxy.ts made for this request on its scripts, and a prerendered page would have none.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
