// Adds up the JSON reports of Vitest and Playwright (written under CI) into one plain closing line:
// "tests: N passed, N failed, N skipped". A missing report counts as a failure: its runner never
// finished. `--pg` also expects the reports of `npm run test:pg` (suffix -pg) and counts them too.
import fs from "node:fs";

const read = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};

let passed = 0;
let failed = 0;
let skipped = 0;

const runs = [["", "SQLite"]];
if (process.argv.includes("--pg")) runs.push(["-pg", "PostgreSQL"]);

for (const [suffix, engine] of runs) {
  const vitest = read(`.test-reports/vitest${suffix}.json`);
  if (vitest) {
    passed += vitest.numPassedTests;
    failed += vitest.numFailedTests;
    skipped += vitest.numPendingTests + vitest.numTodoTests;
    console.log(`unit (${engine}): ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed`);
  } else {
    failed += 1;
    console.log(`unit (${engine}): no report (the Vitest run did not finish)`);
  }

  const playwright = read(`.test-reports/playwright${suffix}.json`);
  if (playwright) {
    const { expected = 0, unexpected = 0, flaky = 0, skipped: pwSkipped = 0 } = playwright.stats ?? {};
    passed += expected + flaky;
    failed += unexpected;
    skipped += pwSkipped;
    console.log(
      `e2e (${engine}): ${expected + flaky} passed, ${unexpected} failed${flaky ? ` (${flaky} flaky, passed on retry)` : ""}`,
    );
  } else {
    failed += 1;
    console.log(`e2e (${engine}): no report (the Playwright run did not finish)`);
  }
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
