// Writes each jest run's counts to CAUNOI_TEST_SUMMARY_DIR so `npm test` can print one
// closing line over all projects ("N passed, N failed"), and the names of what failed: CI keeps
// only the tail of a long log, so the end must say which test to chase.
const fs = require('fs');
const path = require('path');
const { stripVTControlCharacters } = require('util');

const firstLines = (text, n = 6) =>
  stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n)
    .join('\n');

function failuresOf(results) {
  const failures = [];
  for (const suite of results.testResults) {
    const file = path.relative(process.cwd(), suite.testFilePath);
    if (suite.testExecError) {
      failures.push({
        test: `${file} (suite did not run)`,
        error: firstLines(suite.testExecError.message),
      });
    }
    for (const t of suite.testResults) {
      if (t.status !== 'failed') continue;
      failures.push({
        test: `${file} › ${t.fullName}`,
        error: firstLines(t.failureMessages.join('\n')),
      });
    }
  }
  return failures;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = process.env.CAUNOI_TEST_SUMMARY_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(process.cwd());
    fs.writeFileSync(
      path.join(dir, `${name}-${process.pid}.json`),
      JSON.stringify({
        project: name,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        failures: failuresOf(results),
      }),
    );
  }
}
module.exports = SummaryReporter;
