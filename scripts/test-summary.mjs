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

// The first line of a failure's message: enough to find it in the log above without scrolling.
const firstLine = (message) => String(message ?? "").split("\n").find((line) => line.trim()) ?? "";
const failures = [];
const flakes = [];
// Playwright nests suites (file › describe › …); a test failed when its outcome is "unexpected".
const playwrightFailures = (suite, engine, path = []) => {
  const here = suite.title ? [...path, suite.title] : path;
  for (const spec of suite.specs ?? [])
    for (const test of spec.tests ?? [])
      if (test.status === "flaky") {
        const error = test.results?.find((result) => result.error)?.error?.message;
        flakes.push(`e2e (${engine}) ${[...here, spec.title].join(" › ")}: ${firstLine(error)}`);
      } else if (test.status === "unexpected") {
        const error = test.results?.at(-1)?.error?.message;
        failures.push(`e2e (${engine}) ${[...here, spec.title].join(" › ")}: ${firstLine(error)}`);
      }
  for (const child of suite.suites ?? []) playwrightFailures(child, engine, here);
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
    for (const file of vitest.testResults ?? [])
      for (const test of file.assertionResults ?? [])
        if (test.status === "failed")
          failures.push(`unit (${engine}) ${file.name} › ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
        // Vitest keeps the errors of a first run that failed when the retry passed.
        else if (test.status === "passed" && test.failureMessages?.length)
          flakes.push(`unit (${engine}) ${file.name} › ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
    // A file that failed before its tests ran (an import error, a hook) has no failed assertion.
    for (const file of vitest.testResults ?? [])
      if (file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"))
        failures.push(`unit (${engine}) ${file.name}: ${firstLine(file.message)}`);
  } else {
    failed += 1;
    console.log(`unit (${engine}): no report (the Vitest run did not finish)`);
  }

  const playwright = read(`.test-reports/playwright${suffix}.json`);
  if (playwright) {
    const { expected = 0, unexpected = 0, flaky = 0, skipped: pwSkipped = 0 } = playwright.stats ?? {};
    for (const suite of playwright.suites ?? []) playwrightFailures(suite, engine);
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

// Named last, next to the totals, so a log's tail says which tests failed and why.
for (const flake of flakes) console.log(`passed on retry: ${flake.slice(0, 400)}`);
for (const failure of failures) console.log(`failed: ${failure.slice(0, 400)}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
