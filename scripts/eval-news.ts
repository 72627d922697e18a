import path from "node:path";
import { demoGazetteer, evaluateCases, newsCases, score } from "@/test/extract-eval";
import { loadNewsItems, scoreNews } from "@/test/news-eval";

// npm run eval:news [-- --details] — the news monitor on the feed-item sets: deal vs not, kinds,
// grouping, recorded-deal recognition and the drafted fields. The own held-back set
// (test/fixtures/news-own) was written before tuning and is never tuned on: no details for it.
const root = path.resolve(import.meta.dirname, "..");
const fixtures = path.join(root, "test/fixtures");
const gazetteer = demoGazetteer(root);
const showDetails = process.argv.includes("--details");

const sets: [string, string, string, boolean][] = [
  ["news-dev (36, tuned on)", path.join(fixtures, "news-dev"), "items.json", true],
  ["news-own HELD-BACK (12)", path.join(fixtures, "news-own"), "items-heldback.json", false],
];
const rows: Record<string, Record<string, number>> = {};
for (const [name, dir, file, details] of sets) {
  const notes: string[] = [];
  const news = scoreNews(loadNewsItems(path.join(dir, file)), gazetteer, notes);
  const drafted = score(evaluateCases(newsCases(dir, gazetteer, file), gazetteer, 1));
  rows[name] = {
    ...news,
    draftPartiesBoth: drafted.partiesBothCorrect,
    draftPartyPrecision: drafted.partyPrecision,
    draftDate: drafted.dateCorrect,
    draftPrimaryType: drafted.primaryType,
    draftTechRecall: drafted.techRecall,
    draftQuotesFound: drafted.quotesFound,
  };
  if (showDetails && details) console.log(`${name}\n  ${notes.join("\n  ")}`);
}
const measures = Object.keys(Object.values(rows)[0] ?? {});
console.table(
  Object.fromEntries(
    measures.map((m) => [m, Object.fromEntries(Object.entries(rows).map(([n, r]) => [n, r[m]]))]),
  ),
);
