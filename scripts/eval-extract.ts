import path from "node:path";
import { demoGazetteer, evaluateSet, loadGold, score } from "@/test/extract-eval";

// npm run eval:extract [-- --details] — scores the rule extractor on the dev set: the tuning split
// (a0–a5, s1–s6) and the held-out split (t1–t5, never used while writing rules) separately.
const root = path.resolve(import.meta.dirname, "..");
const dir = process.env.EXTRACTION_DEV ?? path.join(root, "test/fixtures/extraction-dev");
const gazetteer = demoGazetteer(root);
const showDetails = process.argv.includes("--details");

const sets = [
  ["tuning (a0–a5, s1–s6)", ["gold.json", "gold-stress.json"]],
  ["held-out (t1–t5)", ["gold-blind.json"]],
] as const;
const rows: Record<string, Record<string, number>> = {};
for (const [name, files] of sets) {
  const counts = evaluateSet(dir, loadGold(dir, [...files]), gazetteer, 10);
  rows[name] = { ...score(counts) };
  if (showDetails) console.log(`${name}\n  ${counts.details.join("\n  ")}`);
}
console.table(rows);
