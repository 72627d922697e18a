import type { Metadata } from "next";
import { ShareFrame } from "@/components/share/share-frame";
import { SharedDeals } from "@/components/share/shared-deals";
import { columnLabel, SharedChart, SharedTable } from "@/components/share/shared-table";
import { plural } from "@/lib/plural";
import type { ViewPage } from "@/lib/saved-views";
import { openSharePage, sharedCharts, sharedDeals } from "@/server/share";

// A saved view for anyone holding its link: read-only, outside the signed-in layout, its filters
// fixed by the view. proxy.ts lets it through without a session and adds X-Robots-Tag.

export const metadata: Metadata = { title: "Shared view", robots: { index: false, follow: false } };

type Props = {
  params: Promise<{ token: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function SharePage({ params, searchParams }: Props) {
  const { token } = await params;
  const share = await openSharePage(token);
  const base = `/share/${token}`;
  const download = (file: string) => (share.allowExport ? `${base}/export/${file}` : undefined);

  if (share.view.page === "deals") {
    const page = await sharedDeals(share, (await searchParams).page);
    const csv = download("deals.csv");
    return (
      <ShareFrame
        name={share.name}
        description={`${plural(page.total, "deal")} in this shared view.`}
        actions={
          csv && (
            <a className="button" href={csv} download>
              Download CSV
            </a>
          )
        }
      >
        <SharedDeals page={page} base={base} />
      </ShareFrame>
    );
  }

  const { summary, charts } = await sharedCharts(share);
  const single = charts.length === 1;
  return (
    <ShareFrame name={share.name} description={SHARE_DESCRIPTIONS[share.view.page]}>
      {summary && (
        <div className="section-gap">
          <section className="card widget" aria-labelledby="summary-h">
            <div className="widget-head">
              <h2 id="summary-h">At a glance</h2>
              {download("summary.csv") && (
                <a
                  className="download-link"
                  href={download("summary.csv")}
                  download
                  aria-label="Download data: At a glance"
                >
                  Download data
                </a>
              )}
            </div>
            <SharedTable
              table={{
                ...summary,
                rows: summary.rows.map(([metric, value]) => [columnLabel(String(metric)), value]),
              }}
              caption="At a glance"
            />
          </section>
        </div>
      )}
      <div className={single ? "section-gap" : "grid cols-2 section-gap"}>
        {charts.map((chart) => (
          <SharedChart
            key={chart.name}
            title={chart.title}
            image={`${base}/charts/${chart.name}.svg`}
            table={chart.table}
            download={download(`${chart.name}.csv`)}
          />
        ))}
      </div>
    </ShareFrame>
  );
}

/** What the visitor is looking at, under the view's name. */
const SHARE_DESCRIPTIONS: Record<Exclude<ViewPage, "deals">, string> = {
  dashboard: "A dashboard shared from Partnership Atlas, with its filters fixed.",
  company: "A company's partnerships, shared from Partnership Atlas, with the view's filters fixed.",
  technology:
    "A technology area's partnerships, shared from Partnership Atlas, with the view's filters fixed.",
  timeline: "A timeline of partnerships shared from Partnership Atlas, with its filters fixed.",
  network: "A network of partners shared from Partnership Atlas, with its filters fixed.",
  compare: "A comparison shared from Partnership Atlas, on the same scales, with its filters fixed.",
};
