import { listDeals } from "@/db/deals/deals";
import { getDb } from "@/db/core/index";
import { defaultFilters, type DealFilters } from "@/lib/filters";

const f = (over: Partial<DealFilters>): DealFilters => ({ ...defaultFilters, ...over });
const cases: [string, DealFilters][] = [
  ["all", f({})],
  ["type + binding", f({ type: ["mou"], binding: ["non_binding"] })],
  ["one word", f({ q: "robotics" })],
  ["two words", f({ q: "fictional alliance" })],
  ["status", f({ status: ["active"] })],
  ["year", f({ from: "2024-01-01", to: "2024-12-31" })],
  ["title sort", f({ sort: "title" })],
];
async function main() {
  getDb();
  for (const [name, filters] of cases) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      total = (await listDeals(filters)).total;
      times.push(performance.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${name.padEnd(16)} first ${times[0]!.toFixed(1)} ms, median ${sorted[3]!.toFixed(1)} ms, total ${total}`);
  }
}
main();
