import path from "node:path";
import { describe, expect, it } from "vitest";
import { demoGazetteer } from "./extract-eval";
import { loadNewsItems, scoreNews } from "./news-eval";

// The news monitor on the 36 news-dev items must not fall below where it stands (npm run eval:news).
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
    expect(scores.dealRecall, details.join("\n")).toBeGreaterThanOrEqual(0.94);
    expect(scores.kindAccuracy, details.join("\n")).toBeGreaterThanOrEqual(0.97);
    expect(scores.grouping, details.join("\n")).toBe(1);
    expect(scores.knownDeal, details.join("\n")).toBeGreaterThanOrEqual(0.78);
  });
});
