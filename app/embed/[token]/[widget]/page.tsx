import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SharedChart } from "@/components/share/shared-table";
import { openSharePage, shareChart, sharedChart } from "@/server/share";

// One chart of a shared dashboard, to frame in an intranet page: proxy.ts lets the origins in
// EMBED_ORIGINS frame it (frame-ancestors); everything else stays unframeable.

export const metadata: Metadata = { title: "Shared chart", robots: { index: false, follow: false } };

export default async function EmbedPage({ params }: { params: Promise<{ token: string; widget: string }> }) {
  const { token, widget } = await params;
  const share = await openSharePage(token);
  const name = shareChart(share, widget);
  if (!name) notFound();
  const chart = await sharedChart(share, name);
  return (
    <main id="main">
      <SharedChart
        title={`${share.name}: ${chart.title}`}
        image={`/share/${token}/charts/${name}.svg`}
        table={chart.table}
        download={share.allowExport ? `/share/${token}/export/${name}.csv` : undefined}
        headingLevel={1}
      />
    </main>
  );
}
