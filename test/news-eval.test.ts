import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoGazetteer } from "./extract-eval";
import { loadNewsItems, scoreNews } from "./news-eval";

// The news monitor on the tuning sets must not fall below where it stands (npm run eval:news): the 36
// news-dev items and the 12 news-own items (held back until session 9, tuned on since).
const root = path.resolve(__dirname, "..");

describe("news-dev evaluation", () => {
  it("keeps deal-vs-not, kinds, grouping and recorded-deal recognition at their levels", () => {
    const details: string[] = [];
    const scores = scoreNews(
      loadNewsItems(path.join(root, "test/fixtures/news-dev/items.json")),
      demoGazetteer(root),
      details,
    );
    expect(scores.dealPrecision, details.join("\n")).toBeGreaterThanOrEqual(0.95);
    expect(scores.dealRecall, details.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(scores.kindAccuracy, details.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(scores.grouping, details.join("\n")).toBe(1);
    expect(scores.knownDeal, details.join("\n")).toBeGreaterThanOrEqual(0.78);
  });

  it("keeps the news-own items read right", () => {
    const details: string[] = [];
    const scores = scoreNews(
      loadNewsItems(path.join(root, "test/fixtures/news-own/items-heldback.json")),
      demoGazetteer(root),
      details,
    );
    expect(scores.dealPrecision, details.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(scores.dealRecall, details.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(scores.kindAccuracy, details.join("\n")).toBeGreaterThanOrEqual(0.99);
    expect(scores.grouping, details.join("\n")).toBe(1);
    expect(scores.knownDeal, details.join("\n")).toBe(1);
  });
});
