import fs from "node:fs";
import { z } from "zod";
import { findDuplicateDeals } from "@/lib/extract/duplicates";
import type { Gazetteer } from "@/lib/extract/types";
import { groupKind, sameAnnouncement, type GroupProbe } from "@/lib/news/group";
import { readNewsItem } from "@/lib/news/read-item";
import { slugify } from "@/lib/names";
import { newsItem } from "./extract-eval";

// Scoring of the news monitor on feed-item sets in the news-dev format (test/fixtures/news-dev,
// test/fixtures/news-own): used by `npm run eval:news` and the regression test. Runs the same pure
// steps as server/news/process.ts (draft, read, group, match a recorded deal) without a database.

// The news-dev item as the extraction eval reads it, with the label and story this scoring needs.
const item = newsItem.extend({
  label: z.enum(["deal", "not_deal", "rumour", "status_change"]),
  story: z.string().nullable(),
});
export type NewsFixture = z.infer<typeof item>;

export function loadNewsItems(file: string): NewsFixture[] {
  return z.array(item).parse(JSON.parse(fs.readFileSync(file, "utf8")));
}

export interface NewsScores {
  items: number;
  dealPrecision: number;
  dealRecall: number;
  kindAccuracy: number;
  /** Deal items whose candidate holds exactly the items of their announcement. */
  grouping: number;
  /** Deal items matched to their own deal once that deal is recorded. */
  knownDeal: number;
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 1);

/** Scores one set; `details` collects what went wrong, item by item. */
export function scoreNews(items: NewsFixture[], base: Gazetteer, details: string[] = []): NewsScores {
  // As if every gold deal were recorded: its companies are in the directory.
  const names = new Set(items.flatMap((i) => i.gold?.parties.map((p) => p.company) ?? []));
  const known = new Set(base.companies.map((c) => c.slug));
  const gazetteer: Gazetteer = {
    ...base,
    companies: [
      ...base.companies,
      ...[...names]
        .filter((n) => !known.has(slugify(n)))
        .map((n) => ({ slug: slugify(n), name: n, aliases: [] })),
    ],
  };
  const goldDeal = (i: NewsFixture) => i.story ?? i.id;
  const recorded = items.flatMap((i) =>
    i.gold
      ? [
          {
            id: goldDeal(i),
            title: i.title,
            announcedOn: i.gold.announcedOn,
            types: i.gold.types,
            partySlugs: i.gold.parties.map((p) => slugify(p.company)),
          },
        ]
      : [],
  );
  let tp = 0,
    fp = 0,
    fn = 0,
    kinds = 0,
    grouped = 0,
    knownOk = 0,
    deals = 0;
  const clusters: { probe: GroupProbe; members: string[] }[] = [];
  const clusterOf = new Map<string, number>();
  const sorted = [...items].sort((a, b) => a.published.localeCompare(b.published));
  for (const it of sorted) {
    // What the news processor's worker runs on each item (server/news/process.ts).
    const {
      article: input,
      result,
      reading,
    } = readNewsItem(
      { title: it.title, content: it.html, url: it.link, publishedOn: it.published.slice(0, 10) },
      gazetteer,
    );
    const isDeal = it.label === "deal";
    const saysDeal = reading.kind === "deal";
    if (isDeal && saysDeal) tp++;
    else if (saysDeal) fp++;
    else if (isDeal) fn++;
    if (reading.kind === it.label) kinds++;
    else details.push(`${it.id}: ${it.label} read as ${reading.kind} (${reading.reason})`);
    const probe: GroupProbe = {
      kind: reading.kind,
      parties: result.draft.parties.map((p) => p.company),
      title: it.title,
      text: input.text,
      publishedAt: new Date(it.published),
    };
    const found = clusters.findIndex((c) => sameAnnouncement(probe, c.probe));
    const index = found >= 0 ? found : clusters.push({ probe, members: [] }) - 1;
    // As db/news/candidates.ts does: a deal leads the candidate of a write-up of it read otherwise.
    if (clusters[index]!.probe.kind !== groupKind(clusters[index]!.probe.kind, probe.kind))
      clusters[index]!.probe = probe;
    clusters[index]!.members.push(it.id);
    clusterOf.set(it.id, index);
    if (isDeal) {
      deals++;
      const slugs = result.companies.flatMap((c) => (c.match ? [c.match.slug] : []));
      const [best] = findDuplicateDeals(
        {
          title: result.draft.title,
          announcedOn: result.draft.announcedOn,
          types: result.draft.types,
          partySlugs: slugs,
        },
        recorded,
      );
      if (best?.id === goldDeal(it)) knownOk++;
      else details.push(`${it.id}: recorded deal ${best?.id ?? "not found"} (gold ${goldDeal(it)})`);
    }
  }
  for (const it of items.filter((i) => i.label === "deal")) {
    const members = new Set(clusters[clusterOf.get(it.id)!]!.members);
    const mates = items.filter((o) => o.label === "deal" && goldDeal(o) === goldDeal(it)).map((o) => o.id);
    if (mates.every((m) => members.has(m)) && members.size === mates.length) grouped++;
    else details.push(`${it.id}: grouped with ${[...members].join(", ")} (gold ${mates.join(", ")})`);
  }
  return {
    items: items.length,
    dealPrecision: ratio(tp, tp + fp),
    dealRecall: ratio(tp, tp + fn),
    kindAccuracy: ratio(kinds, items.length),
    grouping: ratio(grouped, deals),
    knownDeal: ratio(knownOk, deals),
  };
}
