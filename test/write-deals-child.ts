import { createDeal } from "@/db/deals/deal-writes";
import { dealFixture } from "./db";

// A second process writing deals as fast as it can for argv[2] ms (test/backup.test.ts), printing
// how many it wrote. Run with tsx on DATABASE_PATH.
async function main() {
  const until = Date.now() + Number(process.argv[2] ?? 2000);
  let written = 0;
  while (Date.now() < until) {
    await createDeal(dealFixture({ summary: "x".repeat(500) }), { actor: "writer" });
    written++;
  }
  console.log(written);
}

void main();
