/**
 * A Web Test Runner reporter that ends the output with one plain line, `N passed, N failed`
 * (plus `, N skipped` when any), which is what CI log readers look for.
 */

function countSuite(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

export function summaryLineReporter() {
  return {
    stop({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = counts.failed;
        countSuite(session.testResults, counts);
        // A file that failed to load, or failed in a hook, has errors but no failing test.
        if (!session.passed && counts.failed === before) counts.failed += 1;
      }
      const line = `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
      // The default reporter prints its final progress after every reporter's stop(); waiting
      // for exit keeps this line last. stdout writes to files, pipes and TTYs are synchronous on Linux.
      process.once('exit', () => process.stdout.write(`${line}\n`));
    },
  };
}
